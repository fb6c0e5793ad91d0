#include "mip/search.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "mip/branching.hpp"
#include "mip/solution_check.hpp"

namespace satmip::mip {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Incumbents violating rows by more than this (scaled) get polished (polish.cpp).
constexpr double kPolishViolation = 1e-9;
// Integral candidates breaking rows by at most this (scaled by max(1, |bound|))
// are kept for repair (polish.cpp): the LP's tolerances let that much through.
constexpr double kRepairableViolation = 1e-4;
// After this many branchings on unbounded columns along a path, columns with a
// finite domain are split first (Search::branch).
constexpr int32_t kUnboundedBranchingLimit = 16;

lp::LpOptions lp_options_for(const MipOptions& options) {
  lp::LpOptions o;
  o.interrupt = options.interrupt;
  o.seed = 12345 + options.seed;
  return o;
}

// Integer columns at their nearest integer: exact values for the caller.
std::vector<double> with_integers_rounded(const lp::Model& model, std::vector<double> x) {
  for (int32_t j = 0; j < model.A.cols; ++j)
    if (model.integer[j]) x[j] = std::round(x[j]);
  return x;
}

}  // namespace

Search::Search(const lp::Model& model, const MipOptions& options, OriginalSpace original)
    : model_(model),
      options_(options),
      original_(original),
      sense_(model.sense >= 0 ? 1.0 : -1.0),
      lp_(model, lp_options_for(options)),
      locks_(compute_locks(model)),
      pseudocosts_(model.A.cols),
      start_(std::chrono::steady_clock::now()),
      propagator_(model, options.feasibility_tolerance),
      loaded_lower_(model.col_lower),
      loaded_upper_(model.col_upper),
      global_lower_(model.col_lower),
      global_upper_(model.col_upper),
      seen_stamp_(model.A.cols, 0) {
  if (original_.postsolve) {
    original_columns_ = original_.postsolve->kept_columns();
  } else {
    original_columns_.resize(size_t(model.A.cols));
    for (int32_t j = 0; j < model.A.cols; ++j) original_columns_[size_t(j)] = j;
  }
  for (int32_t j = 0; j < model.A.cols; ++j) has_continuous_ |= !model.integer[j];
  integral_objective_ = true;
  for (int32_t j = 0; j < model.A.cols && integral_objective_; ++j)
    if (model.cost[j] != 0 && (!model.integer[j] || std::round(model.cost[j]) != model.cost[j])) integral_objective_ = false;
  if (options.callbacks.on_branch || options.record_samples || options.branching == BranchingRule::kGnn)
    node_state_ = std::make_unique<NodeState>();
  heuristic_rng_.seed(options.seed);
  branching_rng_.seed(0x6b7a1c3dULL ^ options.seed);
  sample_rng_.seed(0x5a3b1e5ULL ^ options.seed);
  if (options.callbacks.on_event) {
    lp_.options().progress_interval = options.progress_interval;
    lp_.options().on_progress = [this](const lp::LpProgress& p) {
      if (!root_lp_progress_) return false;
      MipEvent event;
      event.kind = "lp";
      event.counts = {{"iterations", p.iterations}};
      event.values = {{"objective", p.objective}, {"primal_infeasibility", p.primal_infeasibility},
                      {"dual_infeasibility", p.dual_infeasibility}, {"seconds", p.seconds}};
      notify_event(event);
      return stop_;
    };
  }
}

double Search::effective_bound(double bound) const {
  if (!integral_objective_ || !std::isfinite(bound)) return bound;
  const double offset = sense_ * model_.offset;
  return offset + std::ceil(bound - offset - 1e-6);
}

double Search::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double Search::cutoff() const {
  if (incumbent_.empty()) return kInfinity;
  double tolerance = std::max(options_.absolute_gap, options_.relative_gap * std::fabs(incumbent_value_));
  double cut = incumbent_value_ - tolerance;
  // A better solution is at least one step better.
  if (integral_objective_) cut = std::min(cut, incumbent_value_ - 1.0 + 1e-6);
  return cut;
}

