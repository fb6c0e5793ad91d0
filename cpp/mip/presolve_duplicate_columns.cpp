// Parallel continuous columns with the same cost ratio: if column j = r *
// column k and cost_j = r * cost_k, x_k and x_j only ever appear as
// y = x_k + r x_j. Column k then stands for y, with the bounds y can reach,
// and j goes; postsolve splits y again. Integer columns are left alone (their
// sum's integrality is not the same condition).
#include <cmath>

#include "mip/presolve_parallel.hpp"
#include "mip/presolve_rules.hpp"

namespace satmip::mip {

namespace {

constexpr double kCostTolerance = 1e-12;  // relative

std::vector<std::vector<MatrixEntry>> active_columns(const PresolveProblem& p) {
  std::vector<std::vector<MatrixEntry>> cols(size_t(p.cols()));
  for (int32_t j = 0; j < p.cols(); ++j) {
    if (!p.col_active[size_t(j)]) continue;
    for (const MatrixEntry& e : p.by_col[size_t(j)])
      if (p.row_active[size_t(e.index)]) cols[size_t(j)].push_back(e);
  }
  return cols;
}

bool same_cost_ratio(const PresolveProblem& p, int32_t kept, int32_t removed, double ratio) {
  const double expected = ratio * p.cost[size_t(kept)], actual = p.cost[size_t(removed)];
  return std::abs(actual - expected) <= kCostTolerance * std::max(std::abs(expected), std::abs(actual));
}

void merge(PresolveProblem& p, int32_t kept, int32_t removed, double ratio) {
  const double kl = p.col_lower[size_t(kept)], ku = p.col_upper[size_t(kept)];
  const double rl = p.col_lower[size_t(removed)], ru = p.col_upper[size_t(removed)];
  p.postsolve.record_merged(kept, removed, ratio, kl, ku, rl, ru);
  p.col_lower[size_t(kept)] = kl + (ratio > 0 ? ratio * rl : ratio * ru);
  p.col_upper[size_t(kept)] = ku + (ratio > 0 ? ratio * ru : ratio * rl);
  p.remove_merged_column(removed);
  ++p.stats.duplicate_cols;
}

}  // namespace

int32_t merge_duplicate_columns(PresolveProblem& p) {
  const auto cols = active_columns(p);
  std::vector<uint8_t> skip(cols.size(), 0);
  for (int32_t j = 0; j < p.cols(); ++j) skip[size_t(j)] = p.is_integer(j);
  int32_t merged = 0;
  for (const ParallelPair& pair : find_parallel(cols, skip)) {
    if (!same_cost_ratio(p, pair.first, pair.second, pair.ratio)) continue;
    merge(p, pair.first, pair.second, pair.ratio);
    ++merged;
  }
  return merged;
}

}  // namespace satmip::mip
