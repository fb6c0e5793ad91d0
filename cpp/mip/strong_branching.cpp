// Strong branching: both children's LPs of a candidate solved warm from the
// node's basis with an iteration cap; the node's bounds and basis are restored
// after each probe. Used by full strong branching ("strong", and the expert
// scores recorded as training samples) and by reliability branching (SCIP's
// relpscost, HiGHS's default): pseudocost scores, but candidates whose
// pseudocosts rest on too few observations are probed first, within a budget.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "mip/branching.hpp"
#include "mip/search.hpp"

namespace satmip::mip {
namespace {

// An infeasible (or cut off) child: far better than any finite gain, so the candidate wins.
constexpr double kDecisiveGain = 1e12;
// Keeps a zero gain in one direction from erasing the other (as Pseudocosts::score).
constexpr double kScoreEpsilon = 1e-6;
// Reliability branching's budget (SCIP's sbiterquot): its probes may take at
// most this share of the LP iterations of the search's own LPs (root LP, cut
// loop, node LPs; not dives, the pump or probes). SCIP adds 100,000 iterations
// (sbiterofs), which on models of this size lets every probe through: none here.
constexpr double kProbeIterationShare = 0.5;
// As the budget is used up, the observations that make a candidate reliable
// fall from options_.reliability_threshold towards this (SCIP's minreliable).
constexpr double kMinReliability = 1;
// A node's probing stops after this many probes in a row without a better
// score than the best so far (SCIP's lookahead, 9 there).
constexpr int kProbeLookahead = 8;

}  // namespace

StrongBranchScore Search::strong_branch(int32_t j, const Basis& node_basis, double node_bound, bool record_pseudocosts,
                                        bool& complete, int64_t& probe_iterations) {
  const int64_t saved_iteration_limit = lp_.options().iteration_limit;
  const double value = node_x_[j], fraction = value - std::floor(value);
  double gains[2] = {0, 0};
  bool known[2] = {false, false};
  complete = true;
  for (int up = 0; up < 2; ++up) {
    const double lower = loaded_lower_[j], upper = loaded_upper_[j];
    if (up) lp_.change_col_bounds(j, std::ceil(value), upper);
    else lp_.change_col_bounds(j, lower, std::floor(value));
    lp_.options().iteration_limit = options_.strong_branching_iterations;
    lp_.options().time_limit = std::max(0.0, options_.time_limit - elapsed());
    lp::LpStatus status = lp_.solve();
    lp_iterations_ += lp_.iterations();
    probe_iterations += lp_.iterations();
    lp_.change_col_bounds(j, lower, upper);
    lp_.set_basis(node_basis.cols, node_basis.rows);
    last_solved_id_ = -1;   // children restart from the node's basis
    if (status == lp::LpStatus::kInfeasible) {
      gains[up] = kDecisiveGain;
      known[up] = true;
    } else if (status == lp::LpStatus::kOptimal) {
      double child_bound = sense_ * lp_.objective();
      gains[up] = child_bound >= cutoff() ? kDecisiveGain : std::max(0.0, child_bound - node_bound);
      known[up] = true;
      if (record_pseudocosts && gains[up] < kDecisiveGain)
        pseudocosts_.record(j, up == 1, gains[up], up ? 1.0 - fraction : fraction);
    } else if (status == lp::LpStatus::kTimeLimit || status == lp::LpStatus::kInterrupted) {
      complete = false;   // the main loop notices the limit
      break;
    }
  }
  lp_.options().iteration_limit = saved_iteration_limit;
  // A child capped in iterations (or not probed) falls back on its pseudocost estimate.
  StrongBranchScore s;
  s.down_gain = known[0] ? gains[0] : pseudocosts_.estimate(j, false) * fraction;
  s.up_gain = known[1] ? gains[1] : pseudocosts_.estimate(j, true) * (1.0 - fraction);
  s.score = std::max(s.down_gain, kScoreEpsilon) * std::max(s.up_gain, kScoreEpsilon);
  return s;
}

bool Search::strong_branch_all(const std::vector<int32_t>& candidates, const Basis& node_basis, double node_bound,
                               bool record_pseudocosts, std::vector<StrongBranchScore>& scores) {
  scores.assign(candidates.size(), StrongBranchScore{});
  bool complete = true;
  for (size_t k = 0; k < candidates.size(); ++k) {
    if (complete) {
      scores[k] = strong_branch(candidates[k], node_basis, node_bound, record_pseudocosts, complete, expert_lp_iterations_);
    } else {   // a limit was reached: pseudocost scores for the rest
      const double value = node_x_[candidates[k]], fraction = value - std::floor(value);
      scores[k].down_gain = pseudocosts_.estimate(candidates[k], false) * fraction;
      scores[k].up_gain = pseudocosts_.estimate(candidates[k], true) * (1.0 - fraction);
      scores[k].score = pseudocosts_.score(candidates[k], fraction);
    }
  }
  return complete;
}

ReliabilityLimits Search::reliability_limits() const {
  ReliabilityLimits limits;
  limits.max_probes = options_.strong_branching_candidates;
  limits.lookahead = kProbeLookahead;
  const int64_t own_iterations =
      lp_iterations_ - reliability_probe_lp_iterations_ - expert_lp_iterations_ - heuristic_lp_iterations_;
  const double budget = kProbeIterationShare * double(own_iterations);
  const double used = double(reliability_probe_lp_iterations_);
  if (used >= budget) {
    limits.max_probes = 0;
    return limits;
  }
  // SCIP's interpolation: the full threshold while the budget left is at least
  // what was used, then down towards kMinReliability.
  const double left = std::min(1.0, (budget - used) / (used + 1.0));
  const double threshold = double(options_.reliability_threshold);
  limits.threshold = std::min(threshold, kMinReliability) * (1.0 - left) + threshold * left;
  return limits;
}

size_t Search::select_reliability(const std::vector<int32_t>& candidates, const Basis& node_basis, double node_bound) {
  const ReliabilityLimits limits = reliability_limits();
  std::vector<double> scores = pseudocost_scores(candidates, node_x_, pseudocosts_);
  // Probe the unreliable candidates with the best pseudocost scores first.
  std::vector<size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  int probed = 0, since_best = 0;
  double best_probe = -1;
  for (size_t k : order) {
    if (probed >= limits.max_probes || since_best >= limits.lookahead || stop_) break;
    const int32_t j = candidates[k];
    if (double(std::min(pseudocosts_.observations(j, false), pseudocosts_.observations(j, true))) >= limits.threshold)
      continue;
    ++probed;
    bool complete = true;
    scores[k] = strong_branch(j, node_basis, node_bound, true, complete, reliability_probe_lp_iterations_).score;
    if (!complete) break;
    if (scores[k] > best_probe) {
      best_probe = scores[k];
      since_best = 0;
    } else {
      ++since_best;
    }
  }
  return pick_highest(std::move(scores));
}

}  // namespace satmip::mip