double Search::global_dual_bound(double extra_bound) const {
  return std::min({effective_bound(std::min(queue_.best_bound(), extra_bound)), pruned_by_gap_bound_, user_pruned_bound_,
                   rejected_bound_, unresolved_bound_, incumbent_value_});
}

bool Search::limit_reached(bool count_nodes) {
  if (options_.interrupt && options_.interrupt->load()) stop_status_ = MipStatus::kInterrupted;
  else if (elapsed() >= options_.time_limit) stop_status_ = MipStatus::kTimeLimit;
  else if (count_nodes && nodes_ >= options_.node_limit) stop_status_ = MipStatus::kNodeLimit;
  else return false;
  stop_ = true;
  return true;
}

NodeFacts Search::facts(const Node& node, bool integral) const {
  NodeFacts f;
  f.depth = node.depth;
  f.node_bound = model_value(node.lower_bound);
  f.primal_bound = model_value(incumbent_value_);
  f.dual_bound = model_value(global_dual_bound(node.lower_bound));
  f.nodes = nodes_;
  f.open_nodes = int64_t(queue_.size());
  f.lp_integral = integral;
  return f;
}

void Search::record_callback_error() {
  if (!callback_error_) callback_error_ = std::current_exception();
  stop_ = true;
  stop_status_ = MipStatus::kInterrupted;
}

void Search::notify_event(const MipEvent& event) {
  if (!options_.callbacks.on_event) return;
  Stopwatch watch(callback_time_);
  try {
    options_.callbacks.on_event(event);
  } catch (...) {
    record_callback_error();
  }
}

bool Search::propagate_root() {
  propagator_.reset(global_lower_, global_upper_);
  if (!propagator_.propagate()) return false;
  for (int32_t j : propagator_.changed_columns()) {
    global_lower_[j] = propagator_.lower()[j];
    global_upper_[j] = propagator_.upper()[j];
    loaded_changes_.push_back(j);   // loaded at the root like any global change
  }
  propagator_.clear_changed();
  propagation_base_ = propagator_.mark();
  return true;
}

bool Search::update_propagation_base() {
  propagator_.undo_to(propagation_base_);
  if (pending_global_.empty() || globally_infeasible_) return !globally_infeasible_;
  propagator_.clear_changed();
  for (int32_t j : pending_global_) propagator_.change_bounds(j, global_lower_[j], global_upper_[j]);
  pending_global_.clear();
  if (!propagator_.propagate()) {
    globally_infeasible_ = true;   // no point better than the incumbent is left
    return false;
  }
  for (int32_t j : propagator_.changed_columns()) {
    global_lower_[j] = propagator_.lower()[j];
    global_upper_[j] = propagator_.upper()[j];
    loaded_changes_.push_back(j);
  }
  propagator_.clear_changed();
  propagation_base_ = propagator_.mark();
  return true;
}

bool Search::load_node(const Node& node) {
  if (node.parent_id != last_solved_id_ && node.warm_basis) lp_.set_basis(node.warm_basis->cols, node.warm_basis->rows);
  if (options_.propagation && !update_propagation_base()) return false;
  ++stamp_;
  std::vector<ColumnChange> target;   // the newest change per column wins
  for_each_change(node.changes.get(), [&](int32_t j, double lower, double upper) {
    if (seen_stamp_[j] == stamp_) return;
    seen_stamp_[j] = stamp_;
    target.push_back({j, lower, upper});
  });
  auto load = [&](int32_t j, double lower, double upper) {
    if (loaded_lower_[j] == lower && loaded_upper_[j] == upper) return;
    lp_.change_col_bounds(j, lower, upper);
    loaded_lower_[j] = lower;
    loaded_upper_[j] = upper;
  };
  // The node's own bounds: its branchings, set before later global tightenings,
  // intersected with the global bounds.
  node_bounds_.clear();
  bool consistent = true;
  for (const ColumnChange& change : target) {
    const int32_t j = change.column;
    const double lower = std::max(change.lower, global_lower_[j]), upper = std::min(change.upper, global_upper_[j]);
    consistent &= lower <= upper;
    node_bounds_.push_back({j, lower, upper});
  }
  if (consistent && options_.propagation) {
    for (const ColumnBounds& b : node_bounds_) propagator_.change_bounds(b.column, b.lower, b.upper);
    consistent = propagator_.propagate();
    if (consistent) {
      for (int32_t j : propagator_.changed_columns())
        if (seen_stamp_[j] != stamp_) {
          seen_stamp_[j] = stamp_;
          node_bounds_.push_back({j, 0.0, 0.0});
        }
      for (ColumnBounds& b : node_bounds_) {
        b.lower = propagator_.lower()[b.column];
        b.upper = propagator_.upper()[b.column];
      }
    }
    propagator_.clear_changed();
  }
  for (int32_t j : loaded_changes_)
    if (seen_stamp_[j] != stamp_) load(j, global_lower_[j], global_upper_[j]);
  loaded_changes_.clear();
  for (const ColumnBounds& b : node_bounds_) {
    loaded_changes_.push_back(b.column);
    if (consistent) load(b.column, b.lower, b.upper);
  }
  return consistent;
}

