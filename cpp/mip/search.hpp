// The branch-and-bound search behind solve_mip: node processing, plunging,
// pruning, incumbents and limits. Internally everything is minimised: an
// objective value v of the model is sense * v here.
#pragma once
#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <vector>

#include "lp/lp_solver.hpp"
#include "mip/branching.hpp"
#include "mip/mip_solver.hpp"
#include "mip/node_queue.hpp"
#include "mip/node_state.hpp"
#include "mip/pseudocosts.hpp"
#include "mip/rounding.hpp"

namespace satmip::mip {

class Search {
 public:
  Search(const lp::Model& model, const MipOptions& options);
  MipResult run();

 private:
  enum class Outcome { kPruned, kBranched, kStop };
  Outcome process(Node& node, std::optional<Node>& dive_child);
  bool load_node(const Node& node);         // false: the node's bounds contradict the global ones
  void reduced_cost_fixing();               // reduced_cost_fixing.cpp
  bool solve_lp();                          // false: the LP failed (stop_ set)
  void branch(const Node& node, const std::vector<int32_t>& candidates, std::optional<Node>& dive_child);
  std::optional<size_t> ask_branch_callback(const Node& node, const std::vector<int32_t>& candidates);
  bool try_incumbent(std::vector<double> x);   // true when accepted as the new incumbent
  void fractional_dive();                   // diving.cpp
  size_t select_reliability(const std::vector<int32_t>& candidates, const Basis& node_basis, double node_bound);   // strong_branching.cpp
  // strong_branching.cpp: probes a candidate's children (bounds and basis restored);
  // complete is false when a limit stopped it.
  StrongBranchScore strong_branch(int32_t column, const Basis& node_basis, double node_bound, bool record_pseudocosts,
                                  bool& complete);
  bool strong_branch_all(const std::vector<int32_t>& candidates, const Basis& node_basis, double node_bound,
                         bool record_pseudocosts, std::vector<StrongBranchScore>& scores);   // false: stopped by a limit
  void build_node_state(const Node& node);   // sample_recording.cpp
  void record_sample(const Node& node, const std::vector<int32_t>& candidates,
                     const std::vector<StrongBranchScore>& expert, size_t chosen);   // sample_recording.cpp
  void record_callback_error();             // stores the active exception, stops the search

  double cutoff() const;                    // nodes with a bound at least this are pruned
  // The lowest objective value a solution with objective at least bound can
  // have: bound itself, rounded up when the objective takes integral steps.
  double effective_bound(double bound) const;
  double global_dual_bound(double extra_bound) const;
  double model_value(double internal) const { return sense_ * internal; }
  double elapsed() const;
  bool limit_reached();                     // sets status_ when it is
  NodeFacts facts(const Node& node, bool integral) const;

  const lp::Model& model_;
  const MipOptions& options_;
  const double sense_;
  lp::LpSolver lp_;
  RowLocks locks_;
  Pseudocosts pseudocosts_;
  NodeQueue queue_;
  std::chrono::steady_clock::time_point start_;

  std::vector<double> loaded_lower_, loaded_upper_;   // bounds in the LP now
  std::vector<int32_t> loaded_changes_;                // columns whose loaded bounds may differ from the global ones
  // Global bounds: the model's, tightened by reduced-cost fixing as incumbents improve.
  std::vector<double> global_lower_, global_upper_;
  std::vector<double> root_reduced_cost_;              // minimisation form
  double root_bound_ = -std::numeric_limits<double>::infinity();
  std::vector<int64_t> seen_stamp_;                    // scratch for walking bound-change chains
  int64_t stamp_ = 0;
  int64_t last_solved_id_ = -1;                        // the node whose LP the solver holds
  std::shared_ptr<const Basis> root_basis_;
  // Integer costs on integer columns only: objective values are offset + integers.
  bool integral_objective_ = false;

  std::vector<double> node_x_, node_reduced_cost_;     // the current node's LP solution
  double incumbent_value_ = std::numeric_limits<double>::infinity();
  std::vector<double> incumbent_;
  double pruned_by_gap_bound_ = std::numeric_limits<double>::infinity();   // lowest bound pruned within the gap
  int64_t nodes_ = 0, next_id_ = 1, lp_iterations_ = 0;
  bool stop_ = false;
  MipStatus stop_status_ = MipStatus::kInterrupted;
  std::string error_message_;
  std::exception_ptr callback_error_;
  std::unique_ptr<NodeState> node_state_;              // only with on_branch or record_samples
  std::vector<BranchSample> samples_;
};

}  // namespace satmip::mip
