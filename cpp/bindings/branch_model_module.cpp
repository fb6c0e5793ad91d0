// The branching GCNN's weights as the engine holds them: _core.BranchModel(weights,
// emb), built from the float32 arrays of a weights file (satmip.learn.branch_format
// reads and checks the file), passed to MipSolver(branching="gnn",
// branching_model=...) and shared by every solve that uses it; its logits(state)
// runs the engine's forward on a node state dict (on_branch's or a sample's), the
// GIL released. Arrays of the wrong dtype or shape are a ValueError naming them.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings/array_args.hpp"
#include "bindings/bindings.hpp"
#include "bindings/model_dict.hpp"
#include "learn/branch_forward.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

template <class T>
py::array_t<T, py::array::c_style> exact(py::handle obj, const std::string& what) {
  return exact_array<T>(obj, "BranchModel: " + what);
}

std::shared_ptr<learn::BranchModel> make_model(const py::dict& weights, int emb) {
  std::map<std::string, learn::BranchTensor> arrays;
  std::vector<py::object> keep;   // the arrays the tensors point into, during the copy below
  for (auto item : weights) {
    const std::string key = py::str(item.first);
    auto a = exact<float>(item.second, "weight '" + key + "'");
    keep.push_back(a);
    learn::BranchTensor t;
    t.data = a.data();
    for (py::ssize_t d = 0; d < a.ndim(); ++d) t.shape.push_back(int64_t(a.shape(d)));
    arrays[key] = std::move(t);
  }
  // std::invalid_argument (a missing or misshapen array) reaches Python as ValueError.
  return std::make_shared<learn::BranchModel>(learn::branch_model_from_arrays(arrays, emb));
}

// A 2-d float64 feature array of `width` columns (width 1 may be 1-d).
py::array_t<double, py::array::c_style> features(const py::dict& state, const char* key, int width) {
  if (!state.contains(key)) throw py::value_error(std::string("BranchModel.logits: the state has no '") + key + "'");
  auto a = exact<double>(state[key], std::string("state['") + key + "']");
  const bool shaped = a.ndim() == 2 ? a.shape(1) == width : a.ndim() == 1 && width == 1;
  if (!shaped)
    throw py::value_error(std::string("BranchModel.logits: state['") + key + "'] must have " + std::to_string(width) +
                          " features per entry (the model's)");
  return a;
}

py::array_t<double> logits(const learn::BranchModel& model, const py::dict& state, const py::object& columns) {
  auto rows = features(state, "row_features", model.row_features);
  auto cols = features(state, "col_features", model.col_features);
  auto edges = features(state, "edge_values", model.edge_features);
  for (const char* key : {"edge_row_ptr", "edge_col"})
    if (!state.contains(key)) throw py::value_error(std::string("BranchModel.logits: the state has no '") + key + "'");
  auto ptr = exact<int64_t>(state["edge_row_ptr"], "state['edge_row_ptr']");
  auto edge_col = exact<int32_t>(state["edge_col"], "state['edge_col']");
  learn::BranchGraph g;
  g.rows = int32_t(rows.shape(0));
  g.cols = int32_t(cols.shape(0));
  if (ptr.ndim() != 1 || ptr.shape(0) != py::ssize_t(g.rows) + 1)
    throw py::value_error("BranchModel.logits: state['edge_row_ptr'] must have rows + 1 entries");
  const int64_t nnz = ptr.data()[g.rows];
  if (edge_col.ndim() != 1 || edge_col.shape(0) != nnz || edges.shape(0) != nnz)
    throw py::value_error("BranchModel.logits: state['edge_col'] and state['edge_values'] must have edge_row_ptr[-1] (" +
                          std::to_string(nnz) + ") entries");
  g.row_features = rows.data();
  g.col_features = cols.data();
  g.edge_values = edges.data();
  g.edge_row_ptr = ptr.data();
  g.edge_col = edge_col.data();
  py::array_t<int32_t, py::array::c_style> asked;
  if (!columns.is_none()) asked = exact<int32_t>(columns, "columns");
  std::vector<double> out;
  {
    py::gil_scoped_release release;
    learn::BranchScratch scratch;   // std::invalid_argument (an index out of range): ValueError
    learn::branch_logits(model, g, columns.is_none() ? nullptr : asked.data(),
                         columns.is_none() ? 0 : std::size_t(asked.size()), scratch, out);
  }
  return copy_to_numpy(out);
}

}  // namespace

void bind_branch_model(py::module_& m) {
  py::class_<learn::BranchModel, std::shared_ptr<learn::BranchModel>>(
      m, "BranchModel",
      "The branching GCNN's weights in the engine (learn/branch_forward.hpp): BranchModel(weights, emb) from "
      "{state_dict key: float32 array} (satmip.learn.branch_format checks the file first); "
      "MipSolver(branching='gnn', branching_model=it)")
      .def(py::init(&make_model), py::arg("weights"), py::arg("emb"))
      .def_property_readonly("emb", [](const learn::BranchModel& b) { return b.emb; })
      .def_property_readonly("feature_counts", [](const learn::BranchModel& b) {
        return py::make_tuple(b.row_features, b.edge_features, b.col_features);
      }, "(row, edge, column) input features")
      .def("logits", &logits, py::arg("state"), py::arg("columns") = py::none(),
           "The engine's forward on a node state dict (float64 row_features, col_features, edge_values; int64 "
           "edge_row_ptr; int32 edge_col): float64 logits of every column, or of columns (int32), one thread, "
           "the GIL released");
}

}  // namespace satmip::bindings
