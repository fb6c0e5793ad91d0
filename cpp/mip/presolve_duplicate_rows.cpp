// Parallel rows: row s = ratio * row r bounds the same linear form, so s's
// bounds (divided by the ratio) join r's and s goes. Of the two, the row with
// the larger entries stays, so a small violation of the kept row is no larger
// in the removed one.
#include <cmath>

#include "mip/presolve_parallel.hpp"
#include "mip/presolve_rules.hpp"

namespace satmip::mip {

namespace {

std::vector<std::vector<MatrixEntry>> active_rows(const PresolveProblem& p) {
  std::vector<std::vector<MatrixEntry>> rows(size_t(p.rows()));
  for (int32_t i = 0; i < p.rows(); ++i) {
    if (!p.row_active[size_t(i)]) continue;
    for (const MatrixEntry& e : p.by_row[size_t(i)])
      if (p.col_active[size_t(e.index)]) rows[size_t(i)].push_back(e);
  }
  return rows;
}

// Merges row `removed` = ratio * row `kept` into kept.
void merge(PresolveProblem& p, int32_t kept, int32_t removed, double ratio) {
  double lo = p.row_lower[size_t(removed)] / ratio, up = p.row_upper[size_t(removed)] / ratio;
  if (ratio < 0) std::swap(lo, up);
  double& kl = p.row_lower[size_t(kept)];
  double& ku = p.row_upper[size_t(kept)];
  kl = std::max(kl, lo);
  ku = std::min(ku, up);
  if (kl > ku) {
    if (kl > ku + feasibility_slack(ku)) p.infeasible = true;
    kl = ku = 0.5 * (kl + ku);
  }
  p.remove_row(removed);
  ++p.stats.duplicate_rows;
}

double largest_entry(const std::vector<MatrixEntry>& row) {
  double largest = 0.0;
  for (const MatrixEntry& e : row) largest = std::max(largest, std::abs(e.value));
  return largest;
}

}  // namespace

int32_t merge_duplicate_rows(PresolveProblem& p) {
  const auto rows = active_rows(p);
  std::vector<uint8_t> skip(rows.size(), 0);
  int32_t merged = 0;
  for (const ParallelPair& pair : find_parallel(rows, skip)) {
    // second = ratio * first: keep the one with the larger entries.
    if (largest_entry(rows[size_t(pair.first)]) >= largest_entry(rows[size_t(pair.second)]))
      merge(p, pair.first, pair.second, pair.ratio);
    else
      merge(p, pair.second, pair.first, 1.0 / pair.ratio);
    ++merged;
    if (p.infeasible) break;
  }
  return merged;
}

}  // namespace satmip::mip
