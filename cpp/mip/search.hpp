// The branch-and-bound search behind solve_mip: node processing, plunging,
// pruning, incumbents and limits. Internally everything is minimised: an
// objective value v of the model is sense * v here.
#pragma once
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <random>
#include <vector>

#include "learn/branch_forward.hpp"
#include "lp/lp_solver.hpp"
#include "mip/branching.hpp"
#include "mip/mip_solver.hpp"
#include "mip/cut.hpp"
#include "mip/domain_propagation.hpp"
#include "mip/node_queue.hpp"
#include "mip/node_state.hpp"
#include "mip/presolve_postsolve.hpp"
#include "mip/pseudocosts.hpp"
#include "mip/rounding.hpp"

namespace satmip::mip {

// The model the caller gave and the map from the searched (presolved) model's
// columns back to it: every incumbent is mapped back and re-checked there.
struct OriginalSpace {
  const lp::Model* model = nullptr;        // null: the searched model is the original
  const Postsolve* postsolve = nullptr;
};

// Adds the seconds of its lifetime to `total` (per-component times).
class Stopwatch {
 public:
  explicit Stopwatch(double& total) : total_(total), start_(std::chrono::steady_clock::now()) {}
  ~Stopwatch() { total_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  Stopwatch(const Stopwatch&) = delete;
  Stopwatch& operator=(const Stopwatch&) = delete;

 private:
  double& total_;
  std::chrono::steady_clock::time_point start_;
};

// Reliability branching's limits at a node: candidates with fewer observations
// than threshold in a direction are probed, at most max_probes of them, and
// probing stops after lookahead probes in a row that did not beat the best score.
struct ReliabilityLimits {
  double threshold = 0;
  int max_probes = 0;
  int lookahead = 0;
};

class Search {
 public:
  Search(const lp::Model& model, const MipOptions& options, OriginalSpace original = {});
  MipResult run();

 private:
  enum class Outcome { kPruned, kBranched, kStop };
  Outcome process(Node& node, std::optional<Node>& dive_child);
  bool load_node(const Node& node);         // false: the node's bounds contradict the global ones or the rows
  bool propagate_root();                    // false: the rows and bounds admit no point
  bool update_propagation_base();           // global bound changes into the propagator's base; false: infeasible
  void reduced_cost_fixing();               // reduced_cost_fixing.cpp
  void learn_from_infeasible_lp();          // conflicts.cpp: the LP's Farkas proof into propagation
  // root_cuts.cpp: false when the root LP became infeasible or failed (stop_ set then).
  bool root_cut_loop();
  void add_cuts_to_lp(const std::vector<Cut>& cuts);
  void remove_slack_cuts(int max_age);      // cut rows slack for max_age rounds in a row
  bool solve_lp();                          // false: the LP failed (stop_ set)
  // The LP, retried from the root's and the slack basis when it fails.
  enum class LpOutcome { kSolved, kFailed, kStopped };   // kStopped: a limit (stop_ set)
  LpOutcome solve_lp_with_retries();
  // A node's LP: below the root a failure does not stop the search (under the
  // node LP iteration cap, MipOptions::node_lp_iteration_limit).
  LpOutcome solve_node_lp(const Node& node);
  // lp_failure.cpp: a node whose LP failed is split on an integer column without
  // its LP (SCIP's pseudo-solution branching); with none left it is unresolved.
  Outcome settle_without_lp(const Node& node);
  bool branch_without_lp(const Node& node);   // false: every integer column is fixed at the node
  void branch(const Node& node, const std::vector<int32_t>& candidates, std::optional<Node>& dive_child);
  std::optional<size_t> ask_branch_callback(const Node& node, const std::vector<int32_t>& candidates);
  bool try_incumbent(std::vector<double> x);   // true when accepted as the new incumbent
  void polish_incumbent();                  // polish.cpp: exact continuous part for the integer values
  // polish.cpp, at the end: the incumbent in the caller's model with its integer
  // columns exactly integral (exact_point.hpp), its value that point's objective.
  void make_incumbent_exact();
  // polish.cpp: the LP optimum over the continuous columns with the integer
  // columns fixed at x's values (empty: none found); the LP's bounds and basis restored.
  std::vector<double> solve_continuous_part(const std::vector<double>& x);
  bool repair_candidate();                  // polish.cpp: repair_candidate_ made exact; true when accepted
  // A node whose LP point is integral but no solution (its continuous part
  // breaks a row): three children on an integer column not fixed at the node,
  // at, below and above its value; false when every integer column is fixed.
  bool branch_around_point(const Node& node);
  // A child of node with column's bounds set to [lower, upper]: its chain, the
  // parent's bound, depth, ids; the caller sets estimate, basis, branching record.
  Node child_of(const Node& node, int32_t column, double lower, double upper);
  void offer_start_solution();              // options_.start_solution, in the original model's columns
  void accept_incumbent(std::vector<double> x, std::vector<double> original_x, double value);
  // The model the caller gave, and a searched point mapped to its columns.
  const lp::Model& original_model() const { return original_.model ? *original_.model : model_; }
  std::vector<double> to_original(const std::vector<double>& x) const {
    return original_.model ? original_.postsolve->primal(x) : x;
  }
  void notify_incumbent();                  // on_incumbent with the incumbent in the original columns
  // Primal heuristics at a node with a fractional LP solution (node_x_).
  void run_heuristics(const Node& node, const std::vector<int32_t>& candidates);
  // heuristics.cpp: false when a rounding of the LP point base (which moved only
  // the fractional columns) clearly violates a model row, given the LP's activities.
  bool rounding_passes_rows(const std::vector<double>& point, const std::vector<double>& base,
                            const std::vector<int32_t>& fractional, const std::vector<double>& activity);
  enum class DiveRule { kFractional, kGuided, kCoefficient };
  // diving.cpp: true when it found an incumbent; the node's bounds and basis are restored.
  bool dive(DiveRule rule, int64_t budget, int max_depth = std::numeric_limits<int>::max());
  bool feasibility_pump(int64_t budget);    // feasibility_pump.cpp; restores costs and basis
  // strong_branching.cpp: pseudocost scores, unreliable candidates probed first
  // within the probes' budget of LP iterations (reliability_limits).
  size_t select_reliability(const std::vector<int32_t>& candidates, const Basis& node_basis, double node_bound);
  ReliabilityLimits reliability_limits() const;   // strong_branching.cpp: this node's, from the budget left
  // The built-in rules' choice: the highest score; with a seed other than 0 each
  // score first gets a small seeded relative perturbation (ties and near-ties
  // go another way: a different tree per seed, the same for the same seed).
  size_t pick_highest(std::vector<double> scores);
  // strong_branching.cpp: probes a candidate's children (bounds and basis restored);
  // complete is false when a limit stopped it; its LP iterations are added to
  // lp_iterations_ and to probe_iterations.
  StrongBranchScore strong_branch(int32_t column, const Basis& node_basis, double node_bound, bool record_pseudocosts,
                                  bool& complete, int64_t& probe_iterations);
  bool strong_branch_all(const std::vector<int32_t>& candidates, const Basis& node_basis, double node_bound,
                         bool record_pseudocosts, std::vector<StrongBranchScore>& scores);   // false: stopped by a limit
  void build_node_state(const Node& node);   // sample_recording.cpp
  void record_sample(const Node& node, const std::vector<int32_t>& candidates,
                     const std::vector<StrongBranchScore>& expert, size_t chosen);   // sample_recording.cpp
  bool query_expert();                      // record_samples: this node's draw at sampling.rate (sample_recording.cpp)
  // gnn_branching.cpp: the GCNN's candidate (largest logit) on the node's
  // state; none below options_.gnn_max_depth.
  std::optional<size_t> select_gnn(const Node& node, const std::vector<int32_t>& candidates);
  void record_callback_error();             // stores the active exception, stops the search
  void notify_event(const MipEvent& event);  // on_event, if set; a throw stops the search