Search::LpOutcome Search::solve_lp_with_retries() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    lp_.options().time_limit = std::max(0.0, options_.time_limit - elapsed());
    lp::LpStatus status = lp_.solve();
    lp_iterations_ += lp_.iterations();
    lp_time_ += lp_.time();
    switch (status) {
      case lp::LpStatus::kOptimal:
      case lp::LpStatus::kInfeasible:
      case lp::LpStatus::kUnbounded:
        return LpOutcome::kSolved;
      case lp::LpStatus::kTimeLimit:
        stop_ = true;
        stop_status_ = MipStatus::kTimeLimit;
        return LpOutcome::kStopped;
      case lp::LpStatus::kInterrupted:
        stop_ = true;
        stop_status_ = MipStatus::kInterrupted;
        return LpOutcome::kStopped;
      default:
        // A warm start gone bad: retry from the root's basis, then from the slack basis.
        if (attempt == 0 && root_basis_) {
          lp_.set_basis(root_basis_->cols, root_basis_->rows);
        } else {
          std::vector<lp::BasisStatus> cols, rows(size_t(lp_.num_rows()), lp::BasisStatus::kBasic);
          for (int32_t j = 0; j < lp_.num_cols(); ++j)
            cols.push_back(std::isfinite(loaded_lower_[j]) ? lp::BasisStatus::kAtLower
                           : std::isfinite(loaded_upper_[j]) ? lp::BasisStatus::kAtUpper : lp::BasisStatus::kFree);
          lp_.set_basis(cols, rows);
        }
    }
  }
  return LpOutcome::kFailed;
}

bool Search::solve_lp() {
  const LpOutcome outcome = solve_lp_with_retries();
  if (outcome == LpOutcome::kFailed) {
    stop_ = true;
    stop_status_ = MipStatus::kError;
    error_message_ = std::string("LP relaxation failed: ") + lp::to_string(lp_.status());
  }
  return outcome == LpOutcome::kSolved;
}

Search::LpOutcome Search::solve_node_lp(const Node& node) {
  if (node.id == 0) return solve_lp() ? LpOutcome::kSolved : LpOutcome::kStopped;
  const int64_t saved_iteration_limit = lp_.options().iteration_limit;
  lp_.options().iteration_limit = options_.node_lp_iteration_limit;
  const LpOutcome outcome = solve_lp_with_retries();
  lp_.options().iteration_limit = saved_iteration_limit;
  return outcome;
}

