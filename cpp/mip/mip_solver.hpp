// MipSolver: branch-and-bound on the LP engine (lp::LpSolver), the MILP
// engine's facade. One LpSolver is reused across all nodes: a child is solved
// warm by changing bounds only, a node taken from the queue gets its parent's
// final basis first. Internally everything is minimised (objective times the
// model's sense); results are reported in the model's sense with its offset.
#pragma once
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "lp/model.hpp"
#include "mip/branch_sample.hpp"
#include "mip/callbacks.hpp"

namespace satmip::learn {
struct BranchModel;   // learn/branch_forward.hpp
}

namespace satmip::mip {

// kUserPruned: the tree ended, but on_node pruned a node that might have held a
// better solution (or, without an incumbent, any solution): neither optimality nor
// infeasibility is proven; x is the best solution found, if any.
enum class MipStatus { kOptimal, kInfeasible, kUnbounded, kTimeLimit, kNodeLimit, kInterrupted, kUserPruned, kError };
const char* to_string(MipStatus s);

enum class NodeSelection { kBestBound, kBestEstimate };
NodeSelection node_selection_from_string(const std::string& name);  // throws std::invalid_argument

// kStrong: full strong branching, every candidate probed (strong_branching_iterations per child).
// kGnn: the learned GCNN (MipOptions::branching_model) down to gnn_max_depth, the pseudocost rule deeper.
enum class BranchingRule { kMostFractional, kPseudocost, kReliability, kStrong, kGnn };
BranchingRule branching_rule_from_string(const std::string& name);  // throws std::invalid_argument

struct MipOptions {
  double time_limit = std::numeric_limits<double>::infinity();   // seconds
  int64_t node_limit = std::numeric_limits<int64_t>::max();
  double relative_gap = 1e-4;      // HiGHS's mip_rel_gap
  double absolute_gap = 1e-6;      // HiGHS's mip_abs_gap
  double integrality_tolerance = 1e-6;
  double feasibility_tolerance = 1e-6;   // incumbent re-check against the original model
  BranchingRule branching = BranchingRule::kPseudocost;
  // Reliability branching: strong branching on candidates whose pseudocosts
  // rest on fewer observations than the threshold (both directions), at most
  // strong_branching_candidates per node, each child LP capped in iterations.
  int reliability_threshold = 4;
  int strong_branching_candidates = 8;
  int64_t strong_branching_iterations = 100;
  // kGnn: the model's forward (learn/branch_forward.hpp) on the node's bipartite
  // state picks the candidate with the largest logit at nodes of depth <=
  // gnn_max_depth; deeper nodes take the pseudocost rule, whose pseudocosts
  // learn from every node's children, the GCNN's included (Gupta et al. 2020:
  // on a CPU the GNN pays only near the root).
  std::shared_ptr<const learn::BranchModel> branching_model;
  int gnn_max_depth = std::numeric_limits<int>::max();
  // Keep diving into a child while its parent's bound lies within this fraction
  // of the gap above the global dual bound (SCIP-like plunging).
  double plunge_gap_fraction = 0.25;
  // Which open node to take when a plunge ends (after the first incumbent):
  // best bound, or best estimate with every best_bound_frequency-th pick by
  // best bound so that the dual bound keeps moving (SCIP's bestnodefreq).
  NodeSelection node_selection = NodeSelection::kBestBound;
  int best_bound_frequency = 10;
  bool presolve = true; 
  bool propagation = true;         // activity-based bound tightening at every node (domain_propagation.hpp)
  bool cuts = true;                // root cut loop (root_cuts.cpp); off for branching studies as in Ecole
  int cut_rounds = 20;           // presolve.hpp's reductions before the search; incumbents mapped back
  // Primal heuristics (heuristics.cpp), all under the master switch `heuristics`:
  // simple and nearest rounding at every node, and
  bool heuristics = true;
  bool randomized_rounding = true; // every node: up with probability = fractional part (seeded)
  bool fractional_diving = true;   // root; in the tree while there is no incumbent
  bool guided_diving = true;       // towards the incumbent: root after the fractional dive, and in the tree
  bool coefficient_diving = true;  // fewest locks: root when the fractional dive found nothing; tree, no incumbent
  bool feasibility_pump = true;    // root, when rounding and diving found no incumbent
  int dive_interval = 50;          // nodes between dives in the tree (0: none), within an LP-iteration quota
  bool reduced_cost_fixing = true; // tighten bounds globally from the root's reduced costs and each incumbent
  int dive_max_depth = 200;
  // LP iterations per node LP below the root (each retry alike). A node whose LP
  // fails, by this cap or numerically, is branched without its LP (lp_failure.cpp).
  int64_t node_lp_iteration_limit = std::numeric_limits<int64_t>::max();
  uint32_t seed = 0;
  // A solution to start from (one value per column of the model, empty: none).
  // Checked like every incumbent; an infeasible one is ignored (MipResult::start_accepted).
  std::vector<double> start_solution;
  // At every branching node: full strong branching on all candidates (side-effect
  // free unless branching is kStrong) and a BranchSample in MipResult::samples.
  bool record_samples = false;
  SampleOptions sampling;          // the expert's rate, following it, a streaming sink (branch_sample.hpp)
  std::atomic<bool>* interrupt = nullptr;
  MipCallbacks callbacks;
  double progress_interval = 1.0;  // seconds between on_event "lp" reports of a long root LP
};

struct MipResult {
  MipStatus status = MipStatus::kError;
  double objective = std::numeric_limits<double>::quiet_NaN();   // model sense, with offset; NaN without incumbent
  std::vector<double> x;                                         // empty without incumbent
  double dual_bound = std::numeric_limits<double>::quiet_NaN();  // model sense, with offset
  double gap = std::numeric_limits<double>::infinity();
  int64_t nodes = 0;
  int64_t open_nodes = 0;              // nodes left in the queue (0 once the tree is done)
  int64_t lp_iterations = 0;
  double time = 0;
  double presolve_time = 0;            // seconds spent in presolve (part of time)
  double cut_time = 0;                 // seconds in the root cut loop
  double lp_time = 0;                  // seconds in node LP solves (root and tree; not probes or dives)
  double heuristics_time = 0;          // rounding, diving and the feasibility pump
  double branching_time = 0;           // choosing branching columns, strong branching probes included
  double callback_time = 0;            // inside the caller's callbacks
  bool start_accepted = false;         // the start solution was feasible and became the first incumbent
  int64_t cuts_added = 0;              // cuts added to the root LP (some aged out again)
  int32_t cut_rows = 0;                // cut rows in the LP the tree search used
  int32_t cut_rounds = 0;
  int32_t presolved_rows = -1, presolved_cols = -1;   // size of the searched model; -1 without presolve
  std::string message;                 // why kError, when it is
  int64_t failed_lp_nodes = 0;         // nodes whose LP failed after its retries, branched without it
  std::exception_ptr callback_error;   // an exception a callback threw (the search stopped)
  std::vector<BranchSample> samples;   // with record_samples
  int64_t node_state_builds = 0;       // bipartite states built (on_branch set or record_samples)
  double node_state_time = 0;          // seconds spent building them
  int64_t node_state_static_builds = 0;   // builds of their static part (edges, norms): once per LP revision
  int64_t expert_calls = 0;            // record_samples: nodes where the expert (full strong branching) ran
  int64_t branching_model_calls = 0;   // kGnn: forward passes of the GCNN (nodes it chose at)
  double branching_model_time = 0;     // seconds in them (part of branching_time)
};

// Relative gap between primal and dual bound (minimisation form), as SCIP:
// |pb - db| / max(|pb|, |db|), 0 when equal, infinite without a primal bound.
double relative_gap(double primal_bound, double dual_bound);

MipResult solve_mip(const lp::Model& model, const MipOptions& options);

}  // namespace satmip::mip
