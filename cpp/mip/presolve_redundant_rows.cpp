// Rows whose activity range over the column box lies within their bounds hold
// for every point of the box: they go. A side the box already implies is
// dropped (making more columns free for dual fixing and coefficient
// tightening); a row the box cannot satisfy proves infeasibility.
#include <cmath>

#include "mip/presolve_rules.hpp"

namespace satmip::mip {

namespace {
constexpr double kImpliedSlack = 1e-9;  // relative: "activity <= bound" allowing for rounding
}

int32_t remove_redundant_rows(PresolveProblem& p) {
  int32_t changes = 0;
  for (int32_t i = 0; i < p.rows(); ++i) {
    if (!p.row_active[size_t(i)] || p.row_size[size_t(i)] == 0) continue;
    double& rl = p.row_lower[size_t(i)];
    double& ru = p.row_upper[size_t(i)];
    const RowActivity act = p.activity(i);
    const double rounding = kImpliedSlack * act.magnitude;
    if (act.min() > ru + feasibility_slack(ru) + rounding || act.max() < rl - feasibility_slack(rl) - rounding) {
      p.infeasible = true;
      return changes;
    }
    const bool upper_implied = std::isinf(ru) || act.max() <= ru + kImpliedSlack * (std::abs(ru) + 1.0);
    const bool lower_implied = std::isinf(rl) || act.min() >= rl - kImpliedSlack * (std::abs(rl) + 1.0);
    if (upper_implied && lower_implied) {
      p.remove_row(i);
      ++p.stats.redundant_rows;
      ++changes;
    } else if (upper_implied && std::isfinite(ru)) {
      ru = kInf;
      ++changes;
    } else if (lower_implied && std::isfinite(rl)) {
      rl = -kInf;
      ++changes;
    }
  }
  return changes;
}

}  // namespace satmip::mip