bool Search::try_incumbent(std::vector<double> x) {
  // Judged in the original model: presolve keeps objective values, so values
  // there and in the searched model agree, and a point no better than the
  // incumbent is dropped before the costlier postsolve and check (with slack
  // against round-off).
  if (!incumbent_.empty() &&
      sense_ * model_objective(model_, x) >= incumbent_value_ + 1e-6 * std::max(1.0, std::fabs(incumbent_value_)))
    return false;
  std::vector<double> original_x = to_original(x);
  // The objective first: it is cheaper than the rows, and most candidates are no better.
  double value = sense_ * model_objective(original_model(), original_x);
  if (!(value < incumbent_value_)) return false;
  SolutionCheck check = check_solution(original_model(), original_x, options_.feasibility_tolerance,
                                       options_.integrality_tolerance);
  if (!check.feasible) {
    if (check.integral && has_continuous_ && !repairing_ && check.max_scaled_violation <= kRepairableViolation &&
        value < repair_value_) {
      repair_candidate_ = std::move(x);
      repair_value_ = value;
    }
    return false;
  }
  accept_incumbent(std::move(x), std::move(original_x), value);
  // Integer values off by up to the integrality tolerance let big-M rows give
  // the continuous columns slack no integer point has: polish those too.
  incumbent_violation_ = std::max(check.max_violation, check.max_fractionality);
  needs_polish_ = has_continuous_ && incumbent_violation_ > kPolishViolation;
  return true;
}

void Search::accept_incumbent(std::vector<double> x, std::vector<double> original_x, double value) {
  incumbent_ = std::move(x);
  incumbent_original_ = std::move(original_x);
  incumbent_value_ = value;
  if (node_state_) node_state_->record_incumbent(incumbent_);
  pruned_by_gap_bound_ = std::min(pruned_by_gap_bound_, effective_bound(queue_.prune(cutoff())));
  reduced_cost_fixing();
  notify_incumbent();
}

void Search::notify_incumbent() {
  if (!options_.callbacks.on_incumbent) return;
  Stopwatch watch(callback_time_);
  try {
    options_.callbacks.on_incumbent(incumbent_original_, model_value(incumbent_value_));
  } catch (...) {
    record_callback_error();
  }
}

void Search::offer_start_solution() {
  if (options_.start_solution.empty()) return;
  const lp::Model& original = original_model();
  std::vector<double> x = options_.start_solution;
  for (int32_t j = 0; j < original.A.cols; ++j)
    if (!original.integer.empty() && original.integer[j]) x[j] = std::round(x[j]);
  if (!check_solution(original, x, options_.feasibility_tolerance, options_.integrality_tolerance).feasible) return;
  std::vector<double> searched_x = original_.postsolve ? original_.postsolve->reduce(x) : x;
  start_accepted_ = true;
  const double value = sense_ * model_objective(original, x);   // of the point kept: integers rounded
  accept_incumbent(std::move(searched_x), std::move(x), value);
}

