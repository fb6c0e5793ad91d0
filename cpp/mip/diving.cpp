// Diving (primal heuristics): from the current node's LP solution, repeatedly
// round one fractional integer column by a bound change and re-solve warm,
// flipping the direction once when the LP becomes infeasible, until the LP
// solution is integral (a candidate incumbent), a rounding of it is feasible,
// or the dive fails (infeasible, cut off, depth or iteration budget spent).
// The rule picks the column and direction:
//   fractional: the least fractional column, to its nearest integer;
//   guided (needs an incumbent): the column whose LP value is closest to the
//     incumbent's, towards the incumbent's value (Berthold's guided diving);
//   coefficient: the column with the fewest row locks in one direction (but
//     at least one: lock-free columns are simple rounding's job), that way;
//     ties to the smaller distance.
// The node's bounds and basis are restored afterwards.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "mip/branching.hpp"
#include "mip/search.hpp"
#include "mip/solution_check.hpp"

namespace satmip::mip {

bool Search::dive(DiveRule rule, int64_t budget, int max_depth) {
  if (rule == DiveRule::kGuided && incumbent_.empty()) return false;
  // The dive overwrites the node's LP solution: keep it, unless an earlier heuristic already did.
  if (node_state_ && last_solved_id_ >= 0) node_state_->hold_solution(lp_);
  Basis node_basis;
  lp_.get_basis(node_basis.cols, node_basis.rows);
  std::vector<double> lower = loaded_lower_, upper = loaded_upper_;
  std::vector<int32_t> touched;
  int64_t used = 0;
  std::vector<double> x = node_x_;
  const std::vector<double>* activity = &node_activity_;   // x's row activities (the LP may hold an earlier dive's)
  const int64_t saved_iteration_limit = lp_.options().iteration_limit;
  bool found = false;

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
    heuristic_lp_iterations_ += lp_.iterations();
    return status;
  };

  for (int depth = 0; depth < std::min(max_depth, options_.dive_max_depth) && used < budget; ++depth) {
    std::vector<int32_t> candidates = branching_candidates(x, model_.integer, options_.integrality_tolerance);
    if (candidates.empty()) {
      std::vector<double> rounded = x;
      for (int32_t j = 0; j < model_.A.cols; ++j)
        if (model_.integer[j]) rounded[j] = std::round(rounded[j]);
      found = try_incumbent(rounded) || try_incumbent(x);
      break;
    }
    for (auto& candidate : rounding_candidates(model_, locks_, x, candidates))
      if (rounding_passes_rows(candidate, x, candidates, *activity)) found |= try_incumbent(std::move(candidate));
    if (found || stop_) break;

    size_t pick = 0;
    bool up = false;
    if (rule == DiveRule::kFractional) {
      for (size_t k = 1; k < candidates.size(); ++k)
        if (fractionality(x[candidates[k]]) < fractionality(x[candidates[pick]])) pick = k;
      up = x[candidates[pick]] - std::floor(x[candidates[pick]]) >= 0.5;
    } else if (rule == DiveRule::kCoefficient) {
      // Key per candidate: (locks in the chosen direction, zero counted as infinite; distance).
      int64_t best_locks = 0;
      double best_distance = 0;
      for (size_t k = 0; k < candidates.size(); ++k) {
        const int32_t c = candidates[k];
        const double f = x[c] - std::floor(x[c]);
        const int64_t down = locks_.down[c] > 0 ? locks_.down[c] : INT64_MAX;
        const int64_t up_locks = locks_.up[c] > 0 ? locks_.up[c] : INT64_MAX;
        const bool go_up = up_locks < down || (up_locks == down && f >= 0.5);
        const int64_t locks = go_up ? up_locks : down;
        const double distance = go_up ? 1.0 - f : f;
        if (k == 0 || locks < best_locks || (locks == best_locks && distance < best_distance)) {
          pick = k;
          up = go_up;
          best_locks = locks;
          best_distance = distance;
        }
      }
    } else {
      auto distance = [&](size_t k) { return std::fabs(x[candidates[k]] - incumbent_[candidates[k]]); };
      for (size_t k = 1; k < candidates.size(); ++k)
        if (distance(k) < distance(pick)) pick = k;
      up = incumbent_[candidates[pick]] > x[candidates[pick]];
    }
    const int32_t j = candidates[pick];
    const double lo = lower[j], hi = upper[j];
    ++dive_steps_;
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
    activity = &lp_.row_activity();
  }

  lp_.options().iteration_limit = saved_iteration_limit;
  for (int32_t j : touched) lp_.change_col_bounds(j, loaded_lower_[j], loaded_upper_[j]);
  lp_.set_basis(node_basis.cols, node_basis.rows);
  last_solved_id_ = -1;   // the solver no longer holds the node's LP: children start from its basis
  return found;
}

}  // namespace satmip::mip
