// Reliability branching (SCIP's and HiGHS's default): pseudocost scores, but
// candidates whose pseudocosts rest on too few observations are evaluated by
// strong branching first: both children's LPs solved warm from the node's
// basis with an iteration cap, their gains recorded as pseudocost
// observations. The node's bounds and basis are restored after each probe.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "mip/branching.hpp"
#include "mip/search.hpp"

namespace satmip::mip {

size_t Search::select_reliability(const std::vector<int32_t>& candidates, const Basis& node_basis, double node_bound) {
  std::vector<double> scores(candidates.size());
  for (size_t k = 0; k < candidates.size(); ++k) {
    double value = node_x_[candidates[k]];
    scores[k] = pseudocosts_.score(candidates[k], value - std::floor(value));
  }
  // Probe the unreliable candidates with the best pseudocost scores first.
  std::vector<size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });

  const int64_t saved_iteration_limit = lp_.options().iteration_limit;
  // An infeasible (or cut off) child: far better than any finite gain, so the candidate wins.
  const double decisive_gain = 1e12;
  int probed = 0;
  bool probed_any = false;
  for (size_t k : order) {
    if (probed >= options_.strong_branching_candidates || stop_) break;
    const int32_t j = candidates[k];
    if (std::min(pseudocosts_.observations(j, false), pseudocosts_.observations(j, true)) >= options_.reliability_threshold)
      continue;
    ++probed;
    const double value = node_x_[j], fraction = value - std::floor(value);
    double gains[2] = {0, 0};
    bool known[2] = {false, false};
    for (int up = 0; up < 2; ++up) {
      const double lower = loaded_lower_[j], upper = loaded_upper_[j];
      if (up) lp_.change_col_bounds(j, std::ceil(value), upper);
      else lp_.change_col_bounds(j, lower, std::floor(value));
      lp_.options().iteration_limit = options_.strong_branching_iterations;
      lp_.options().time_limit = std::max(0.0, options_.time_limit - elapsed());
      lp::LpStatus status = lp_.solve();
      lp_iterations_ += lp_.iterations();
      lp_.change_col_bounds(j, lower, upper);
      lp_.set_basis(node_basis.cols, node_basis.rows);
      probed_any = true;
      if (status == lp::LpStatus::kInfeasible) {
        gains[up] = decisive_gain;
        known[up] = true;
      } else if (status == lp::LpStatus::kOptimal) {
        double child_bound = sense_ * lp_.objective();
        gains[up] = child_bound >= cutoff() ? decisive_gain : std::max(0.0, child_bound - node_bound);
        known[up] = true;
        if (gains[up] < decisive_gain) pseudocosts_.record(j, up == 1, gains[up], up ? 1.0 - fraction : fraction);
      } else if (status == lp::LpStatus::kTimeLimit || status == lp::LpStatus::kInterrupted) {
        break;   // the main loop notices the limit
      }
    }
    const double epsilon = 1e-6;
    double down = known[0] ? gains[0] : pseudocosts_.estimate(j, false) * fraction;
    double up = known[1] ? gains[1] : pseudocosts_.estimate(j, true) * (1.0 - fraction);
    scores[k] = std::max(down, epsilon) * std::max(up, epsilon);
  }
  lp_.options().iteration_limit = saved_iteration_limit;
  if (probed_any) last_solved_id_ = -1;   // children restart from the node's basis
  return select_highest_score(scores);
}

}  // namespace satmip::mip
