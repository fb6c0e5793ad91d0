// Columns whose bounds meet are constants.
#include "mip/presolve_rules.hpp"

namespace satmip::mip {

int32_t remove_fixed_columns(PresolveProblem& p) {
  int32_t removed = 0;
  for (int32_t j = 0; j < p.cols(); ++j) {
    if (!p.col_active[size_t(j)] || p.col_lower[size_t(j)] != p.col_upper[size_t(j)]) continue;
    p.fix_column(j, p.col_lower[size_t(j)]);
    ++p.stats.fixed_cols;
    ++removed;
  }
  return removed;
}

}  // namespace satmip::mip
