// Conflicts from infeasible node LPs (dual proofs, as HiGHS and SCIP learn
// them): the LP's Farkas multipliers y over its rows (the model's and the root's
// cuts, all globally valid) give the row z x = y^T A x, whose range over the
// rows' bounds [min y^T s, max y^T s] every solution meets, whatever the
// node's column bounds, while the node's column box misses it. Handed to
// domain propagation, the row prunes, or tightens, every later node whose box
// repeats the reason of this one's infeasibility, before its LP is solved.
#include <algorithm>
#include <cmath>

#include "mip/search.hpp"

namespace satmip::mip {
namespace {

constexpr int32_t kMaxConflictRows = 1000;
constexpr int64_t kConflictRebuildWork = 20'000'000;   // matrix entries copied for all rows together
// Entries of z below this (relative to its largest) are dropped, their term
// moved into the bounds over the column's global bounds (kept if unbounded).
constexpr double kDropRatio = 1e-9;
// The proof row's bounds move this much (relative) to the safe side: the
// rounding error of y^T A.
constexpr double kSafetyMargin = 1e-9;

// The range of w * v over v in [lower, upper]: {min, max} (0 for w = 0).
std::pair<double, double> term_range(double w, double lower, double upper) {
  if (w == 0) return {0.0, 0.0};
  return w > 0 ? std::make_pair(w * lower, w * upper) : std::make_pair(w * upper, w * lower);
}

}  // namespace

void Search::learn_from_infeasible_lp() {
  // Only while there is no incumbent: then infeasible LPs are what ends nodes;
  // once bounds prune, the rows cost more propagation per node than they save
  // (small cross-check seed 102683: 15 -> 26 us a node, no fewer nodes).
  if (!options_.propagation || !incumbent_.empty()) return;
  // Each row rebuilds the propagator's column-wise copy: O(nonzeros) apiece.
  const int64_t nonzeros = std::max<int64_t>(1, model_.A.start[size_t(model_.A.cols)]);
  if (conflict_rows_ >= std::min<int64_t>(kMaxConflictRows, kConflictRebuildWork / nonzeros)) return;
  const lp::Model& lp_model = lp_.model();
  const std::vector<double>& y = lp_.dual_ray();
  const int32_t m = lp_model.A.rows, n = lp_model.A.cols;
  if (int32_t(y.size()) != m || n != model_.A.cols) return;
  double lower = 0, upper = 0, size = 0;   // the range of y^T s over the row box
  for (int32_t i = 0; i < m; ++i) {
    if (!std::isfinite(y[size_t(i)])) return;
    const auto [low, high] = term_range(y[size_t(i)], lp_model.row_lower[size_t(i)], lp_model.row_upper[size_t(i)]);
    lower += low;
    upper += high;
    if (std::isfinite(low)) size += std::fabs(low);
    if (std::isfinite(high)) size += std::fabs(high);
  }
  if (!std::isfinite(lower) && !std::isfinite(upper)) return;
  std::vector<double> z(size_t(n), 0.0);
  double largest = 0;
  for (int32_t j = 0; j < n; ++j) {
    double sum = 0, magnitude = 0;
    for (int64_t p = lp_model.A.start[size_t(j)]; p < lp_model.A.start[size_t(j) + 1]; ++p) {
      const double term = lp_model.A.value[size_t(p)] * y[size_t(lp_model.A.index[size_t(p)])];
      sum += term;
      magnitude += std::fabs(term);
    }
    z[size_t(j)] = std::fabs(sum) <= 1e-12 * magnitude ? 0.0 : sum;   // cancellation: no entry
    largest = std::max(largest, std::fabs(z[size_t(j)]));
  }
  if (largest == 0) return;
  std::vector<int32_t> index;
  std::vector<double> value;
  double local_min = 0, local_max = 0;   // over the node's box: must miss [lower, upper]
  for (int32_t j = 0; j < n; ++j) {
    const double w = z[size_t(j)];
    if (w == 0) continue;
    if (std::fabs(w) < kDropRatio * largest && std::isfinite(global_lower_[size_t(j)]) &&
        std::isfinite(global_upper_[size_t(j)])) {
      const auto [low, high] = term_range(w, global_lower_[size_t(j)], global_upper_[size_t(j)]);
      lower -= high;
      upper -= low;
      continue;
    }
    index.push_back(j);
    value.push_back(w);
    const auto [low, high] = term_range(w, loaded_lower_[size_t(j)], loaded_upper_[size_t(j)]);
    local_min += low;
    local_max += high;
  }
  if (index.empty() || int32_t(index.size()) > 10 + n / 5) return;
  const double margin = kSafetyMargin * (1.0 + size);
  lower -= margin;
  upper += margin;
  // Only a proof the node's box clearly misses is worth propagating.
  const double tolerance = 1e-6 * (1.0 + size);
  if (!(local_min > upper + tolerance || local_max < lower - tolerance)) return;
  propagator_.add_row(index, value, lower, upper);
  ++conflict_rows_;
}

}  // namespace satmip::mip
