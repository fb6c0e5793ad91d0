// Coefficient tightening on one-sided rows with binary columns. Write the row
// as sum a_k x_k <= b (a >= row is negated) with maximal activity M > b. For a
// binary x_j with a_j > 0 whose zero side already makes the row redundant
// (M - a_j <= b, slack d = b - (M - a_j) > 0, d < a_j):
//   a_j -= d, b -= d
// keeps the row redundant at x_j = 0 and exactly as strong at x_j = 1, so the
// integer-feasible points stay the same while the LP relaxation tightens. For
// a_j < 0 the one side is x_j = 1 (max activity has x_j = 0, M + a_j <= b):
//   a_j += d with d = b - (M + a_j), b unchanged.
#include <cmath>

#include "mip/presolve_rules.hpp"

namespace satmip::mip {

namespace {

// Changes smaller than this (relative to the coefficient) are left alone.
constexpr double kSignificantChange = 1e-6;

bool is_binary(const PresolveProblem& p, int32_t j) {
  return p.is_integer(j) && p.col_lower[size_t(j)] == 0.0 && p.col_upper[size_t(j)] == 1.0;
}

// Row i as `sign * row <= rhs`; tightens its binaries, returns how many.
int32_t tighten_row(PresolveProblem& p, int32_t i, double sign) {
  double rhs = sign > 0 ? p.row_upper[size_t(i)] : -p.row_lower[size_t(i)];
  RowActivity act = p.activity(i);
  double max_activity = sign > 0 ? act.max() : -act.min();
  if (!std::isfinite(max_activity) || max_activity <= rhs) return 0;
  int32_t changes = 0;
  for (const MatrixEntry& e : p.by_row[size_t(i)]) {
    const int32_t j = e.index;
    if (!p.col_active[size_t(j)] || !is_binary(p, j)) continue;
    const double a = sign * e.value;
    const double slack = a > 0 ? rhs - (max_activity - a) : rhs - (max_activity + a);
    const double size = std::abs(a);
    if (!(slack > kSignificantChange * std::max(1.0, size)) || !(slack < size)) continue;
    if (a > 0) {
      p.set_coefficient(i, j, sign * (a - slack));
      rhs -= slack;
      max_activity -= slack;
    } else {
      p.set_coefficient(i, j, sign * (a + slack));
    }
    ++changes;
  }
  if (sign > 0)
    p.row_upper[size_t(i)] = rhs;
  else
    p.row_lower[size_t(i)] = -rhs;
  return changes;
}

}  // namespace

int32_t tighten_coefficients(PresolveProblem& p) {
  int32_t changes = 0;
  for (int32_t i = 0; i < p.rows(); ++i) {
    if (!p.row_active[size_t(i)] || p.row_size[size_t(i)] < 2) continue;
    const bool has_lower = std::isfinite(p.row_lower[size_t(i)]);
    const bool has_upper = std::isfinite(p.row_upper[size_t(i)]);
    if (has_lower == has_upper) continue;  // ranged, equality or free rows
    changes += tighten_row(p, i, has_upper ? 1.0 : -1.0);
  }
  p.stats.coefficients_tightened += changes;
  return changes;
}

}  // namespace satmip::mip
