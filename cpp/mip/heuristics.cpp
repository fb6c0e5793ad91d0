// The schedule of the primal heuristics at a node with a fractional LP
// solution. Every node: simple and nearest rounding, then randomised rounding
// (8 tries at the root, 2 below: a cheap chance at a point nearest rounding
// misses). The root, after its cut loop: a fractional dive, a coefficient dive
// if that found nothing, a guided dive when an incumbent exists by then, and
// the feasibility pump when none does. In the tree, every dive_interval nodes:
// a guided dive (while there is no incumbent, fractional and coefficient dives
// in turn), within a quota of LP iterations as SCIP's diving
// heuristics: 1000 plus a tenth of the search's own LP iterations, less what
// tree dives used before, so that diving never dominates the search.
#include "mip/search.hpp"

namespace satmip::mip {

void Search::run_heuristics(const Node& node, const std::vector<int32_t>& candidates) {
  Stopwatch watch(heuristics_time_);
  for (auto& x : rounding_candidates(model_, locks_, node_x_, candidates)) try_incumbent(std::move(x));
  if (options_.randomized_rounding && !stop_)
    for (auto& x : randomized_rounding_candidates(model_, node_x_, candidates, node.id == 0 ? 8 : 2, heuristic_rng_))
      try_incumbent(std::move(x));
  if (stop_) return;

  if (node.id == 0) {
    root_lp_iterations_ = lp_iterations_;
    // A dive may cost about as much as the root LP did, twice over.
    const int64_t budget = std::max<int64_t>(1000, 2 * root_lp_iterations_);
    if (options_.fractional_diving) dive(DiveRule::kFractional, budget);
    if (options_.coefficient_diving && incumbent_.empty() && !stop_) dive(DiveRule::kCoefficient, budget);
    if (options_.guided_diving && !incumbent_.empty() && !stop_) dive(DiveRule::kGuided, budget);
    if (options_.feasibility_pump && incumbent_.empty() && !stop_) feasibility_pump(budget);
    root_heuristic_lp_iterations_ = heuristic_lp_iterations_;
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
  const int64_t budget = 1000 + search / 10 - tree_heuristic;
  if (budget < 100) return;   // too little left for a dive to get anywhere
  last_tree_dive_ = nodes_;
  ++tree_dives_;
  dive(rule, budget);
}

}  // namespace satmip::mip
