// Hooks through which a caller (Python, through the bindings) takes decisions
// in the branch-and-bound search. The engine calls them on its own thread; a
// hook that throws stops the search and its exception is handed back in
// MipResult::callback_error.
#pragma once
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace satmip::mip {

class NodeState;   // node_state.hpp

// Facts about the node being processed (objective values in the model's sense, with offset).
struct NodeFacts {
  int32_t depth = 0;
  double node_bound = 0;     // the node's LP objective
  double primal_bound = 0;   // incumbent objective, +-inf without one
  double dual_bound = 0;     // global dual bound
  int64_t nodes = 0;         // nodes processed so far, this one included
  int64_t open_nodes = 0;    // nodes waiting in the queue
  bool lp_integral = false;  // the node's LP solution satisfies integrality
};

// What on_branch sees. Vectors are the engine's own buffers, valid during the call.
// Columns are those of the searched model: after presolve, column k stands for
// the original model's column (*columns)[k].
struct BranchState {
  const std::vector<int32_t>* columns;        // original index of each searched column
  const std::vector<int32_t>* candidates;     // fractional integer columns
  const std::vector<double>* lp_values;       // all columns
  const std::vector<double>* fractionality;   // per candidate, in [0, 0.5]
  const std::vector<double>* reduced_costs;   // all columns, model sense
  const std::vector<double>* col_lower;       // node bounds, all columns
  const std::vector<double>* col_upper;
  const std::vector<double>* pseudocost_down; // per candidate: estimated objective gain per unit
  const std::vector<double>* pseudocost_up;
  NodeFacts facts;
  // The bipartite state (Gasse et al.) of the node; built whenever on_branch is set.
  const NodeState* node_state = nullptr;
};

// on_branch: column < 0 and no scores lets the engine decide; a column must be a
// candidate; scores (one per candidate) make the engine take the highest.
struct BranchDecision {
  int32_t column = -1;
  std::vector<double> scores;
};

enum class NodeAction { kContinue, kPrune, kStop };

// What on_event reports as the solve goes, so that a log can be printed in the
// order things happen. kind names the event; counts and values are its named
// numbers (docs/mip-engine.md, "Events"):
//   "presolve"   after presolve: status; rows, cols, original_rows, original_cols,
//                rounds; seconds
//   "root_lp"    the root LP solved: status; iterations; bound, seconds
//   "cut_round"  a root cut round: round, added (this round), cut_rows (in the LP
//                now), iterations (the round's LP); bound, seconds (the loop so far)
//   "root_cuts"  the cut loop done: rounds, added, cut_rows (kept); bound, seconds
//   "lp"         during a long root LP or cut round LP, every progress_interval
//                seconds: iterations; objective, primal_infeasibility,
//                dual_infeasibility (scaled sums), seconds (this LP solve)
struct MipEvent {
  const char* kind = "";
  const char* status = "";   // empty: none
  std::vector<std::pair<const char*, int64_t>> counts;
  std::vector<std::pair<const char*, double>> values;
};

struct MipCallbacks {
  std::function<BranchDecision(const BranchState&)> on_branch;
  std::function<NodeAction(const NodeFacts&)> on_node;
  std::function<void(const std::vector<double>& x, double objective)> on_incumbent;
  std::function<void(const MipEvent&)> on_event;
};

}  // namespace satmip::mip