Search::Outcome Search::process(Node& node, std::optional<Node>& dive_child) {
  ++nodes_;
  root_lp_progress_ = node.id == 0;
  if (!load_node(node)) {
    last_solved_id_ = -1;
    return Outcome::kPruned;
  }
  const LpOutcome lp_outcome = solve_node_lp(node);
  if (lp_outcome == LpOutcome::kStopped) return Outcome::kStop;
  if (lp_outcome == LpOutcome::kFailed) return settle_without_lp(node);
  last_solved_id_ = node.id;
  if (node.id == 0 && options_.callbacks.on_event) {
    MipEvent event;
    event.kind = "root_lp";
    event.status = lp::to_string(lp_.status());
    event.counts = {{"iterations", lp_.iterations()}};
    event.values = {{"bound", lp_.objective()}, {"seconds", lp_.time()}};
    notify_event(event);
    if (stop_) return Outcome::kStop;
  }
  if (lp_.status() == lp::LpStatus::kInfeasible) {
    if (node.id != 0) learn_from_infeasible_lp();
    return Outcome::kPruned;
  }
  if (lp_.status() == lp::LpStatus::kUnbounded) {
    // Below a bounded root an unbounded LP can only be numerical: a failed LP.
    if (node.id != 0) return settle_without_lp(node);
    stop_ = true;
    stop_status_ = MipStatus::kUnbounded;
    return Outcome::kStop;
  }
  if (node.id == 0 && options_.cuts && !root_cut_loop()) return stop_ ? Outcome::kStop : Outcome::kPruned;
  root_lp_progress_ = false;
  const double bound = sense_ * lp_.objective();
  if (node.id == 0) {
    auto basis = std::make_shared<Basis>();
    lp_.get_basis(basis->cols, basis->rows);
    root_basis_ = basis;
    root_bound_ = bound;
    root_reduced_cost_ = lp_.reduced_cost();
    for (double& d : root_reduced_cost_) d *= sense_;
    root_lower_ = loaded_lower_;
    root_upper_ = loaded_upper_;
  }
  node_x_ = lp_.x();
  node_reduced_cost_ = lp_.reduced_cost();
  if (node.branch_column >= 0 && std::isfinite(node.lower_bound))
    pseudocosts_.record(node.branch_column, node.branch_up, bound - node.lower_bound, node.branch_distance);
  node.lower_bound = std::max(node.lower_bound, bound);

  auto pruned_by_bound = [&] {
    if (node.lower_bound < cutoff()) return false;
    double bound = effective_bound(node.lower_bound);
    if (bound < incumbent_value_) pruned_by_gap_bound_ = std::min(pruned_by_gap_bound_, bound);
    return true;
  };
  if (pruned_by_bound()) return Outcome::kPruned;

  std::vector<int32_t> candidates = branching_candidates(node_x_, model_.integer, options_.integrality_tolerance);
  if (options_.callbacks.on_node) {
    NodeAction action = NodeAction::kContinue;
    Stopwatch watch(callback_time_);
    try {
      action = options_.callbacks.on_node(facts(node, candidates.empty()));
    } catch (...) {
      record_callback_error();
      return Outcome::kStop;
    }
    if (action == NodeAction::kPrune) {
      user_pruned_bound_ = std::min(user_pruned_bound_, effective_bound(node.lower_bound));
      return Outcome::kPruned;
    }
    if (action == NodeAction::kStop) {
      stop_ = true;
      stop_status_ = MipStatus::kInterrupted;
      return Outcome::kStop;
    }
  }
  if (candidates.empty()) {
    std::vector<double> rounded = with_integers_rounded(model_, node_x_);
    if (try_incumbent(rounded) || try_incumbent(node_x_) || stop_) return stop_ ? Outcome::kStop : Outcome::kPruned;
    if (check_solution(original_model(), to_original(rounded), options_.feasibility_tolerance,
                       options_.integrality_tolerance).feasible)
      return Outcome::kPruned;   // a solution, no better than the incumbent
    // The LP's tolerances let a point through that breaks a row: its integer
    // values may have an exact continuous completion (repair); the node may
    // hold other points, whose bound the LP did not prove.
    repair_candidate();
    if (stop_) return Outcome::kStop;
    if (pruned_by_bound()) return Outcome::kPruned;
    if (branch_around_point(node)) return Outcome::kBranched;
    // Every integer column fixed and still no solution: the node is not
    // settled, its bound stays in the dual bound (no proof of optimality).
    if (node.lower_bound < cutoff()) rejected_bound_ = std::min(rejected_bound_, effective_bound(node.lower_bound));
    return Outcome::kPruned;
  }
  if (options_.heuristics) {
    run_heuristics(node, candidates);   // heuristics.cpp
    if (stop_) return Outcome::kStop;
    if (pruned_by_bound()) return Outcome::kPruned;
  }
  branch(node, candidates, dive_child);
  return stop_ ? Outcome::kStop : Outcome::kBranched;
}