  Node select_node();                       // the next open node when no plunge goes on
  double cutoff() const;                    // nodes with a bound at least this are pruned
  // The lowest objective value a solution with objective at least bound can
  // have: bound itself, rounded up when the objective takes integral steps.
  double effective_bound(double bound) const;
  double global_dual_bound(double extra_bound) const;
  double model_value(double internal) const { return sense_ * internal; }
  double elapsed() const;
  // Sets status_ when it is. count_nodes false: only time and interrupts (inside
  // a node, which nodes_ already counts: node_limit=1 still finishes the root).
  bool limit_reached(bool count_nodes = true);
  NodeFacts facts(const Node& node, bool integral) const;

  const lp::Model& model_;
  const MipOptions& options_;
  OriginalSpace original_;
  std::vector<int32_t> original_columns_;   // original index of each searched column
  const double sense_;
  lp::LpSolver lp_;
  RowLocks locks_;
  Pseudocosts pseudocosts_;
  NodeQueue queue_;
  std::chrono::steady_clock::time_point start_;

  DomainPropagator propagator_;
  size_t propagation_base_ = 0;                        // the propagator's mark for the global bounds
  struct ColumnBounds { int32_t column; double lower, upper; };
  std::vector<ColumnBounds> node_bounds_;              // scratch of load_node: the node's own column bounds
  std::vector<int32_t> pending_global_;                // columns whose global bounds moved since the base was set
  bool globally_infeasible_ = false;                   // the global bounds (with the cutoff's fixings) admit no point
  std::vector<double> loaded_lower_, loaded_upper_;   // bounds in the LP now
  std::vector<int32_t> loaded_changes_;                // columns whose loaded bounds may differ from the global ones
  // Global bounds: the model's, tightened by reduced-cost fixing as incumbents improve.
  std::vector<double> global_lower_, global_upper_;
  std::vector<double> root_reduced_cost_;              // minimisation form
  std::vector<double> root_lower_, root_upper_;       // the root LP's column bounds (propagated, tighter than the model's)
  double root_bound_ = -std::numeric_limits<double>::infinity();
  std::vector<int64_t> seen_stamp_;                    // scratch for walking bound-change chains
  int64_t stamp_ = 0;
  int64_t last_solved_id_ = -1;                        // the node whose LP the solver holds
  std::shared_ptr<const Basis> root_basis_;
  // Integer costs on integer columns only: objective values are offset + integers.
  bool integral_objective_ = false;

