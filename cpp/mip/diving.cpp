// Fractional diving at the root (a primal heuristic): repeatedly round the
// least fractional integer column of the LP solution to its nearest integer
// by a bound change and re-solve warm, flipping the direction once when the
// LP becomes infeasible, until the LP solution is integral (a candidate
// incumbent) or the dive fails. The root's bounds and basis are restored.
#include <cmath>

#include "mip/branching.hpp"
#include "mip/search.hpp"
#include "mip/solution_check.hpp"

namespace satmip::mip {

void Search::fractional_dive() {
  if (node_state_) node_state_->hold_solution(lp_);   // the dive overwrites the root's LP solution
  std::vector<double> lower = loaded_lower_, upper = loaded_upper_;
  std::vector<int32_t> touched;
  // A dive may cost about as much as the root LP did, twice over.
  const int64_t budget = std::max<int64_t>(1000, 2 * lp_iterations_);
  int64_t used = 0;
  std::vector<double> x = node_x_;
  const int64_t saved_iteration_limit = lp_.options().iteration_limit;

  auto fix = [&](int32_t j, double lo, double up) {
    lower[j] = lo;
    upper[j] = up;
    touched.push_back(j);
    lp_.change_col_bounds(j, lo, up);
  };
  auto resolve = [&]() {
    lp_.options().iteration_limit = std::max<int64_t>(1, budget - used);
    lp_.options().time_limit = std::max(0.0, options_.time_limit - elapsed());
    lp::LpStatus status = lp_.solve();
    used += lp_.iterations();
    lp_iterations_ += lp_.iterations();
    return status;
  };

  for (int depth = 0; depth < options_.dive_max_depth && used < budget; ++depth) {
    std::vector<int32_t> candidates = branching_candidates(x, model_.integer, options_.integrality_tolerance);
    if (candidates.empty()) {
      std::vector<double> rounded = x;
      for (int32_t j = 0; j < model_.A.cols; ++j)
        if (model_.integer[j]) rounded[j] = std::round(rounded[j]);
      if (!try_incumbent(rounded)) try_incumbent(x);
      break;
    }
    bool found = false;
    for (auto& candidate : rounding_candidates(model_, locks_, x, candidates)) found |= try_incumbent(std::move(candidate));
    if (found || stop_) break;

    size_t pick = 0;
    for (size_t k = 1; k < candidates.size(); ++k)
      if (fractionality(x[candidates[k]]) < fractionality(x[candidates[pick]])) pick = k;
    const int32_t j = candidates[pick];
    const bool up = x[j] - std::floor(x[j]) >= 0.5;
    const double lo = lower[j], hi = upper[j];
    if (up) fix(j, std::ceil(x[j]), hi);
    else fix(j, lo, std::floor(x[j]));
    lp::LpStatus status = resolve();
    if (status == lp::LpStatus::kInfeasible) {
      if (up) fix(j, lo, std::floor(x[j]));
      else fix(j, std::ceil(x[j]), hi);
      status = resolve();
    }
    if (status != lp::LpStatus::kOptimal) break;
    if (sense_ * lp_.objective() >= cutoff()) break;
    x = lp_.x();
  }

  lp_.options().iteration_limit = saved_iteration_limit;
  for (int32_t j : touched) lp_.change_col_bounds(j, loaded_lower_[j], loaded_upper_[j]);
  if (root_basis_) lp_.set_basis(root_basis_->cols, root_basis_->rows);
  last_solved_id_ = -1;   // the solver no longer holds the root's LP: children start from its basis
}

}  // namespace satmip::mip