std::optional<size_t> Search::ask_branch_callback(const Node& node, const std::vector<int32_t>& candidates) {
  if (!options_.callbacks.on_branch) return std::nullopt;
  std::vector<double> fractional(candidates.size()), down(candidates.size()), up(candidates.size());
  for (size_t k = 0; k < candidates.size(); ++k) {
    fractional[k] = fractionality(node_x_[candidates[k]]);
    down[k] = pseudocosts_.estimate(candidates[k], false);
    up[k] = pseudocosts_.estimate(candidates[k], true);
  }
  BranchState state{&original_columns_, &candidates, &node_x_, &fractional, &node_reduced_cost_, &loaded_lower_,
                    &loaded_upper_, &down, &up, facts(node, false), node_state_.get()};
  Stopwatch watch(callback_time_);
  try {
    BranchDecision decision = options_.callbacks.on_branch(state);
    if (decision.column >= 0) {
      auto it = std::lower_bound(candidates.begin(), candidates.end(), decision.column);
      if (it == candidates.end() || *it != decision.column)
        throw std::invalid_argument("on_branch returned column " + std::to_string(decision.column) +
                                    ", which is not a branching candidate (fractional integer column) at this node");
      return size_t(it - candidates.begin());
    }
    if (!decision.scores.empty()) {
      if (decision.scores.size() != candidates.size())
        throw std::invalid_argument("on_branch returned " + std::to_string(decision.scores.size()) +
                                    " scores for " + std::to_string(candidates.size()) + " candidates");
      return select_highest_score(decision.scores);
    }
  } catch (...) {
    record_callback_error();
  }
  return std::nullopt;
}

void Search::branch(const Node& node, const std::vector<int32_t>& candidates, std::optional<Node>& dive_child) {
  if (node_state_) build_node_state(node);   // before strong branching overwrites the LP's solution
  std::optional<size_t> chosen = ask_branch_callback(node, candidates);
  if (stop_) return;
  const bool caller_chose = chosen.has_value();
  auto basis = std::make_shared<Basis>();
  lp_.get_basis(basis->cols, basis->rows);
  const bool strong = options_.branching == BranchingRule::kStrong;
  std::vector<StrongBranchScore> expert;
  bool expert_complete = false;
  const bool expert_queried = options_.record_samples && query_expert();
  if (expert_queried || (strong && !chosen)) {
    Stopwatch watch(branching_time_);
    expert_complete = strong_branch_all(candidates, *basis, node.lower_bound, strong, expert);
  }
  if (expert_queried && expert_complete && options_.sampling.follow_expert && !chosen)
    chosen = select_highest_score(expert);
  if (!chosen) {
    Stopwatch watch(branching_time_);
    switch (options_.branching) {
      case BranchingRule::kMostFractional: chosen = pick_highest(most_fractional_scores(candidates, node_x_)); break;
      case BranchingRule::kGnn:   // the GCNN; below its depth the pseudocost rule
        if ((chosen = select_gnn(node, candidates))) break;
        [[fallthrough]];
      case BranchingRule::kPseudocost: chosen = pick_highest(pseudocost_scores(candidates, node_x_, pseudocosts_)); break;
      case BranchingRule::kReliability: chosen = select_reliability(candidates, *basis, node.lower_bound); break;
      case BranchingRule::kStrong: {
        std::vector<double> scores(expert.size());
        for (size_t k = 0; k < expert.size(); ++k) scores[k] = expert[k].score;
        chosen = pick_highest(std::move(scores));
        break;
      }
    }
  }
  if (expert_queried && expert_complete) record_sample(node, candidates, expert, *chosen);
  int32_t column = candidates[*chosen];
  double split = std::floor(node_x_[column]);   // the children: column <= split, column >= split + 1
  bool bisection = false;
  auto finite = [&](int32_t j) { return std::isfinite(loaded_lower_[j]) && std::isfinite(loaded_upper_[j]); };
  if (node.unbounded_branchings >= kUnboundedBranchingLimit && !caller_chose && !finite(column)) {
    // Branching on unbounded columns may walk off along them for ever: split
    // a column with a finite domain instead, a fractional one if any, else an
    // integral one in two (such splits end, and with those columns fixed the
    // rows' divisibility, domain_propagation.cpp, decides the rest).
    int32_t other = -1;
    for (int32_t j : candidates)
      if (finite(j)) {
        other = j;
        break;
      }
    if (other < 0) {
      for (int32_t j = 0; j < model_.A.cols; ++j)
        if (model_.integer[j] && finite(j) && loaded_lower_[j] < loaded_upper_[j] &&
            (other < 0 || loaded_upper_[j] - loaded_lower_[j] < loaded_upper_[other] - loaded_lower_[other]))
          other = j;
      bisection = other >= 0;
    }
    if (other >= 0) {
      column = other;
      const double v = std::round(node_x_[column]);
      split = bisection ? (v < loaded_upper_[column] ? v : v - 1) : std::floor(node_x_[column]);
    }
  }
  const double value = node_x_[column], fraction = bisection ? 0.5 : value - std::floor(value);
  // Best estimate: the node's bound plus, per candidate, the cheaper pseudocost
  // cost of making it integral; a child pays its own direction for the column.
  double estimate = node.lower_bound;
  double column_share = 0;
  for (int32_t j : candidates) {
    const double f = node_x_[j] - std::floor(node_x_[j]);
    const double cost = std::min(pseudocosts_.estimate(j, false) * f, pseudocosts_.estimate(j, true) * (1.0 - f));
    estimate += cost;
    if (j == column) column_share = cost;
  }
  auto child = [&](bool up) {
    Node c = child_of(node, column, up ? split + 1 : loaded_lower_[column], up ? loaded_upper_[column] : split);
    c.estimate = estimate - column_share + pseudocosts_.estimate(column, up) * (up ? 1.0 - fraction : fraction);
    c.unbounded_branchings += finite(column) ? 0 : 1;
    c.warm_basis = basis;
    c.branch_column = bisection ? -1 : column;   // a bisection moves no LP value: nothing for the pseudocosts
    c.branch_up = up;
    c.branch_distance = up ? 1.0 - fraction : fraction;
    return c;
  };
  Node down = child(false), up = child(true);
  const bool prefer_up = fraction >= 0.5;
  bool plunge = incumbent_.empty();
  if (!plunge) {
    double dual_bound = global_dual_bound(node.lower_bound);
    plunge = node.lower_bound <= dual_bound + options_.plunge_gap_fraction * (incumbent_value_ - dual_bound);
  }
  if (plunge) {
    queue_.push(prefer_up ? std::move(down) : std::move(up));
    dive_child = prefer_up ? std::move(up) : std::move(down);
  } else {
    queue_.push(std::move(down));
    queue_.push(std::move(up));
  }
}

