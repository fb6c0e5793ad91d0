// Python side of the MPS reader and writer. A model travels as a dict of numpy
// arrays, numbers and name lists (python/satmip/mps.py wraps it in MpsData):
// name, objective_name, sense, offset, cost, col_lower, col_upper, row_lower,
// row_upper, integer (bool), A_start (int64), A_index (int32), A_value
// (float64; the matrix by columns), num_rows, num_cols, row_names, col_names,
// warnings.
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings/bindings.hpp"
#include "io/dimacs.hpp"
#include "io/mps.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

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

py::dict to_python(lp::Model&& m) {
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

template <class T>
std::vector<T> vector_from(const py::dict& d, const char* key) {
  auto array = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(d[key]);
  if (!array || array.ndim() != 1)
    throw py::value_error(std::string(key) + " must be a one-dimensional array");
  return std::vector<T>(array.data(), array.data() + array.size());
}

template <class T>
T value_or(const py::dict& d, const char* key, T fallback) {
  return d.contains(key) && !d[key].is_none() ? d[key].cast<T>() : fallback;
}

// The dict shape read_mps returns; integer, names, name, objective_name,
// sense, offset and the counts may be left out.
lp::Model from_python(const py::dict& d) {
  lp::Model m;
  m.name = value_or<std::string>(d, "name", "");
  m.objective_name = value_or<std::string>(d, "objective_name", "");
  m.sense = value_or<int>(d, "sense", 1);
  m.offset = value_or<double>(d, "offset", 0.0);
  m.cost = vector_from<double>(d, "cost");
  m.col_lower = vector_from<double>(d, "col_lower");
  m.col_upper = vector_from<double>(d, "col_upper");
  m.row_lower = vector_from<double>(d, "row_lower");
  m.row_upper = vector_from<double>(d, "row_upper");
  if (d.contains("integer") && !d["integer"].is_none()) m.integer = vector_from<uint8_t>(d, "integer");
  m.A.start = vector_from<int64_t>(d, "A_start");
  m.A.index = vector_from<int32_t>(d, "A_index");
  m.A.value = vector_from<double>(d, "A_value");
  m.A.rows = value_or<int32_t>(d, "num_rows", int32_t(m.row_lower.size()));
  m.A.cols = value_or<int32_t>(d, "num_cols", int32_t(m.cost.size()));
  m.row_names = value_or<std::vector<std::string>>(d, "row_names", {});
  m.col_names = value_or<std::vector<std::string>>(d, "col_names", {});
  return m;
}

io::MpsFormat format_of(const std::string& format) {
  if (format == "auto") return io::MpsFormat::kAuto;
  if (format == "free") return io::MpsFormat::kFree;
  if (format == "fixed") return io::MpsFormat::kFixed;
  throw py::value_error("format must be 'auto', 'free' or 'fixed', not '" + format + "'");
}

// MpsError is a std::invalid_argument and would become ValueError anyway; it
// is listed so that no translator registered elsewhere for a base class can
// capture it. FileError -> OSError is registered in io_module.cpp.
void register_translators() {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const io::MpsError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
}

constexpr const char* kReadDoc = R"doc(Returns the model of an MPS file as a dict.

Fixed or free MPS, plain or compressed with gzip, xz or bzip2 (detected from
the file's first bytes). format: "auto" (free, then fixed if free fails),
"free" or "fixed". The dialect is that of satmip.bench.mps (see its docstring).
Keys: name, objective_name ("" without an N row), sense (1 min, -1 max),
offset, cost, col_lower, col_upper, row_lower, row_upper, integer (bool),
A_start (int64), A_index (int32), A_value (float64) -- the constraint matrix by
columns -- num_rows, num_cols, row_names, col_names, warnings.

Raises OSError if the file cannot be read, ValueError ("FILE:LINE: message")
if it is not valid MPS.
)doc";

constexpr const char* kParseDoc = R"doc(Returns the model of MPS text (str or bytes) as a dict.

name labels error messages and warnings. Same result and rules as read_mps.
)doc";

constexpr const char* kFormatDoc = R"doc(Returns free MPS text for a model dict (the shape read_mps returns).

integer, row_names, col_names, name, objective_name, sense, offset, num_rows
and num_cols may be left out. Reading the text back gives the same model;
names that free MPS cannot carry (with spaces, empty, duplicated) are repaired.
Raises ValueError for an inconsistent model or one MPS cannot express.
)doc";

}  // namespace

void bind_mps(py::module_& m) {
  register_translators();

  m.def(
      "read_mps",
      [](const std::filesystem::path& path, const std::string& format) {
        io::MpsFormat how = format_of(format);
        lp::Model model;
        {
          py::gil_scoped_release nogil;
          model = io::read_mps_file(path.string(), how);
        }
        return to_python(std::move(model));
      },
      py::arg("path"), py::arg("format") = "auto", kReadDoc);

  m.def(
      "parse_mps",
      [](const std::string& text, const std::string& name, const std::string& format) {
        io::MpsFormat how = format_of(format);
        lp::Model model;
        {
          py::gil_scoped_release nogil;
          model = io::parse_mps(text, name, how);
        }
        return to_python(std::move(model));
      },
      py::arg("text"), py::arg("name") = "<string>", py::arg("format") = "auto", kParseDoc);

  m.def(
      "format_mps",
      [](const py::dict& model) {
        lp::Model m = from_python(model);
        std::string text;
        {
          py::gil_scoped_release nogil;
          text = io::format_mps(m);
        }
        return text;
      },
      py::arg("model"), kFormatDoc);

  m.def(
      "write_mps",
      [](const py::dict& model, const std::filesystem::path& path) {
        lp::Model m = from_python(model);
        py::gil_scoped_release nogil;
        io::write_mps_file(m, path.string());
      },
      py::arg("model"), py::arg("path"), "Writes format_mps(model) to a plain file; OSError if that fails.");
}

}  // namespace satmip::bindings
