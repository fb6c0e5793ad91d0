// A light objective feasibility pump at the root (Fischetti, Glover and Lodi;
// the objective variant of Achterberg and Berthold), for models without an
// incumbent after rounding and diving. It alternates
//   rounding: the integer columns of the LP point to their nearest integers
//     (the target), offered as a candidate with the point's other values;
//   projection: the LP point nearest the target in the L1 distance on the
//     integer columns at a bound of their domain (target at the lower bound:
//     cost +1, at the upper bound: cost -1; general integers strictly inside
//     their domain get no distance term), blended with the scaled objective by
//     a weight alpha that decays by 0.9 a round,
// until the projection is integral (a candidate) or the round or LP-iteration
// budget is spent. A target that comes back unchanged is perturbed by
// flipping the 10-30 integer columns farthest from it; one seen within the
// last rounds (a longer cycle) by a random restart. Afterwards the model's
// costs and the root's basis are put back exactly.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "mip/branching.hpp"
#include "mip/search.hpp"

namespace satmip::mip {
namespace {

constexpr int kMaxRounds = 30;
constexpr size_t kHistory = 20;

uint64_t target_hash(const std::vector<int32_t>& columns, const std::vector<double>& target) {
  uint64_t h = 1469598103934665603ull;
  for (int32_t j : columns) {
    h ^= uint64_t(int64_t(target[j]));
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

bool Search::feasibility_pump(int64_t budget) {
  const int32_t n = model_.A.cols;
  std::vector<int32_t> columns;   // integer columns not fixed: the pump's distance lives on these
  for (int32_t j = 0; j < n; ++j)
    if (model_.integer[j] && loaded_lower_[j] < loaded_upper_[j]) columns.push_back(j);
  if (columns.empty()) return false;
  if (node_state_ && last_solved_id_ >= 0) node_state_->hold_solution(lp_);
  Basis node_basis;
  lp_.get_basis(node_basis.cols, node_basis.rows);
  const int64_t saved_iteration_limit = lp_.options().iteration_limit;

  // The objective, minimisation form, scaled to the distance's norm sqrt(|columns|).
  double norm = 0;
  for (int32_t j = 0; j < n; ++j) norm += model_.cost[j] * model_.cost[j];
  norm = std::sqrt(norm);
  const double objective_scale = norm > 0 ? std::sqrt(double(columns.size())) / norm : 0.0;
  std::vector<double> cost(static_cast<size_t>(n));   // the pump's costs in the LP now, minimisation form
  for (int32_t j = 0; j < n; ++j) cost[j] = sense_ * model_.cost[j];
  std::vector<uint8_t> changed(size_t(n), 0);

  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> x = node_x_, target = node_x_;
  std::vector<uint64_t> history;
  std::vector<double> last(columns.size());   // the target the last projection was given, on `columns`
  int64_t used = 0;
  double alpha = 1.0;
  bool found = false;

  // One step of an integer target away from where it is, towards the LP value
  // (binaries: the other value), within the domain.
  auto flip = [&](int32_t j) {
    double step = x[j] > target[j] ? 1.0 : x[j] < target[j] ? -1.0 : (target[j] > loaded_lower_[j] ? -1.0 : 1.0);
    target[j] = std::clamp(target[j] + step, loaded_lower_[j], loaded_upper_[j]);
  };

  for (int round = 0; round < kMaxRounds && used < budget && !found && !stop_; ++round) {
    for (int32_t j : columns) target[j] = std::clamp(std::round(x[j]), loaded_lower_[j], loaded_upper_[j]);
    auto same_as_last = [&] {
      for (size_t k = 0; k < columns.size(); ++k)
        if (target[columns[k]] != last[k]) return false;
      return true;
    };
    if (round > 0 && same_as_last()) {
      // A short cycle: the projection came back to the rounding it was given.
      std::vector<size_t> order(columns.size());
      std::iota(order.begin(), order.end(), size_t(0));
      auto score = [&](size_t k) { return std::fabs(x[columns[k]] - target[columns[k]]); };
      const size_t flips = std::min(order.size(), size_t(10 + std::uniform_int_distribution<int>(0, 20)(heuristic_rng_)));
      std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(flips), order.end(),
                        [&](size_t a, size_t b) { return score(a) > score(b); });
      for (size_t k = 0; k < flips && score(order[k]) > 0; ++k) flip(columns[order[k]]);
    }
    uint64_t hash = target_hash(columns, target);
    if (std::find(history.begin(), history.end(), hash) != history.end()) {
      // A longer cycle (or flips that led back): random restart around the LP point.
      for (int32_t j : columns) {
        const double rho = uniform(heuristic_rng_) - 0.3;
        if (std::fabs(x[j] - target[j]) + std::max(rho, 0.0) > 0.5) flip(j);
      }
      hash = target_hash(columns, target);
    }
    for (size_t k = 0; k < columns.size(); ++k) last[k] = target[columns[k]];
    history.push_back(hash);
    if (history.size() > kHistory) history.erase(history.begin());

    std::vector<double> point = x;
    for (int32_t j : columns) point[j] = target[j];
    for (int32_t j = 0; j < n; ++j)
      if (model_.integer[j]) point[j] = std::round(point[j]);
    if (try_incumbent(std::move(point))) {
      found = true;
      break;
    }

    // Projection onto the LP, nearest the target.
    alpha *= 0.9;
    for (int32_t j = 0; j < n; ++j) {
      double distance = 0;
      if (model_.integer[j] && loaded_lower_[j] < loaded_upper_[j]) {
        if (target[j] <= loaded_lower_[j]) distance = 1.0;
        else if (target[j] >= loaded_upper_[j]) distance = -1.0;
      }
      const double c = (1.0 - alpha) * distance + alpha * objective_scale * sense_ * model_.cost[j];
      if (c == cost[j]) continue;
      cost[j] = c;
      changed[j] = 1;
      lp_.change_cost(j, sense_ * c);   // the LP takes costs in the model's sense
    }
    lp_.options().iteration_limit = std::max<int64_t>(1, budget - used);
    lp_.options().time_limit = std::max(0.0, options_.time_limit - elapsed());
    const lp::LpStatus status = lp_.solve();
    used += lp_.iterations();
    lp_iterations_ += lp_.iterations();
    heuristic_lp_iterations_ += lp_.iterations();
    if (status != lp::LpStatus::kOptimal) break;
    x = lp_.x();
    std::vector<int32_t> fractional = branching_candidates(x, model_.integer, options_.integrality_tolerance);
    if (fractional.empty()) {
      std::vector<double> rounded = x;
      for (int32_t j = 0; j < n; ++j)
        if (model_.integer[j]) rounded[j] = std::round(rounded[j]);
      found = try_incumbent(std::move(rounded)) || try_incumbent(x);
      if (found) break;
    } else {
      for (auto& candidate : rounding_candidates(model_, locks_, x, fractional))
        if (rounding_passes_rows(candidate, x, fractional, lp_.row_activity())) found |= try_incumbent(std::move(candidate));
    }
  }

  for (int32_t j = 0; j < n; ++j)
    if (changed[j]) lp_.change_cost(j, model_.cost[j]);
  lp_.options().iteration_limit = saved_iteration_limit;
  lp_.set_basis(node_basis.cols, node_basis.rows);
  last_solved_id_ = -1;   // the solver no longer holds the node's LP: children start from its basis
  return found;
}

}  // namespace satmip::mip
