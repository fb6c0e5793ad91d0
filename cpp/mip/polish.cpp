// Exact continuous parts for integer values, by one LP over the continuous
// columns with the integer columns fixed (within the global bounds):
//   polishing: a candidate taken from an LP solution with its integer columns
//     rounded satisfies the rows only within the LP's tolerances, and the
//     continuous columns may lean on that slack to reach an objective value
//     slightly better than the true optimum. Run between nodes, where the LP
//     solver is not in use; the incumbent is replaced when the polished point
//     passes the check with a smaller violation.
//   repair: a candidate with integral values that breaks a row by more than
//     the feasibility tolerance, but only a little (the LP's tolerances are
//     scaled, the check's absolute), is no solution; its integer values may
//     still have an exact continuous completion. Kept and repaired between
//     nodes, or at once at a node whose LP point is integral.
#include <algorithm>
#include <cmath>

#include "mip/exact_point.hpp"
#include "mip/search.hpp"
#include "mip/solution_check.hpp"

namespace satmip::mip {

std::vector<double> Search::solve_continuous_part(const std::vector<double>& x) {
  const int32_t n = model_.A.cols;
  if (node_state_ && last_solved_id_ >= 0) node_state_->hold_solution(lp_);
  std::vector<lp::BasisStatus> cols, rows;
  lp_.get_basis(cols, rows);
  // Integer columns at exact integers: a value 1e-7 off, within the
  // integrality tolerance, lets big-M rows hand the continuous columns slack
  // that no integer point has (a better objective than the true optimum).
  std::vector<double> integer_value(n);
  for (int32_t j = 0; j < n; ++j) {
    integer_value[j] = model_.integer[j] ? std::round(x[j]) : 0.0;
    const double lower = model_.integer[j] ? integer_value[j] : global_lower_[j];
    const double upper = model_.integer[j] ? integer_value[j] : global_upper_[j];
    lp_.change_col_bounds(j, lower, upper);
  }
  const int64_t saved_iteration_limit = lp_.options().iteration_limit;
  lp_.options().iteration_limit = std::max<int64_t>(1000, lp_iterations_ / 10);
  lp_.options().time_limit = std::max(0.0, options_.time_limit - elapsed());
  const lp::LpStatus status = lp_.solve();
  lp_iterations_ += lp_.iterations();
  std::vector<double> exact;
  if (status == lp::LpStatus::kOptimal) {
    exact = lp_.x();
    for (int32_t j = 0; j < n; ++j)
      if (model_.integer[j]) exact[j] = integer_value[j];
  }
  lp_.options().iteration_limit = saved_iteration_limit;
  for (int32_t j = 0; j < n; ++j) lp_.change_col_bounds(j, loaded_lower_[j], loaded_upper_[j]);
  lp_.set_basis(cols, rows);
  last_solved_id_ = -1;   // the solver no longer holds the node's LP: children start from its basis
  return exact;
}

bool Search::repair_candidate() {
  if (repair_candidate_.empty()) return false;
  std::vector<double> candidate = std::move(repair_candidate_);
  repair_candidate_.clear();
  repair_value_ = std::numeric_limits<double>::infinity();
  std::vector<double> exact = solve_continuous_part(candidate);
  if (exact.empty()) return false;
  repairing_ = true;   // a repaired point that still misses is dropped, not kept again
  const bool accepted = try_incumbent(std::move(exact));
  repairing_ = false;
  return accepted;
}

void Search::polish_incumbent() {
  if (!needs_polish_ || incumbent_.empty()) return;
  needs_polish_ = false;
  std::vector<double> x = solve_continuous_part(incumbent_);
  if (x.empty()) return;
  std::vector<double> original_x = to_original(x);
  SolutionCheck check = check_solution(original_model(), original_x, options_.feasibility_tolerance,
                                       options_.integrality_tolerance);
  const double violation = std::max(check.max_violation, check.max_fractionality);
  if (!check.feasible || violation >= incumbent_violation_) return;
  const double value = sense_ * model_objective(original_model(), original_x);
  // A polished point is exact where the candidate leaned on the tolerances, so
  // its value may be slightly worse (more than a little: keep the candidate).
  // Nodes pruned against the candidate's value may hold points between the two
  // values: the dual bound stays at most that value, and the gap shows it.
  if (value > incumbent_value_ + 1e-3 * std::max(1.0, std::fabs(incumbent_value_))) return;
  if (value > incumbent_value_) pruned_by_gap_bound_ = std::min(pruned_by_gap_bound_, incumbent_value_);
  ++polished_;
  incumbent_ = std::move(x);
  incumbent_original_ = std::move(original_x);
  incumbent_value_ = value;
  incumbent_violation_ = violation;
  notify_incumbent();   // the caller hears of the polished point too: the last one reported is the result
}

void Search::make_incumbent_exact() {
  if (incumbent_original_.empty()) return;
  const lp::Model& original = original_model();
  std::vector<double> rounded = with_exact_integers(original, incumbent_original_);
  // Exact integers: polish_incumbent has done what the continuous columns need.
  if (rounded == incumbent_original_) return;
  // The completion where it meets the rows (it uses no tolerance), else the rounded point.
  std::vector<double> best;
  if (has_continuous_columns(original)) {
    const double time_left = std::max(options_.time_limit - elapsed(), std::min(1.0, 0.05 * elapsed()));
    best = exact_continuous_completion(original, rounded, time_left);
  }
  SolutionCheck check;
  if (!best.empty())
    check = check_solution(original, best, options_.feasibility_tolerance, options_.integrality_tolerance);
  if (!check.feasible) {
    best = std::move(rounded);
    check = check_solution(original, best, options_.feasibility_tolerance, options_.integrality_tolerance);
  }
  // Neither meets the rows: the search's point stays (integral within the tolerance).
  if (!check.feasible) return;
  const double value = sense_ * model_objective(original, best);
  // Nodes pruned against the inexact value may hold points up to the exact one.
  if (value > incumbent_value_) pruned_by_gap_bound_ = std::min(pruned_by_gap_bound_, incumbent_value_);
  incumbent_original_ = std::move(best);
  incumbent_value_ = value;
  incumbent_violation_ = check.max_violation;
  notify_incumbent();
}

}  // namespace satmip::mip
