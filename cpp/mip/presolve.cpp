// The presolve driver: rounds of all rules until none changes anything (or the
// round/time budget is spent), then the reduced model and its postsolve.
#include "mip/presolve.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "lp/model_check.hpp"
#include "mip/presolve_problem.hpp"
#include "mip/presolve_rules.hpp"

namespace satmip::mip {

const char* to_string(PresolveStatus status) {
  switch (status) {
    case PresolveStatus::kReduced: return "reduced";
    case PresolveStatus::kInfeasible: return "infeasible";
    case PresolveStatus::kUnboundedOrInfeasible: return "unbounded_or_infeasible";
  }
  return "unknown";
}

namespace {

bool stopped(const PresolveProblem& p) { return p.infeasible || p.unbounded_or_infeasible; }

using Rule = int32_t (*)(PresolveProblem&);

// One round: the cheap removals first, so that the costlier rules see a
// smaller problem. Returns the number of changes.
int32_t run_round(PresolveProblem& p, const PresolveOptions& options) {
  std::vector<Rule> rules = {remove_fixed_columns, remove_empty_rows, remove_empty_columns, remove_singleton_rows,
                             tighten_bounds_from_rows, remove_fixed_columns, remove_redundant_rows};
  if (options.coefficient_tightening) rules.push_back(tighten_coefficients);
  if (options.dual_fixing) rules.push_back(fix_dual_dominated_columns);
  int32_t changes = 0;
  for (Rule rule : rules) {
    changes += rule(p);
    if (stopped(p)) break;
  }
  return changes;
}

// Duplicates cost a hashing pass over the whole matrix: run only when the
// cheap rules have settled.
int32_t run_duplicates(PresolveProblem& p, const PresolveOptions& options) {
  int32_t changes = 0;
  if (options.duplicate_rows) changes += merge_duplicate_rows(p);
  if (!stopped(p) && options.duplicate_columns) changes += merge_duplicate_columns(p);
  return changes;
}

}  // namespace

PresolveResult presolve(const lp::Model& original, const PresolveOptions& options) {
  lp::check_model(original, "presolve");
  const auto start = std::chrono::steady_clock::now();
  auto out_of_time = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >
           options.time_limit_seconds;
  };
  PresolveProblem p(original);
  p.tighten_continuous = options.continuous_bound_tightening;
  for (int32_t round = 0; round < options.max_rounds && !stopped(p) && !out_of_time(); ++round) {
    ++p.stats.rounds;
    int32_t changes = run_round(p, options);
    if (changes == 0 && !stopped(p)) changes = run_duplicates(p, options);
    if (changes == 0) break;
  }
  // Leave no fixed column or empty row behind, even when the budget ran out.
  if (!stopped(p)) remove_fixed_columns(p);
  if (!stopped(p)) remove_empty_rows(p);

  PresolveResult result;
  result.stats = p.stats;
  if (p.infeasible) {
    result.status = PresolveStatus::kInfeasible;
  } else if (p.unbounded_or_infeasible) {
    result.status = PresolveStatus::kUnboundedOrInfeasible;
  } else {
    result.status = PresolveStatus::kReduced;
    result.reduced = p.reduced_model(original);
  }
  std::vector<int32_t> kept;
  for (int32_t j = 0; j < p.cols(); ++j)
    if (p.col_active[size_t(j)]) kept.push_back(j);
  result.postsolve = std::move(p.postsolve);
  result.postsolve.set_kept_columns(std::move(kept));
  return result;
}

}  // namespace satmip::mip
