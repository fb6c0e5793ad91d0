// Rows and columns without (active) entries.
#include <algorithm>
#include <cmath>

#include "mip/presolve_rules.hpp"

namespace satmip::mip {

// An empty row reads row_lower <= 0 <= row_upper: either always true or never.
int32_t remove_empty_rows(PresolveProblem& p) {
  int32_t removed = 0;
  for (int32_t i = 0; i < p.rows(); ++i) {
    if (!p.row_active[size_t(i)] || p.row_size[size_t(i)] != 0) continue;
    if (p.row_lower[size_t(i)] > feasibility_slack(0) || p.row_upper[size_t(i)] < -feasibility_slack(0)) {
      p.infeasible = true;
      return removed;
    }
    p.remove_row(i);
    ++p.stats.empty_rows;
    ++removed;
  }
  return removed;
}

// A column in no row only affects the objective: it goes to its cheapest
// bound. If that bound is infinite and the cost nonzero, any feasible solution
// can be improved without end.
int32_t remove_empty_columns(PresolveProblem& p) {
  int32_t removed = 0;
  for (int32_t j = 0; j < p.cols(); ++j) {
    if (!p.col_active[size_t(j)] || p.col_size[size_t(j)] != 0) continue;
    const double c = p.min_cost(j), lo = p.col_lower[size_t(j)], up = p.col_upper[size_t(j)];
    double value;
    if (c > 0)
      value = lo;
    else if (c < 0)
      value = up;
    else
      value = std::clamp(0.0, lo, up);  // integral for integer columns: their bounds are
    if (std::isinf(value)) {
      p.unbounded_or_infeasible = true;
      return removed;
    }
    p.fix_column(j, value);
    ++p.stats.empty_cols;
    ++removed;
  }
  return removed;
}

}  // namespace satmip::mip
