// Python bindings of the independent proof checkers (check/lrat_checker.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings/array_args.hpp"
#include "bindings/bindings.hpp"
#include "check/lrat_checker.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

using Checker = check::CheckResult (*)(const std::vector<int32_t>&, int32_t, const std::string&);

py::dict to_dict(const check::CheckResult& r) {
  py::dict d;
  d["ok"] = r.ok;
  d["message"] = r.message;
  d["lemmas"] = r.lemmas;
  d["deletions"] = r.deletions;
  return d;
}

// Copies the inputs while holding the GIL, then checks without it.
// The formula: any integer array or sequence, each literal within int32
// (floats and wider integers are refused, not cast to another formula).
py::dict run_checker(Checker checker, py::handle formula, int32_t nvars, const py::object& proof_path) {
  std::vector<int32_t> lits = integer_entries<int32_t>(formula, "formula (a flat array of literals)");
  const auto path = py::module_::import("os").attr("fsdecode")(proof_path).cast<std::string>();
  check::CheckResult result;
  {
    py::gil_scoped_release release;
    result = checker(lits, nvars, path);
  }
  return to_dict(result);
}

}  // namespace

void bind_check(py::module_& m) {
  m.def(
      "check_lrat",
      [](py::handle formula, int32_t nvars, const py::object& proof_path) {
        return run_checker(&check::check_lrat, formula, nvars, proof_path);
      },
      py::arg("formula"), py::arg("nvars"), py::arg("proof_path"),
      "Check an LRAT proof (text or binary, auto-detected; RUP hints only).\n\n"
      "formula: flat int32 literals, each clause terminated by 0; clause i (1-based)\n"
      "has LRAT id i. Returns dict(ok, message, lemmas, deletions); ok is True only\n"
      "if every step checks and the empty clause is added.");
  m.def(
      "check_drat",
      [](py::handle formula, int32_t nvars, const py::object& proof_path) {
        return run_checker(&check::check_drat, formula, nvars, proof_path);
      },
      py::arg("formula"), py::arg("nvars"), py::arg("proof_path"),
      "Check a DRAT proof (text or binary, auto-detected) by forward checking:\n"
      "each lemma must be RUP or RAT on its first literal.\n"
      "Returns dict(ok, message, lemmas, deletions).");
}

}  // namespace satmip::bindings
