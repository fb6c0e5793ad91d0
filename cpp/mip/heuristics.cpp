// The schedule of the primal heuristics at a node with a fractional LP
// solution. Every node: simple and nearest rounding, then randomised rounding
// (8 tries at the root, 2 below: a cheap chance at a point nearest rounding
// misses). The root, after its cut loop: a fractional dive, a coefficient dive
// if that found nothing, a guided dive when an incumbent exists by then, and
// the feasibility pump when none does. In the tree, every dive_interval nodes:
// a guided dive (while there is no incumbent, fractional and coefficient dives
// in turn), within a quota of LP iterations as SCIP's diving
// heuristics: 1000 plus 5% of the search's own LP iterations, less what
// tree dives used before, and at most one dive step per ten nodes, so that
// diving never dominates the search.
#include <cmath>
#include <limits>

#include "mip/search.hpp"

namespace satmip::mip {

bool Search::rounding_passes_rows(const std::vector<double>& point, const std::vector<double>& base,
                                  const std::vector<int32_t>& fractional, const std::vector<double>& activity) {
  if (row_delta_.size() != size_t(model_.A.rows)) {
    row_delta_.assign(size_t(model_.A.rows), 0.0);
    row_touched_.assign(size_t(model_.A.rows), 0);
  }
  touched_rows_.clear();
  for (int32_t j : fractional) {
    const double delta = point[j] - base[j];
    for (int64_t k = model_.A.start[j]; k < model_.A.start[j + 1]; ++k) {
      const int32_t i = model_.A.index[k];
      if (!row_touched_[i]) {
        row_touched_[i] = 1;
        touched_rows_.push_back(i);
      }
      row_delta_[i] += model_.A.value[k] * delta;
    }
  }
  bool pass = true;
  for (int32_t i : touched_rows_) {
    const double value = activity[i] + row_delta_[i];
    row_delta_[i] = 0.0;
    row_touched_[i] = 0;
    // A wide margin: the screen must never reject what the exact check accepts.
    const double lo = model_.row_lower[i], hi = model_.row_upper[i];
    if (value < lo - 1e-3 * std::max(1.0, std::fabs(lo)) || value > hi + 1e-3 * std::max(1.0, std::fabs(hi))) pass = false;
  }
  return pass;
}

void Search::run_heuristics(const Node& node, const std::vector<int32_t>& candidates) {
  Stopwatch watch(heuristics_time_);
  {
    // Roundings of the node's LP point are screened on the rows their rounded
    // columns touch (the LP's activities plus the changes) before the full
    // check: at every node most of them fail, and the screen is far cheaper.
    node_activity_ = lp_.row_activity();   // the model's rows come first; dives start from it too
    auto offer = [&](std::vector<double>&& x) {
      if (rounding_passes_rows(x, node_x_, candidates, node_activity_)) try_incumbent(std::move(x));
    };
    for (auto& x : rounding_candidates(model_, locks_, node_x_, candidates)) offer(std::move(x));
    if (options_.randomized_rounding && !stop_)
      for (auto& x : randomized_rounding_candidates(model_, node_x_, candidates, node.id == 0 ? 8 : 2, heuristic_rng_))
        offer(std::move(x));
  }
  if (stop_) return;

  if (node.id == 0) {
    root_lp_iterations_ = lp_iterations_;
    // The fractional dive may cost about as much as the root LP did, twice
    // over; the others, run only when it leaves a need, half or once.
    const int64_t dive_budget = std::max<int64_t>(1000, 2 * root_lp_iterations_);
    const int64_t second_dive_budget = std::max<int64_t>(500, root_lp_iterations_ / 2);
    const int64_t pump_budget = std::max<int64_t>(1000, root_lp_iterations_);
    if (options_.fractional_diving) dive(DiveRule::kFractional, dive_budget);
    if (options_.coefficient_diving && incumbent_.empty() && !stop_) dive(DiveRule::kCoefficient, second_dive_budget);
    if (options_.guided_diving && !incumbent_.empty() && !stop_) dive(DiveRule::kGuided, second_dive_budget);
    if (options_.feasibility_pump && incumbent_.empty() && !stop_) feasibility_pump(pump_budget);
    root_heuristic_lp_iterations_ = heuristic_lp_iterations_;
    root_dive_steps_ = dive_steps_;
    return;
  }

  if (options_.dive_interval <= 0 || nodes_ - last_tree_dive_ < options_.dive_interval) return;
  // Without an incumbent, fractional and coefficient dives take turns.
  DiveRule rule = DiveRule::kGuided;
  if (incumbent_.empty()) {
    const bool coefficient_turn = tree_dives_ % 2 == 1 || !options_.fractional_diving;
    rule = coefficient_turn && options_.coefficient_diving ? DiveRule::kCoefficient : DiveRule::kFractional;
  }
  const bool enabled = rule == DiveRule::kGuided        ? options_.guided_diving
                       : rule == DiveRule::kCoefficient ? options_.coefficient_diving
                                                        : options_.fractional_diving;
  if (!enabled) return;
  const int64_t tree_heuristic = heuristic_lp_iterations_ - root_heuristic_lp_iterations_;
  const int64_t search = lp_iterations_ - heuristic_lp_iterations_;
  const int64_t budget = 1000 + search / 20 - tree_heuristic;
  if (budget < 100) return;   // too little left for a dive to get anywhere
  // A dive step costs about a node (an LP re-solve, roundings over all columns),
  // whatever its iterations: tree dives take at most one step per ten nodes.
  const int64_t steps = 10 + nodes_ / 10 - (dive_steps_ - root_dive_steps_);
  if (steps < 5) return;
  last_tree_dive_ = nodes_;
  ++tree_dives_;
  dive(rule, budget, int(std::min<int64_t>(steps, std::numeric_limits<int>::max())));
}

}  // namespace satmip::mip
