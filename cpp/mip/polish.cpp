// Polishing an incumbent: a candidate taken from an LP solution with its
// integer columns rounded satisfies the rows only within the tolerances (up
// to 1e-6 relative), and the continuous columns may lean on that slack to
// reach an objective value slightly better than the true optimum. With the
// integer columns fixed at their values, one LP over the continuous columns
// (within the global bounds) gives the exact continuous part. Run between
// nodes, where the LP solver is not in use; the incumbent is replaced when the
// polished point passes the check with a smaller violation.
#include <algorithm>
#include <cmath>

#include "mip/search.hpp"
#include "mip/solution_check.hpp"

namespace satmip::mip {

void Search::polish_incumbent() {
  if (!needs_polish_ || incumbent_.empty()) return;
  needs_polish_ = false;
  const int32_t n = model_.A.cols;
  std::vector<lp::BasisStatus> cols, rows;
  lp_.get_basis(cols, rows);
  for (int32_t j = 0; j < n; ++j) {
    const double lower = model_.integer[j] ? incumbent_[j] : global_lower_[j];
    const double upper = model_.integer[j] ? incumbent_[j] : global_upper_[j];
    lp_.change_col_bounds(j, lower, upper);
  }
  const int64_t saved_iteration_limit = lp_.options().iteration_limit;
  lp_.options().iteration_limit = std::max<int64_t>(1000, lp_iterations_ / 10);
  lp_.options().time_limit = std::max(0.0, options_.time_limit - elapsed());
  const lp::LpStatus status = lp_.solve();
  lp_iterations_ += lp_.iterations();
  std::vector<double> x;
  if (status == lp::LpStatus::kOptimal) {
    x = lp_.x();
    for (int32_t j = 0; j < n; ++j)
      if (model_.integer[j]) x[j] = incumbent_[j];
  }
  lp_.options().iteration_limit = saved_iteration_limit;
  for (int32_t j = 0; j < n; ++j) lp_.change_col_bounds(j, loaded_lower_[j], loaded_upper_[j]);
  lp_.set_basis(cols, rows);
  last_solved_id_ = -1;
  if (x.empty()) return;
  std::vector<double> original_x = to_original(x);
  SolutionCheck check = check_solution(original_model(), original_x, options_.feasibility_tolerance,
                                       options_.integrality_tolerance);
  if (!check.feasible || check.max_violation >= incumbent_violation_) return;
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
  incumbent_violation_ = check.max_violation;
  notify_incumbent();   // the caller hears of the polished point too: the last one reported is the result
}

}  // namespace satmip::mip
