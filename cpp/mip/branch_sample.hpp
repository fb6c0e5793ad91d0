// A training sample for imitation learning of branching (Gasse et al. 2019):
// the node's bipartite state, the candidates with their full strong-branching
// scores (the expert's labels) and the column the search branched on; and how
// samples are collected (SampleOptions: learn2branch's sampling of the expert).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "mip/callbacks.hpp"
#include "mip/node_state.hpp"

namespace satmip::mip {

struct BranchSample {
  NodeStateArrays state;                 // shares the buffers of that node's build
  SharedBuffer<int32_t> columns;         // original column of each searched column (one per solve)
  std::vector<int32_t> candidates;       // ascending
  std::vector<double> down_gains, up_gains, scores;   // per candidate
  int32_t column = -1;                   // branched on (callback, rule, or the expert when followed)
  int32_t expert_column = -1;            // highest score, lowest column on ties
  int64_t node_id = 0, parent_id = -1;   // creation order; the root's parent is -1
  int64_t lp_iterations = 0;             // the search's LP iterations so far (this node's LP and probes included)
  NodeFacts facts;
};

// With MipOptions::record_samples: at each branching node the expert (full
// strong branching) is queried with probability rate (seeded by MipOptions::seed,
// a stream of its own), and only then a sample is recorded; follow_expert makes
// the search branch on the expert's column there (learn2branch), else the
// branching rule (or on_branch) decides everywhere. A sink takes each sample as
// it is made (streaming); without one they are kept in MipResult::samples.
struct SampleOptions {
  double rate = 1.0;
  bool follow_expert = false;
  std::function<void(BranchSample&&)> sink;
};

}  // namespace satmip::mip
