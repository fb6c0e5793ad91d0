// The search's side of learned branching: the bipartite state of the node
// being branched (built only with on_branch or record_samples) and the
// training samples labelled by full strong branching, drawn at
// MipOptions::sampling.rate and streamed to its sink when there is one.
#include <memory>

#include "mip/search.hpp"

namespace satmip::mip {

void Search::build_node_state(const Node& node) {
  // Diving at the root leaves the dive's last solution in the LP: then the
  // root's solution, held before the dive, is the one described. (Re-solving
  // would change the LP engine's later path, and with it the tree.)
  node_state_->build({lp_, model_.integer, model_.col_lower, model_.col_upper, loaded_lower_, loaded_upper_,
                      pseudocosts_, incumbent_, sense_},
                     last_solved_id_ != node.id);
}

bool Search::query_expert() {
  const double rate = options_.sampling.rate;
  // One draw per branching node whatever the rate, so that a rate of 0 or 1
  // does not shift the stream; 53 bits of the generator's output, which the
  // standard fixes (distributions are implementation-defined).
  const double u = double(sample_rng_() >> 11) * 0x1.0p-53;
  const bool queried = u < rate;
  expert_calls_ += queried;
  return queried;
}

void Search::record_sample(const Node& node, const std::vector<int32_t>& candidates,
                           const std::vector<StrongBranchScore>& expert, size_t chosen) {
  if (!sample_columns_) sample_columns_ = std::make_shared<const std::vector<int32_t>>(original_columns_);
  BranchSample sample;
  sample.state = node_state_->snapshot();   // the next build then writes new buffers
  sample.columns = sample_columns_;
  sample.candidates = candidates;
  sample.down_gains.resize(expert.size());
  sample.up_gains.resize(expert.size());
  sample.scores.resize(expert.size());
  for (size_t k = 0; k < expert.size(); ++k) {
    sample.down_gains[k] = expert[k].down_gain;
    sample.up_gains[k] = expert[k].up_gain;
    sample.scores[k] = expert[k].score;
  }
  sample.column = candidates[chosen];
  sample.expert_column = candidates[select_highest_score(expert)];
  sample.node_id = node.id;
  sample.parent_id = node.parent_id;
  sample.lp_iterations = lp_iterations_;
  sample.facts = facts(node, false);
  if (!options_.sampling.sink) {
    samples_.push_back(std::move(sample));
    return;
  }
  Stopwatch watch(callback_time_);
  try {
    options_.sampling.sink(std::move(sample));
  } catch (...) {
    record_callback_error();
  }
}

}  // namespace satmip::mip
