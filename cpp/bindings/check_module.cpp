// Python bindings of the checkers: the independent proof checkers
// (check/lrat_checker.hpp) and the model check every engine runs (lp/model_check.hpp).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "bindings/array_args.hpp"
#include "bindings/bindings.hpp"
#include "bindings/model_dict.hpp"
#include "check/lrat_checker.hpp"
#include "lp/model_check.hpp"

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

// names: array -> what the caller calls it ({"cost": "c"}); the keys are ArrayNames' fields.
lp::ArrayNames array_names(const py::dict& names) {
  lp::ArrayNames arrays;
  std::string* fields[] = {&arrays.cost, &arrays.matrix, &arrays.col_lower, &arrays.col_upper,
                           &arrays.row_lower, &arrays.row_upper};
  const char* keys[] = {"cost", "A", "col_lower", "col_upper", "row_lower", "row_upper"};
  for (const auto& [key, value] : names) {
    const auto name = key.cast<std::string>();
    size_t k = 0;
    while (k < std::size(keys) && name != keys[k]) ++k;
    if (k == std::size(keys))
      throw py::value_error("check_model: no array '" + name +
                            "' (names: cost, A, col_lower, col_upper, row_lower, row_upper)");
    *fields[k] = value.cast<std::string>();
  }
  return arrays;
}

}  // namespace

void bind_check(py::module_& m) {
  m.def(
      "check_model",
      [](const py::dict& model, const std::string& who, const py::dict& names) {
        lp::check_model(model_from_dict(model), who, array_names(names));
      },
      py::arg("model"), py::arg("who"), py::arg("names") = py::dict(),
      "Run the engines' model check (lp::check_model) on a model dict: ValueError\n"
      "'WHO: ARRAY[INDEX]: ...' naming the entry, column or row on a NaN, an infinite\n"
      "cost or matrix entry, a lower bound +inf or an upper bound -inf, or bad shapes.\n"
      "names: what the messages call the arrays, e.g. {'cost': 'c'}.");
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