  std::vector<double> node_x_, node_reduced_cost_;     // the current node's LP solution
  double incumbent_value_ = std::numeric_limits<double>::infinity();
  std::vector<double> incumbent_;                      // in the searched model's columns
  std::vector<double> incumbent_original_;             // the same, mapped back to the original model
  double pruned_by_gap_bound_ = std::numeric_limits<double>::infinity();   // lowest bound pruned within the gap
  // Lowest bound of a node on_node pruned: a user's prune proves nothing, so the
  // bound stays in the dual bound and the end of the tree is no proof below it.
  double user_pruned_bound_ = std::numeric_limits<double>::infinity();
  // Lowest bound of a node whose integral LP point failed the check against the
  // original model (numerics): no proof below it either.
  double rejected_bound_ = std::numeric_limits<double>::infinity();
  // Nodes whose LP failed (lp_failure.cpp), and the lowest bound of those that
  // could not be settled without it: no proof below that bound either.
  int64_t failed_lp_nodes_ = 0, unresolved_nodes_ = 0;
  double unresolved_bound_ = std::numeric_limits<double>::infinity();
  lp::LpStatus unresolved_lp_status_ = lp::LpStatus::kNumericalTrouble;   // the last unresolved node's LP
  int64_t nodes_ = 0, next_id_ = 1, lp_iterations_ = 0, selections_ = 0;
  int32_t conflict_rows_ = 0;                          // proof rows handed to propagation (conflicts.cpp)
  std::vector<int32_t> cut_ages_;                      // per cut row of the LP (after the model's rows): rounds slack
  int64_t cuts_added_ = 0;
  int32_t cut_rounds_ = 0;
  double cut_time_ = 0, lp_time_ = 0, heuristics_time_ = 0, branching_time_ = 0, callback_time_ = 0;
  bool start_accepted_ = false;
  bool has_continuous_ = false;
  // The best integral candidate that broke rows by a little (polish.cpp), and its value.
  std::vector<double> repair_candidate_;
  double repair_value_ = std::numeric_limits<double>::infinity();
  bool repairing_ = false;
  bool needs_polish_ = false;          // the incumbent violates rows within the tolerances: polish between nodes
  double incumbent_violation_ = 0;     // its largest violation of a bound, a row or integrality
  int64_t polished_ = 0;
  std::mt19937_64 branching_rng_;                      // pick_highest's perturbations (seed != 0)
  std::mt19937 heuristic_rng_;                         // randomised rounding, pump perturbations
  int64_t heuristic_lp_iterations_ = 0;                // LP iterations of dives and the pump (part of lp_iterations_)
  int64_t reliability_probe_lp_iterations_ = 0;        // LP iterations of reliability branching's probes (part of lp_iterations_)
  int64_t expert_lp_iterations_ = 0;                   // LP iterations of full strong branching (rule or expert; part of lp_iterations_)
  int64_t root_lp_iterations_ = 0;                     // root LP and cut loop
  int64_t root_heuristic_lp_iterations_ = 0;           // heuristic_lp_iterations_ after the root's heuristics
  int64_t last_tree_dive_ = 0;                         // nodes_ at the last dive in the tree
  int64_t tree_dives_ = 0;
  int64_t dive_steps_ = 0, root_dive_steps_ = 0;       // bound changes made by dives (all; at the root)
  std::vector<double> node_activity_;                  // the node LP's row activities, for the heuristics
  std::vector<double> row_delta_;                      // scratch of rounding_passes_rows, all zero between calls
  std::vector<uint8_t> row_touched_;
  std::vector<int32_t> touched_rows_;
  bool root_lp_progress_ = false;      // the root LP and cut loop run: LP progress goes to on_event
  bool stop_ = false;
  MipStatus stop_status_ = MipStatus::kInterrupted;
  std::string error_message_;
  std::exception_ptr callback_error_;
  std::unique_ptr<NodeState> node_state_;              // only with on_branch or record_samples
  std::vector<BranchSample> samples_;
  std::mt19937_64 sample_rng_;                         // record_samples: the expert's draws, a stream of their own
  int64_t expert_calls_ = 0;
  SharedBuffer<int32_t> sample_columns_;               // original_columns_, shared by the samples
  learn::BranchScratch gnn_scratch_;                   // branching gnn: the forward's buffers, its logits,
  std::vector<double> gnn_logits_;
  int64_t gnn_calls_ = 0;                              // its calls and seconds
  double gnn_time_ = 0;
};

}  // namespace satmip::mip
