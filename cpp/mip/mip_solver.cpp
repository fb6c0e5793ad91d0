#include "mip/mip_solver.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "learn/branch_forward.hpp"
#include "lp/model_check.hpp"
#include "mip/node_state.hpp"
#include "mip/presolve.hpp"
#include "mip/search.hpp"
#include "mip/solution_check.hpp"

namespace satmip::mip {

const char* to_string(MipStatus s) {
  switch (s) {
    case MipStatus::kOptimal: return "optimal";
    case MipStatus::kInfeasible: return "infeasible";
    case MipStatus::kUnbounded: return "unbounded";
    case MipStatus::kTimeLimit: return "time_limit";
    case MipStatus::kNodeLimit: return "node_limit";
    case MipStatus::kInterrupted: return "interrupted";
    case MipStatus::kUserPruned: return "user_pruned";
    case MipStatus::kError: return "error";
  }
  return "error";
}

BranchingRule branching_rule_from_string(const std::string& name) {
  if (name == "most_fractional") return BranchingRule::kMostFractional;
  if (name == "pseudocost") return BranchingRule::kPseudocost;
  if (name == "reliability") return BranchingRule::kReliability;
  if (name == "strong") return BranchingRule::kStrong;
  if (name == "gnn") return BranchingRule::kGnn;
  throw std::invalid_argument("unknown branching rule '" + name + "' (most_fractional, pseudocost, reliability, strong, gnn)");
}

NodeSelection node_selection_from_string(const std::string& name) {
  if (name == "best_bound") return NodeSelection::kBestBound;
  if (name == "best_estimate") return NodeSelection::kBestEstimate;
  throw std::invalid_argument("unknown node selection '" + name + "' (best_bound, best_estimate)");
}

double relative_gap(double primal_bound, double dual_bound) {
  if (!std::isfinite(primal_bound)) return std::numeric_limits<double>::infinity();
  if (primal_bound == dual_bound) return 0.0;
  if (!std::isfinite(dual_bound)) return std::numeric_limits<double>::infinity();
  return std::fabs(primal_bound - dual_bound) / std::max(std::fabs(primal_bound), std::fabs(dual_bound));
}

namespace {

// Nodes of the feasibility search's first try with the caller's settings.
constexpr int64_t kFeasibilityFirstTryNodes = 500;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Presolve, then search the reduced model; incumbents are mapped back to
// `original` and checked there. Models presolve cannot settle (unbounded or
// infeasible) are searched unreduced, which tells the two apart.
MipResult search_presolved(const lp::Model& original, const lp::Model& working, const MipOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  // Presolve's rounds are its budget; the clock stops it only at the caller's
  // limit (where the search stops too). A share of the limit, or a fixed 10 s,
  // made the reduced model, and so the search, depend on the machine's load.
  PresolveOptions presolve_options;
  presolve_options.time_limit_seconds = options.time_limit;
  PresolveResult presolved = presolve(working, presolve_options);
  const double presolve_time = seconds_since(start);
  MipResult result;
  const double inf = std::numeric_limits<double>::infinity();
  if (options.callbacks.on_event) {
    const bool reduced = presolved.status == PresolveStatus::kReduced;
    MipEvent event;
    event.kind = "presolve";
    event.status = to_string(presolved.status);
    event.counts = {{"rows", reduced ? presolved.reduced.A.rows : working.A.rows},
                    {"cols", reduced ? presolved.reduced.A.cols : working.A.cols},
                    {"original_rows", working.A.rows},
                    {"original_cols", working.A.cols},
                    {"rounds", presolved.stats.rounds}};
    event.values = {{"seconds", presolve_time}};
    try {
      options.callbacks.on_event(event);
    } catch (...) {
      result.status = MipStatus::kInterrupted;
      result.callback_error = std::current_exception();
      result.presolve_time = result.time = presolve_time;
      return result;
    }
  }
  if (presolved.status == PresolveStatus::kInfeasible) {
    result.status = MipStatus::kInfeasible;
    result.dual_bound = original.sense >= 0 ? inf : -inf;
  } else if (presolved.status == PresolveStatus::kReduced && presolved.reduced.A.cols == 0) {
    // Presolve fixed every column: its solution is the only candidate.
    std::vector<double> x = presolved.postsolve.primal({});
    if (!check_solution(original, x, options.feasibility_tolerance, options.integrality_tolerance).feasible)
      return Search(working, options).run();
    result.status = MipStatus::kOptimal;
    result.objective = model_objective(original, x);
    result.dual_bound = result.objective;
    result.gap = 0;
    result.x = std::move(x);
  } else if (presolved.status == PresolveStatus::kReduced) {
    MipOptions reduced_options = options;
    reduced_options.time_limit = std::max(0.0, options.time_limit - presolve_time);
    result = Search(presolved.reduced, reduced_options, OriginalSpace{&original, &presolved.postsolve}).run();
    result.presolved_rows = presolved.reduced.A.rows;
    result.presolved_cols = presolved.reduced.A.cols;
  } else {
    result = Search(working, options).run();
  }
  result.presolve_time = presolve_time;
  result.time = seconds_since(start);
  return result;
}

// branching gnn needs a model trained on the engine's features (node_state.hpp).
void check_branching_model(const MipOptions& options) {
  if (options.branching != BranchingRule::kGnn) return;
  const learn::BranchModel* m = options.branching_model.get();
  if (!m) throw std::invalid_argument("solve_mip: branching 'gnn' needs a branching model");
  if (m->row_features != kRowFeatureCount || m->edge_features != kEdgeFeatureCount ||
      m->col_features != kColFeatureCount)
    throw std::invalid_argument("solve_mip: the branching model takes " + std::to_string(m->row_features) + " row, " +
                                std::to_string(m->edge_features) + " edge and " + std::to_string(m->col_features) +
                                " column features; the node state has " + std::to_string(kRowFeatureCount) + ", " +
                                std::to_string(kEdgeFeatureCount) + " and " + std::to_string(kColFeatureCount));
  if (options.gnn_max_depth < 0) throw std::invalid_argument("solve_mip: gnn_max_depth must be >= 0");
}

}  // namespace

MipResult solve_mip(const lp::Model& model, const MipOptions& options) {
  lp::check_model(model, "solve_mip");
  check_branching_model(options);
  const int32_t n = model.A.cols;
  if (!options.start_solution.empty()) {
    if (int32_t(options.start_solution.size()) != n)
      throw std::invalid_argument("solve_mip: the start solution has " + std::to_string(options.start_solution.size()) +
                                  " values, the model " + std::to_string(n) + " columns");
    for (int32_t j = 0; j < n; ++j)
      lp::check_finite("solve_mip", "the start value of column " + std::to_string(j), options.start_solution[j]);
  }
  // The working copy has integrality flags (none: a pure LP, solved at the root)
  // and integer columns' bounds rounded inward, so branching and rounding see
  // integral bounds. A solution within them is within the original ones too.
  lp::Model working = model;
  if (working.integer.empty()) working.integer.assign(n, 0);
  for (int32_t j = 0; j < n; ++j)
    if (working.integer[j]) {
      working.col_lower[j] = std::ceil(model.col_lower[j] - options.integrality_tolerance);
      working.col_upper[j] = std::floor(model.col_upper[j] + options.integrality_tolerance);
    }
  MipResult result = options.presolve ? search_presolved(model, working, options) : Search(working, options).run();
  if (result.status != MipStatus::kUnbounded) return result;
  bool has_integers = false;
  for (uint8_t flag : working.integer) has_integers |= flag != 0;
  if (!has_integers) return result;
  // An unbounded LP relaxation makes the MILP unbounded only if it has a
  // solution at all (Meyer: rational data): decide that with the objective dropped.
  lp::Model feasibility = working;
  std::fill(feasibility.cost.begin(), feasibility.cost.end(), 0.0);
  MipOptions feasibility_options = options;
  feasibility_options.callbacks = {};
  feasibility_options.record_samples = false;   // a different objective: not the caller's tree
  feasibility_options.time_limit = std::max(0.0, options.time_limit - result.time);
  // Without an objective strong branching and pseudocosts see no gains: the most
  // fractional column (on the small cross-check's unbounded models 10-20 times
  // faster than the caller's settings).
  // Lattice-like models defeat any one setting: a short first try with the
  // caller's settings (cuts and all) finds some points the main search misses
  // (small cross-check seed 109735: 19 nodes against none in 2 s).
  MipOptions first_options = feasibility_options;
  // Its budget is nodes only: a share of the time limit ended the whole search
  // with status time_limit on a slow enough machine, with most of the time left.
  first_options.node_limit = std::min<int64_t>(options.node_limit, kFeasibilityFirstTryNodes);
  MipResult feasible = Search(feasibility, first_options).run();
  result.nodes += feasible.nodes;
  result.lp_iterations += feasible.lp_iterations;
  result.failed_lp_nodes += feasible.failed_lp_nodes;
  result.time += feasible.time;
  // Then most-fractional tries, with and without the caller's cuts in turn, each
  // try's node budget twice the last one's (restarts): neither setting is safe
  // alone (seed 108789: 507 nodes without cuts, none found in 1.4M with them;
  // 108776: 379,031 without, 30,522 with).
  int64_t feasibility_nodes = feasible.nodes;
  int64_t budget = 2 * kFeasibilityFirstTryNodes;
  bool with_cuts = false;
  auto undecided = [](MipStatus s) {
    return s != MipStatus::kOptimal && s != MipStatus::kInfeasible && s != MipStatus::kInterrupted &&
           s != MipStatus::kError && s != MipStatus::kTimeLimit;
  };
  while (undecided(feasible.status)) {
    const int64_t nodes_left = options.node_limit - feasibility_nodes;
    if (nodes_left <= 0) break;   // the caller's node limit: status node_limit
    feasibility_options.branching = BranchingRule::kMostFractional;
    feasibility_options.cuts = options.cuts && with_cuts;
    feasibility_options.time_limit = std::max(0.0, options.time_limit - result.time);
    feasibility_options.node_limit = options.cuts ? std::min(budget, nodes_left) : nodes_left;
    feasible = Search(feasibility, feasibility_options).run();
    feasibility_nodes += feasible.nodes;
    result.nodes += feasible.nodes;
    result.lp_iterations += feasible.lp_iterations;
    result.failed_lp_nodes += feasible.failed_lp_nodes;
    result.time += feasible.time;
    budget = budget > std::numeric_limits<int64_t>::max() / 2 ? budget : 2 * budget;
    with_cuts = !with_cuts;
  }
  if (feasible.status == MipStatus::kInfeasible) {
    result.status = MipStatus::kInfeasible;
    result.dual_bound = model.sense >= 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  } else if (feasible.status != MipStatus::kOptimal) {
    result.status = feasible.status;   // undecided within the limits
    result.message = "LP relaxation unbounded; integer feasibility undecided";
    if (!feasible.message.empty()) result.message += " (" + feasible.message + ")";
  }
  return result;
}

}  // namespace satmip::mip
