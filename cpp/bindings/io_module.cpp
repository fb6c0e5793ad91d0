// Python side of the DIMACS reader: read_dimacs / parse_dimacs return
// (nvars, lits, nclauses) with lits a flat, 0-terminated int32 numpy array.
#include <filesystem>
#include <memory>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl/filesystem.h>

#include "bindings/bindings.hpp"
#include "io/dimacs.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

// Hands the literal vector to numpy without copying: the array's base object
// is a capsule that owns the vector.
py::array_t<int32_t> to_numpy(std::vector<int32_t>&& lits) {
  auto owned = std::make_unique<std::vector<int32_t>>(std::move(lits));
  std::vector<int32_t>* raw = owned.get();
  py::capsule base(raw, [](void* p) { delete static_cast<std::vector<int32_t>*>(p); });
  owned.release();  // the capsule owns it now
  return py::array_t<int32_t>({py::ssize_t(raw->size())}, {py::ssize_t(sizeof(int32_t))}, raw->data(), base);
}

py::tuple to_python(io::Cnf&& cnf) {
  return py::make_tuple(cnf.nvars, to_numpy(std::move(cnf.lits)), cnf.nclauses);
}

// FileError -> OSError. DimacsError would already become ValueError through
// pybind11's std::invalid_argument rule; it is listed so that no translator
// registered elsewhere for a base class can capture it.
void register_translators() {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const io::FileError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const io::DimacsError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
}

constexpr const char* kReadDoc = R"doc(Returns (nvars, lits, nclauses).

Read a DIMACS CNF file, plain or compressed with gzip, xz or bzip2 (detected
from the file's first bytes, not its name). lits is a flat numpy int32 array
holding every clause followed by 0. max_var > 0: a variable above it is an
error at its line (a solver's limit, checked while reading).

strict=True: a variable above the header's count, or a clause count differing
from the header, is an error. strict=False: nvars grows to the largest
variable used and the clause count is not checked.

Raises OSError if the file cannot be read or decompressed, ValueError
("FILE:LINE: message") if its contents are not valid DIMACS CNF.
)doc";

constexpr const char* kParseDoc = R"doc(Returns (nvars, lits, nclauses).

Parse DIMACS CNF text (str or bytes); name is used in error messages.
Same result and rules as read_dimacs; raises ValueError on invalid input.
)doc";

}  // namespace

void bind_io(py::module_& m) {
  register_translators();

  m.def(
      "read_dimacs",
      [](const std::filesystem::path& path, bool strict, int64_t max_var) {
        io::Cnf cnf;
        {
          py::gil_scoped_release nogil;
          cnf = io::read_dimacs_file(path.string(), strict, max_var);
        }
        return to_python(std::move(cnf));
      },
      py::arg("path"), py::arg("strict") = true, py::arg("max_var") = 0, kReadDoc);

  m.def(
      "parse_dimacs",
      [](const std::string& text, const std::string& name, bool strict) {
        io::Cnf cnf;
        {
          py::gil_scoped_release nogil;
          cnf = io::parse_dimacs(text, name, strict);
        }
        return to_python(std::move(cnf));
      },
      py::arg("text"), py::arg("name") = "<string>", py::arg("strict") = true, kParseDoc);
}

}  // namespace satmip::bindings
