// A row with one entry, row_lower <= a x_j <= row_upper, is a bound on x_j.
#include <cmath>

#include "mip/presolve_rules.hpp"

namespace satmip::mip {

namespace {
// Below this a division would turn rounding noise into a bound.
constexpr double kSmallestPivot = 1e-9;
}  // namespace

int32_t remove_singleton_rows(PresolveProblem& p) {
  int32_t removed = 0;
  for (int32_t i = 0; i < p.rows() && !p.infeasible; ++i) {
    if (!p.row_active[size_t(i)] || p.row_size[size_t(i)] != 1) continue;
    int32_t j = -1;
    double a = 0.0;
    for (const MatrixEntry& e : p.by_row[size_t(i)])
      if (p.col_active[size_t(e.index)]) j = e.index, a = e.value;
    if (std::abs(a) < kSmallestPivot) continue;
    double lo = p.row_lower[size_t(i)] / a, up = p.row_upper[size_t(i)] / a;
    if (a < 0) std::swap(lo, up);
    if (std::isfinite(lo)) p.tighten_lower(j, lo);
    if (std::isfinite(up)) p.tighten_upper(j, up);
    if (p.infeasible) break;
    p.remove_row(i);
    ++p.stats.singleton_rows;
    ++removed;
  }
  return removed;
}

}  // namespace satmip::mip
