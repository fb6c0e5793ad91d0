// Independent proof checkers, used by the tests on every UNSAT answer.
// They share no code with the solver (only the Cnf container of the reader).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace satmip::check {

struct CheckResult {
  bool ok = false;            // proof valid AND the empty clause was derived
  std::string message;        // "" on success, else the first failure (with proof line)
  int64_t lemmas = 0;         // added clauses checked
  int64_t deletions = 0;
};

// formula: flat 0-terminated clauses (original clause i has LRAT id i, 1-based).
// proof_path: LRAT, text or binary ('a' lines), auto-detected.
CheckResult check_lrat(const std::vector<int32_t>& formula, int32_t nvars,
                       const std::string& proof_path);

// DRAT (text or binary, auto-detected): forward checking, each lemma must be
// RUP or RAT on its first literal w.r.t. the current clause set.
CheckResult check_drat(const std::vector<int32_t>& formula, int32_t nvars,
                       const std::string& proof_path);

}  // namespace satmip::check
