// Python side of the MILP presolve: _core.presolve(model_dict) returns
// (status, reduced_dict, stats_dict, postsolver). The dicts have the layout of
// _core.read_mps (see mps_module.cpp); postsolver.primal(x_reduced) gives the
// original model's x as a numpy array.
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings/bindings.hpp"
#include "mip/presolve.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

template <class T>
std::vector<T> vector_of(const py::dict& d, const char* key) {
  if (!d.contains(key)) throw py::value_error(std::string("model dict has no '") + key + "'");
  auto array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(d[key]);
  if (!array || array.ndim() != 1) throw py::value_error(std::string(key) + " must be a one-dimensional array");
  return std::vector<T>(array.data(), array.data() + array.size());
}

template <class T>
T value_or(const py::dict& d, const char* key, T fallback) {
  return d.contains(key) && !d[key].is_none() ? d[key].cast<T>() : fallback;
}

lp::Model model_from(const py::dict& d) {
  lp::Model m;
  m.name = value_or<std::string>(d, "name", "");
  m.objective_name = value_or<std::string>(d, "objective_name", "");
  m.sense = value_or<int>(d, "sense", 1);
  m.offset = value_or<double>(d, "offset", 0.0);
  m.cost = vector_of<double>(d, "cost");
  m.col_lower = vector_of<double>(d, "col_lower");
  m.col_upper = vector_of<double>(d, "col_upper");
  m.row_lower = vector_of<double>(d, "row_lower");
  m.row_upper = vector_of<double>(d, "row_upper");
  if (d.contains("integer") && !d["integer"].is_none()) m.integer = vector_of<uint8_t>(d, "integer");
  m.A.start = vector_of<int64_t>(d, "A_start");
  m.A.index = vector_of<int32_t>(d, "A_index");
  m.A.value = vector_of<double>(d, "A_value");
  m.A.rows = value_or<int32_t>(d, "num_rows", int32_t(m.row_lower.size()));
  m.A.cols = value_or<int32_t>(d, "num_cols", int32_t(m.cost.size()));
  m.row_names = value_or<std::vector<std::string>>(d, "row_names", {});
  m.col_names = value_or<std::vector<std::string>>(d, "col_names", {});
  return m;
}

template <class T>
py::array_t<T> array_of(const std::vector<T>& v) {
  py::array_t<T> a(py::ssize_t(v.size()));
  if (!v.empty()) std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

py::dict dict_of(const lp::Model& m) {
  py::dict d;
  d["name"] = m.name;
  d["objective_name"] = m.objective_name;
  d["sense"] = m.sense;
  d["offset"] = m.offset;
  d["num_rows"] = m.A.rows;
  d["num_cols"] = m.A.cols;
  d["cost"] = array_of(m.cost);
  d["col_lower"] = array_of(m.col_lower);
  d["col_upper"] = array_of(m.col_upper);
  d["row_lower"] = array_of(m.row_lower);
  d["row_upper"] = array_of(m.row_upper);
  d["integer"] = array_of(m.integer).attr("astype")("bool");
  d["A_start"] = array_of(m.A.start);
  d["A_index"] = array_of(m.A.index);
  d["A_value"] = array_of(m.A.value);
  d["row_names"] = py::cast(m.row_names);
  d["col_names"] = py::cast(m.col_names);
  d["warnings"] = py::list();
  return d;
}

py::dict dict_of(const mip::PresolveStats& s) {
  py::dict d;
  d["rows_removed"] = s.rows_removed;
  d["cols_removed"] = s.cols_removed;
  d["bounds_tightened"] = s.bounds_tightened;
  d["coefficients_tightened"] = s.coefficients_tightened;
  d["empty_rows"] = s.empty_rows;
  d["empty_cols"] = s.empty_cols;
  d["fixed_cols"] = s.fixed_cols;
  d["singleton_rows"] = s.singleton_rows;
  d["redundant_rows"] = s.redundant_rows;
  d["dual_fixed_cols"] = s.dual_fixed_cols;
  d["duplicate_rows"] = s.duplicate_rows;
  d["duplicate_cols"] = s.duplicate_cols;
  d["rounds"] = s.rounds;
  return d;
}

constexpr const char* kPresolveDoc = R"doc(MILP presolve of a model dict (the layout read_mps returns).

Returns (status, reduced, stats, postsolver): status is "reduced",
"infeasible" or "unbounded_or_infeasible"; reduced is the reduced model as a
dict (None unless status is "reduced"; same sense, objective offset absorbing
the removed columns, names of the kept rows and columns); stats counts the
reductions; postsolver.primal(x_reduced) maps a feasible solution of the
reduced model to one of the original with the same objective value.
Options: max_rounds, time_limit, continuous_bound_tightening (off: implied
bounds on continuous columns are used only when they fix one), coefficient_tightening, dual_fixing,
duplicate_rows, duplicate_columns.
)doc";

}  // namespace

void bind_presolve(py::module_& m) {
  py::class_<mip::Postsolve>(m, "Postsolve", "Maps reduced-model solutions back to the original model.")
      .def(
          "primal",
          [](const mip::Postsolve& post, const std::vector<double>& x_reduced) {
            return array_of(post.primal(x_reduced));
          },
          py::arg("x_reduced"), "The original model's x for a solution of the reduced model.")
      .def_property_readonly("kept_columns", [](const mip::Postsolve& post) { return array_of(post.kept_columns()); },
                             "Original index of each reduced column.")
      .def_property_readonly("original_cols", &mip::Postsolve::original_cols);

  m.def(
      "presolve",
      [](const py::dict& model, int max_rounds, double time_limit, bool continuous_bound_tightening,
         bool coefficient_tightening, bool dual_fixing,
         bool duplicate_rows, bool duplicate_columns) {
        lp::Model original = model_from(model);
        mip::PresolveOptions options;
        options.max_rounds = max_rounds;
        options.time_limit_seconds = time_limit;
        options.coefficient_tightening = coefficient_tightening;
        options.continuous_bound_tightening = continuous_bound_tightening;
        options.dual_fixing = dual_fixing;
        options.duplicate_rows = duplicate_rows;
        options.duplicate_columns = duplicate_columns;
        mip::PresolveResult result;
        {
          py::gil_scoped_release nogil;
          result = mip::presolve(original, options);
        }
        py::object reduced = py::none();
        if (result.status == mip::PresolveStatus::kReduced) reduced = dict_of(result.reduced);
        return py::make_tuple(mip::to_string(result.status), reduced, dict_of(result.stats),
                              std::move(result.postsolve));
      },
      py::arg("model"), py::arg("max_rounds") = 25, py::arg("time_limit") = 10.0,
      py::arg("continuous_bound_tightening") = false,
      py::arg("coefficient_tightening") = true, py::arg("dual_fixing") = true, py::arg("duplicate_rows") = true,
      py::arg("duplicate_columns") = true, kPresolveDoc);
}

}  // namespace satmip::bindings
