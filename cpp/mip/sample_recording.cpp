// The search's side of learned branching: the bipartite state of the node
// being branched (built only with on_branch or record_samples) and the
// training samples labelled by full strong branching.
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

void Search::record_sample(const Node& node, const std::vector<int32_t>& candidates,
                           const std::vector<StrongBranchScore>& expert, size_t chosen) {
  BranchSample sample;
  sample.state = node_state_->snapshot();   // the next build then writes new buffers
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
  sample.facts = facts(node, false);
  samples_.push_back(std::move(sample));
}

}  // namespace satmip::mip
