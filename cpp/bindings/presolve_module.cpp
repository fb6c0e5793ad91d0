// Python side of the MILP presolve: _core.presolve(model_dict) returns
// (status, reduced_dict, stats_dict, postsolver). The dicts have the layout of
// _core.read_mps (see mps_module.cpp); postsolver.primal(x_reduced) gives the
// original model's x as a numpy array.
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings/bindings.hpp"
#include "bindings/model_dict.hpp"
#include "mip/presolve.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

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
            return copy_to_numpy(post.primal(x_reduced));
          },
          py::arg("x_reduced"), "The original model's x for a solution of the reduced model.")
      .def_property_readonly("kept_columns", [](const mip::Postsolve& post) { return copy_to_numpy(post.kept_columns()); },
                             "Original index of each reduced column.")
      .def_property_readonly("original_cols", &mip::Postsolve::original_cols);

  m.def(
      "presolve",
      [](const py::dict& model, int max_rounds, double time_limit, bool continuous_bound_tightening,
         bool coefficient_tightening, bool dual_fixing,
         bool duplicate_rows, bool duplicate_columns) {
        lp::Model original = model_from_dict(model);
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
        if (result.status == mip::PresolveStatus::kReduced) reduced = model_to_dict(std::move(result.reduced));
        return py::make_tuple(mip::to_string(result.status), reduced, dict_of(result.stats),
                              std::move(result.postsolve));
      },
      py::arg("model"), py::arg("max_rounds") = 25, py::arg("time_limit") = 10.0,
      py::arg("continuous_bound_tightening") = false,
      py::arg("coefficient_tightening") = true, py::arg("dual_fixing") = true, py::arg("duplicate_rows") = true,
      py::arg("duplicate_columns") = true, kPresolveDoc);
}

}  // namespace satmip::bindings
