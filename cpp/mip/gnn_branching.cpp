// Branching gnn: the learned GCNN (learn/branch_forward.hpp) chooses at nodes
// down to MipOptions::gnn_max_depth, on the node's bipartite state, which
// Search::branch has built by then (as for on_branch); no Python involved.
#include "mip/search.hpp"

namespace satmip::mip {

std::optional<size_t> Search::select_gnn(const Node& node, const std::vector<int32_t>& candidates) {
  if (node.depth > options_.gnn_max_depth) return std::nullopt;
  Stopwatch watch(gnn_time_);
  ++gnn_calls_;
  const NodeState& s = *node_state_;
  learn::BranchGraph graph;
  graph.rows = s.rows();
  graph.cols = s.cols();
  graph.row_features = s.row_features()->data();
  graph.edge_row_ptr = s.edge_row_ptr()->data();
  graph.edge_col = s.edge_col()->data();
  graph.edge_values = s.edge_values()->data();
  graph.col_features = s.col_features()->data();
  learn::branch_logits(*options_.branching_model, graph, candidates.data(), candidates.size(), gnn_scratch_,
                       gnn_logits_);
  return pick_highest(gnn_logits_);   // seed 0: ties to the lowest column, as the spec's policy
}

}  // namespace satmip::mip
