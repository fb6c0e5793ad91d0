// Activity-based bound tightening: in row_lower <= sum a_k x_k <= row_upper,
// the other entries' activity range bounds each column. For a > 0,
//   x_j <= (row_upper - min activity of the others) / a,
//   x_j >= (row_lower - max activity of the others) / a,
// and the other way round for a < 0.
#include <cmath>

#include "mip/presolve_rules.hpp"

namespace satmip::mip {

namespace {

constexpr double kSmallestPivot = 1e-9;
// Continuous bounds move only by a relative amount worth an LP's attention,
// and never beyond this magnitude (such bounds help nothing and hurt numerics).
constexpr double kSignificantChange = 1e-3;
constexpr double kLargestNewBound = 1e9;
// Relative rounding error of an activity sum (generous for sums of thousands
// of terms); bounds keep this much distance.
constexpr double kRoundingError = 1e-12;
// Continuous bounds keep a further margin on the safe side, so that a bound
// derived with rounding error never cuts off a solution of the original. It
// stays small: a row found redundant against the widened box may be violated
// by about this much, and the objective can gain as much.
constexpr double kContinuousMargin = 1e-9;

double finite_size(double bound) { return std::isfinite(bound) ? std::abs(bound) : 0.0; }

struct Candidate {
  int32_t col;
  double bound;
  double error;  // absolute rounding error of `bound`
};

bool significant_for_continuous(double current, double candidate) {
  if (std::abs(candidate) > kLargestNewBound) return false;
  return std::isinf(current) || std::abs(current - candidate) > kSignificantChange * std::max(1.0, std::abs(current));
}

// Without continuous tightening an implied bound counts only when it reaches
// the column's other bound (its lower one for an implied upper bound): the
// column is then fixed there, or, beyond tolerance, the row cannot hold.
bool fix_where_bounds_meet(PresolveProblem& p, int32_t j, bool implied_is_upper, double implied) {
  const double kept = implied_is_upper ? p.col_lower[size_t(j)] : p.col_upper[size_t(j)];
  const double distance = implied_is_upper ? kept - implied : implied - kept;
  if (!(distance >= 0) || p.col_lower[size_t(j)] == p.col_upper[size_t(j)]) return false;
  if (distance > feasibility_slack(kept)) {
    p.infeasible = true;
    return false;
  }
  p.col_lower[size_t(j)] = p.col_upper[size_t(j)] = kept;
  ++p.stats.bounds_tightened;
  return true;
}

bool apply_upper(PresolveProblem& p, const Candidate& c) {
  const size_t j = size_t(c.col);
  if (p.is_integer(c.col)) return p.tighten_upper(c.col, c.bound + c.error);
  double safe = c.bound + c.error + kContinuousMargin * std::max(1.0, std::abs(c.bound));
  if (!p.tighten_continuous) return fix_where_bounds_meet(p, c.col, true, safe);
  if (!significant_for_continuous(p.col_upper[j], safe) || !(safe < p.col_upper[j])) return false;
  return p.tighten_upper(c.col, safe);
}

bool apply_lower(PresolveProblem& p, const Candidate& c) {
  const size_t j = size_t(c.col);
  if (p.is_integer(c.col)) return p.tighten_lower(c.col, c.bound - c.error);
  double safe = c.bound - c.error - kContinuousMargin * std::max(1.0, std::abs(c.bound));
  if (!p.tighten_continuous) return fix_where_bounds_meet(p, c.col, false, safe);
  if (!significant_for_continuous(p.col_lower[j], safe) || !(safe > p.col_lower[j])) return false;
  return p.tighten_lower(c.col, safe);
}

// Tightens the columns of row i from its activity; returns the bounds moved.
int32_t tighten_row(PresolveProblem& p, int32_t i) {
  const double rl = p.row_lower[size_t(i)], ru = p.row_upper[size_t(i)];
  RowActivity act = p.activity(i);
  if (act.min_infinite > 1 && act.max_infinite > 1) return 0;  // nothing finite to learn
  int32_t changes = 0;
  for (const MatrixEntry& e : p.by_row[size_t(i)]) {
    const int32_t j = e.index;
    if (!p.col_active[size_t(j)] || std::abs(e.value) < kSmallestPivot) continue;
    const double a = e.value, lo = p.col_lower[size_t(j)], up = p.col_upper[size_t(j)];
    const double error = kRoundingError * (act.magnitude + finite_size(rl) + finite_size(ru)) / std::abs(a);
    const double others_min = act.min_without(a, lo, up), others_max = act.max_without(a, lo, up);
    // From the upper side: a x_j <= ru - others_min.
    if (std::isfinite(ru) && std::isfinite(others_min)) {
      Candidate c{j, (ru - others_min) / a, error};
      changes += a > 0 ? apply_upper(p, c) : apply_lower(p, c);
    }
    // From the lower side: a x_j >= rl - others_max.
    if (std::isfinite(rl) && std::isfinite(others_max)) {
      Candidate c{j, (rl - others_max) / a, error};
      changes += a > 0 ? apply_lower(p, c) : apply_upper(p, c);
    }
    if (p.infeasible) return changes;
    // The activity computed before the change stays valid (only weaker).
  }
  return changes;
}

}  // namespace

int32_t tighten_bounds_from_rows(PresolveProblem& p) {
  int32_t changes = 0;
  for (int32_t i = 0; i < p.rows() && !p.infeasible; ++i)
    if (p.row_active[size_t(i)] && p.row_size[size_t(i)] >= 2) changes += tighten_row(p, i);
  return changes;
}

}  // namespace satmip::mip
