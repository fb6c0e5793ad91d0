// A training sample for imitation learning of branching (Gasse et al. 2019):
// the node's bipartite state, the candidates with their full strong-branching
// scores (the expert's labels) and the column the search branched on.
#pragma once
#include <cstdint>
#include <vector>

#include "mip/callbacks.hpp"
#include "mip/node_state.hpp"

namespace satmip::mip {

struct BranchSample {
  NodeStateArrays state;                 // shares the buffers of that node's build
  std::vector<int32_t> candidates;       // ascending
  std::vector<double> down_gains, up_gains, scores;   // per candidate
  int32_t column = -1;                   // branched on (callback, rule, or the expert with "strong")
  int32_t expert_column = -1;            // highest score, lowest column on ties
  NodeFacts facts;
};

}  // namespace satmip::mip