size_t Search::pick_highest(std::vector<double> scores) {
  // Relative, so that it moves only ties and near-ties whatever the objective's scale.
  constexpr double kSeedScoreNoise = 1e-6;
  if (options_.seed != 0) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (double& score : scores) score *= 1.0 + kSeedScoreNoise * unit(branching_rng_);
  }
  return select_highest_score(scores);
}

bool Search::branch_around_point(const Node& node) {
  // The integer column with the widest domain at the node (infinite first):
  // the child at its value fixes one more column, so along that path the
  // integer part ends up fixed and the node's LP then is the repair's.
  int32_t column = -1;
  for (int32_t j = 0; j < model_.A.cols; ++j)
    if (model_.integer[j] && loaded_lower_[j] < loaded_upper_[j] &&
        (column < 0 || loaded_upper_[j] - loaded_lower_[j] > loaded_upper_[column] - loaded_lower_[column]))
      column = j;
  if (column < 0) return false;
  const double value = std::round(node_x_[column]);
  auto basis = std::make_shared<Basis>();
  lp_.get_basis(basis->cols, basis->rows);
  auto push = [&](double lower, double upper) {
    if (lower > upper) return;
    Node c = child_of(node, column, lower, upper);
    c.estimate = node.estimate;
    c.warm_basis = basis;
    queue_.push(std::move(c));   // no branch_column: the LP point did not move, no pseudocost to learn
  };
  push(value, value);
  push(loaded_lower_[column], value - 1);
  push(value + 1, loaded_upper_[column]);
  return true;
}

Node Search::child_of(const Node& node, int32_t column, double lower, double upper) {
  Node c;
  c.changes = extend_chain(node.changes, column, lower, upper);
  c.lower_bound = node.lower_bound;
  c.depth = node.depth + 1;
  c.unbounded_branchings = node.unbounded_branchings;
  c.id = next_id_++;
  c.parent_id = node.id;
  return c;
}

