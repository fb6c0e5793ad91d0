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
#include "bindings/model_dict.hpp"
#include "io/dimacs.hpp"
#include "io/mps.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

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
        return model_to_dict(std::move(model));
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
        return model_to_dict(std::move(model));
      },
      py::arg("text"), py::arg("name") = "<string>", py::arg("format") = "auto", kParseDoc);

  m.def(
      "format_mps",
      [](const py::dict& model) {
        lp::Model m = model_from_dict(model);
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
        lp::Model m = model_from_dict(model);
        py::gil_scoped_release nogil;
        io::write_mps_file(m, path.string());
      },
      py::arg("model"), py::arg("path"), "Writes format_mps(model) to a plain file; OSError if that fails.");
}

}  // namespace satmip::bindings
