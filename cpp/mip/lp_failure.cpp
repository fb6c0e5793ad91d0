// Nodes whose LP failed after its retries (numerical trouble, or the node LP
// iteration cap): SCIP's answer, branching on the pseudo-solution, instead of
// ending the whole search. The node keeps its parent's bound; only where no
// integer column is left to split and its point is no solution does it stay
// unresolved, and then its bound bars any proof below it (Search::run).
#include <cmath>

#include "mip/search.hpp"
#include "mip/solution_check.hpp"

namespace satmip::mip {

Search::Outcome Search::settle_without_lp(const Node& node) {
  ++failed_lp_nodes_;
  last_solved_id_ = -1;   // the failed LP's basis is no warm start: children load the parent's
  if (node.lower_bound >= cutoff()) {   // the parent's bound settles it (the cutoff moved since)
    const double bound = effective_bound(node.lower_bound);
    if (bound < incumbent_value_) pruned_by_gap_bound_ = std::min(pruned_by_gap_bound_, bound);
    return Outcome::kPruned;
  }
  if (branch_without_lp(node)) return Outcome::kBranched;
  if (!has_continuous_) {
    // Every column fixed: the node holds one point, its bounds.
    std::vector<double> x = loaded_lower_;
    if (try_incumbent(x) || stop_) return stop_ ? Outcome::kStop : Outcome::kPruned;
    if (check_solution(original_model(), to_original(x), options_.feasibility_tolerance,
                       options_.integrality_tolerance).feasible)
      return Outcome::kPruned;   // a solution, no better than the incumbent
  }
  ++unresolved_nodes_;
  unresolved_lp_status_ = lp_.status();
  unresolved_bound_ = std::min(unresolved_bound_, effective_bound(node.lower_bound));
  return Outcome::kPruned;
}

bool Search::branch_without_lp(const Node& node) {
  // The integer column with the widest finite domain at the node, halved: a
  // path of failed LPs then ends with every integer column fixed. Without
  // one, a column with an infinite bound, split at its last LP value.
  int32_t column = -1;
  bool column_finite = false;
  for (int32_t j = 0; j < model_.A.cols; ++j) {
    if (!model_.integer[j] || !(loaded_lower_[j] < loaded_upper_[j])) continue;
    const bool finite = std::isfinite(loaded_lower_[j]) && std::isfinite(loaded_upper_[j]);
    if (column < 0 || (finite && !column_finite) ||
        (finite && column_finite && loaded_upper_[j] - loaded_lower_[j] > loaded_upper_[column] - loaded_lower_[column])) {
      column = j;
      column_finite = finite;
    }
  }
  if (column < 0) return false;
  const double lower = loaded_lower_[column], upper = loaded_upper_[column];
  double split;   // the children: column <= split, column >= split + 1
  if (column_finite) {
    split = std::floor(lower + 0.5 * (upper - lower));
  } else {
    split = node_x_.empty() ? 0.0 : std::round(node_x_[size_t(column)]);   // the last LP point: the root's at worst
    if (std::isfinite(upper)) split = std::min(split, upper - 1);
    if (std::isfinite(lower)) split = std::max(split, lower);
  }
  auto push = [&](double child_lower, double child_upper) {
    Node c = child_of(node, column, child_lower, child_upper);
    c.estimate = node.estimate;
    c.unbounded_branchings += column_finite ? 0 : 1;
    c.warm_basis = node.warm_basis;
    queue_.push(std::move(c));   // no branch_column: no LP value moved, no pseudocost to learn
  };
  push(lower, split);
  push(split + 1, upper);
  return true;
}

}  // namespace satmip::mip