Node Search::select_node() {
  if (incumbent_.empty()) return queue_.pop_deepest();
  ++selections_;
  if (options_.node_selection == NodeSelection::kBestEstimate &&
      (options_.best_bound_frequency <= 0 || selections_ % options_.best_bound_frequency != 0))
    return queue_.pop_best_estimate();
  return queue_.pop_best_bound();
}

MipResult Search::run() {
  MipResult result;
  offer_start_solution();
  std::optional<Node> current = Node{};   // the root: id 0, no changes
  if (options_.propagation && !propagate_root()) current.reset();   // no point at all: infeasible
  while (!stop_) {
    if (!current) {
      pruned_by_gap_bound_ = std::min(pruned_by_gap_bound_, effective_bound(queue_.prune(cutoff())));
      if (queue_.empty()) break;
      current = select_node();
    }
    if (limit_reached()) break;
    if (current->parent_id != last_solved_id_) {   // between plunges: the LP is free
      repair_candidate();
      if (needs_polish_) polish_incumbent();
      if (stop_) break;
    }
    Node node = std::move(*current);
    current.reset();
    // A node left unfinished stays open: its bound still limits the dual bound.
    if (process(node, current) == Outcome::kStop) queue_.push(std::move(node));
  }
  if (current) queue_.push(std::move(*current));
  if (!stop_ || stop_status_ != MipStatus::kError) {
    repair_candidate();
    polish_incumbent();
    make_incumbent_exact();
  }

  result.nodes = nodes_;
  result.open_nodes = int64_t(queue_.size());
  result.lp_iterations = lp_iterations_;
  result.callback_error = callback_error_;
  result.cut_time = cut_time_;
  result.lp_time = lp_time_;
  result.heuristics_time = heuristics_time_;
  result.branching_time = branching_time_;
  result.callback_time = callback_time_;
  result.start_accepted = start_accepted_;
  result.cuts_added = cuts_added_;
  result.cut_rows = int32_t(cut_ages_.size());
  result.cut_rounds = cut_rounds_;
  result.samples = std::move(samples_);
  result.expert_calls = expert_calls_;
  result.branching_model_calls = gnn_calls_;
  result.branching_model_time = gnn_time_;
  if (node_state_) {
    result.node_state_builds = node_state_->builds();
    result.node_state_time = node_state_->build_seconds();
    result.node_state_static_builds = node_state_->static_builds();
  }
  result.message = error_message_;
  result.failed_lp_nodes = failed_lp_nodes_;
  if (!incumbent_.empty()) {
    result.x = incumbent_original_;
    result.objective = model_value(incumbent_value_);
  }
  double dual_bound;
  if (stop_) {
    result.status = stop_status_;
    dual_bound = stop_status_ == MipStatus::kUnbounded ? -kInfinity : global_dual_bound(kInfinity);
  } else {
    // The tree is done; it proves optimality (infeasibility) unless a node the
    // user pruned could still hold a better solution (any solution).
    if (user_pruned_bound_ < cutoff()) {
      result.status = MipStatus::kUserPruned;
    } else if (rejected_bound_ < cutoff()) {
      result.status = MipStatus::kError;
      result.message = "an integral LP solution failed the feasibility check against the original model "
                       "(numerical trouble): neither optimality nor infeasibility is proven";
    } else if (unresolved_bound_ < cutoff()) {
      result.status = MipStatus::kError;
      result.message = std::to_string(unresolved_nodes_) + " node(s) with every integer column fixed could not be "
                       "settled (their LP failed: " + lp::to_string(unresolved_lp_status_) + "): neither optimality nor infeasibility is proven";
    } else {
      result.status = incumbent_.empty() ? MipStatus::kInfeasible : MipStatus::kOptimal;
    }
    dual_bound = global_dual_bound(kInfinity);
  }
  result.dual_bound = model_value(dual_bound);
  result.gap = relative_gap(incumbent_value_, dual_bound);
  result.time = elapsed();
  return result;
}

}  // namespace satmip::mip
