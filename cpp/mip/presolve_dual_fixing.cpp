// Dual fixing: if lowering x_j never makes a row harder to satisfy (no row
// bounds it from that side: a > 0 only in rows without a lower bound, a < 0
// only in rows without an upper bound) and its cost does not prefer it higher,
// some optimal solution has x_j at its lower bound; likewise upwards. With the
// bound infinite and the cost strict, a feasible model would be unbounded.
#include <cmath>

#include "mip/presolve_rules.hpp"

namespace satmip::mip {

int32_t fix_dual_dominated_columns(PresolveProblem& p) {
  int32_t fixed = 0;
  for (int32_t j = 0; j < p.cols(); ++j) {
    if (!p.col_active[size_t(j)]) continue;
    int32_t down_locks = 0, up_locks = 0;  // rows that limit a decrease / an increase
    for (const MatrixEntry& e : p.by_col[size_t(j)]) {
      const size_t i = size_t(e.index);
      if (!p.row_active[i]) continue;
      const bool has_lower = std::isfinite(p.row_lower[i]), has_upper = std::isfinite(p.row_upper[i]);
      down_locks += e.value > 0 ? has_lower : has_upper;
      up_locks += e.value > 0 ? has_upper : has_lower;
    }
    const double c = p.min_cost(j), lo = p.col_lower[size_t(j)], up = p.col_upper[size_t(j)];
    double value;
    if (c >= 0 && down_locks == 0 && (std::isfinite(lo) || c > 0))
      value = lo;
    else if (c <= 0 && up_locks == 0 && (std::isfinite(up) || c < 0))
      value = up;
    else
      continue;
    if (std::isinf(value)) {
      p.unbounded_or_infeasible = true;
      return fixed;
    }
    p.fix_column(j, value);
    ++p.stats.dual_fixed_cols;
    ++fixed;
  }
  return fixed;
}

}  // namespace satmip::mip
