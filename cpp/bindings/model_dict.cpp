// Conversions between the Python model dict and lp::Model (see model_dict.hpp).
#include "bindings/model_dict.hpp"

#include "lp/model_check.hpp"

#include <memory>
#include <string>
#include <utility>

#include <pybind11/stl.h>

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

// Hands a vector to numpy without copying: the array's base object is a
// capsule that owns the vector.
template <class T>
py::array to_numpy(std::vector<T>&& values, const py::dtype& dtype) {
  auto owned = std::make_unique<std::vector<T>>(std::move(values));
  std::vector<T>* raw = owned.get();
  py::capsule base(raw, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  owned.release();  // the capsule owns it now
  return py::array(dtype, {py::ssize_t(raw->size())}, {py::ssize_t(sizeof(T))}, raw->data(), base);
}

template <class T>
py::array to_numpy(std::vector<T>&& values) {
  return to_numpy(std::move(values), py::dtype::of<T>());
}

}  // namespace

lp::Model model_from_dict(const py::dict& d) {
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
  lp::check_model(m, "model");   // std::invalid_argument: ValueError naming the entry
  return m;
}

py::dict model_to_dict(lp::Model&& m) {
  py::dict d;
  d["name"] = m.name;
  d["objective_name"] = m.objective_name;
  d["sense"] = m.sense;
  d["offset"] = m.offset;
  d["num_rows"] = m.A.rows;
  d["num_cols"] = m.A.cols;
  d["cost"] = to_numpy(std::move(m.cost));
  d["col_lower"] = to_numpy(std::move(m.col_lower));
  d["col_upper"] = to_numpy(std::move(m.col_upper));
  d["row_lower"] = to_numpy(std::move(m.row_lower));
  d["row_upper"] = to_numpy(std::move(m.row_upper));
  d["integer"] = to_numpy(std::move(m.integer), py::dtype("bool"));  // 0/1 bytes are numpy bools
  d["A_start"] = to_numpy(std::move(m.A.start));
  d["A_index"] = to_numpy(std::move(m.A.index));
  d["A_value"] = to_numpy(std::move(m.A.value));
  d["row_names"] = py::cast(m.row_names);
  d["col_names"] = py::cast(m.col_names);
  d["warnings"] = py::cast(m.warnings);
  return d;
}

}  // namespace satmip::bindings
