// satmip.learn's C++ forward of the phase model: _core.phase_logits(graph arrays,
// features, weights) -> float32 logits, the GIL released while it runs. The arrays
// must have the exact dtypes (satmip.learn.phase_infer passes them so): anything
// else is a ValueError naming the argument, never a silent conversion.
#include <string>
#include <vector>

#include <pybind11/numpy.h>

#include "bindings/array_args.hpp"
#include "bindings/bindings.hpp"
#include "bindings/model_dict.hpp"
#include "learn/phase_forward.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

template <class T>
py::array_t<T, py::array::c_style> exact(py::handle obj, const std::string& what, size_t size) {
  auto a = exact_array<T>(obj, "phase_logits: " + what);
  if (size_t(a.size()) != size)
    throw py::value_error("phase_logits: " + what + " has " + std::to_string(a.size()) + " entries, expected " +
                          std::to_string(size));
  return a;
}

py::array_t<float> phase_logits(py::handle edge_var, py::handle edge_clause, py::handle edge_sign,
                                py::handle clause_meta, int64_t nvars, int64_t nclauses, int64_t nmeta,
                                py::handle variable_features, py::handle clause_features, py::dict weights,
                                int hidden, int layers, float eps) {
  if (hidden <= 0 || layers < 0 || nvars < 0 || nclauses < 0 || nmeta < 0)
    throw py::value_error("phase_logits: sizes must be >= 0 (hidden > 0)");
  const size_t h = size_t(hidden), edges = size_t(py::len(edge_var));
  std::vector<py::object> keep;   // the arrays the pointers below point into
  auto take = [&](auto array) {
    keep.push_back(array);
    return array.data();
  };
  learn::PhaseGraph g;
  g.nvars = nvars, g.nclauses = nclauses, g.nmeta = nmeta, g.nedges = edges;
  g.edge_var = take(exact<int64_t>(edge_var, "edge_var", edges));
  g.edge_clause = take(exact<int64_t>(edge_clause, "edge_clause", edges));
  g.edge_sign = take(exact<int8_t>(edge_sign, "edge_sign", edges));
  g.clause_meta = take(exact<int64_t>(clause_meta, "clause_meta", nmeta > 0 ? size_t(nclauses) : 0));
  auto features = [&](py::handle obj, const char* what, size_t rows) {
    auto a = py::array_t<float, py::array::c_style>::check_(obj)
                 ? py::reinterpret_borrow<py::array_t<float, py::array::c_style>>(obj)
                 : exact<float>(obj, what, 0);
    if (a.ndim() != 2 || size_t(a.shape(0)) != rows)
      throw py::value_error(std::string("phase_logits: ") + what + " must have shape (" + std::to_string(rows) +
                            ", features)");
    keep.push_back(a);
    return std::make_pair(a.data(), int(a.shape(1)));
  };
  auto [var_features, nvar_features] = features(variable_features, "variable_features", size_t(nvars));
  auto [cls_features, ncls_features] = features(clause_features, "clause_features", size_t(nclauses));
  learn::PhaseWeights w;
  w.hidden = hidden, w.eps = eps, w.variable_features = nvar_features, w.clause_features = ncls_features;
  auto weight = [&](const std::string& name, size_t size) {
    if (!weights.contains(name)) throw py::value_error("phase_logits: no weight " + name);
    return take(exact<float>(weights[py::str(name)], "weight " + name, size));
  };
  w.embed = weight("embed", 3 * h);
  w.in_variable = weight("in_variable", size_t(nvar_features) * h);
  w.in_clause = weight("in_clause", size_t(ncls_features) * h);
  for (int i = 0; i < layers; i++) {
    const std::string p = "layers." + std::to_string(i) + ".";
    w.layers.push_back({weight(p + "norm.weight", h), weight(p + "norm.bias", h), weight(p + "w_self", h * h),
                        weight(p + "w_rel", size_t(learn::kRelations) * h * h), weight(p + "bias", h),
                        weight(p + "w_out", h * h), weight(p + "b_out", h)});
  }
  w.head_norm_weight = weight("head_norm.weight", h);
  w.head_norm_bias = weight("head_norm.bias", h);
  w.head_w1 = weight("head_w1", h * h);
  w.head_b1 = weight("head_b1", h);
  w.head_w2 = weight("head_w2", h);
  w.head_b2 = weight("head_b2", 1);
  std::vector<float> logits;
  {
    py::gil_scoped_release release;
    logits = learn::phase_logits(g, var_features, cls_features, w);
  }
  return copy_to_numpy(logits);
}

}  // namespace

void bind_learn(py::module_& m) {
  m.def("phase_logits", &phase_logits, py::arg("edge_var"), py::arg("edge_clause"), py::arg("edge_sign"),
        py::arg("clause_meta"), py::arg("nvars"), py::arg("nclauses"), py::arg("nmeta"),
        py::arg("variable_features"), py::arg("clause_features"), py::arg("weights"), py::arg("hidden"),
        py::arg("layers"), py::arg("eps"),
        "The phase model's forward on a clause graph (satmip.learn.phase_infer): float32 logits "
        "per variable; one thread, the GIL released. Arrays of the exact dtypes: int64 edges and "
        "clause_meta, int8 edge_sign, float32 C-contiguous features and weights.");
}

}  // namespace satmip::bindings
