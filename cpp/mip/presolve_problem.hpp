// The model while presolve works on it: the matrix both by rows and by
// columns (entries of removed rows/columns stay in the lists and are skipped),
// bounds, costs, and flags for what is still in. Every removal goes through
// this class so that the row bounds, the objective offset, the counters and
// the postsolve record stay consistent.
#pragma once
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "lp/model.hpp"
#include "mip/presolve.hpp"

namespace satmip::mip {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kFeasibilityTolerance = 1e-6;  // as the MILP engine's
constexpr double kIntegralityTolerance = 1e-6;

// Tolerance for comparing a value against a bound of magnitude `scale`.
inline double feasibility_slack(double scale) { return kFeasibilityTolerance * (1.0 + std::abs(scale)); }

struct MatrixEntry {
  int32_t index;  // the column in a row list, the row in a column list
  double value;
};

// Range of a row's activity over the column box: the finite parts and how
// many entries contribute an infinite amount to each side.
struct RowActivity {
  double min_finite = 0.0, max_finite = 0.0;
  int32_t min_infinite = 0, max_infinite = 0;
  double magnitude = 0.0;  // sum of |finite contributions|: the scale of rounding errors
  double min() const { return min_infinite ? -kInf : min_finite; }
  double max() const { return max_infinite ? kInf : max_finite; }
  // Activity range of the row without the entry a * x_j (its bounds lower, upper).
  double min_without(double a, double lower, double upper) const;
  double max_without(double a, double lower, double upper) const;
};

class PresolveProblem {
 public:
  explicit PresolveProblem(const lp::Model& model);

  int32_t rows() const { return int32_t(row_lower.size()); }
  int32_t cols() const { return int32_t(col_lower.size()); }
  bool is_integer(int32_t j) const { return integer[size_t(j)] != 0; }
  // Cost in the minimisation sense, the one the rules reason in.
  double min_cost(int32_t j) const { return sense * cost[size_t(j)]; }

  RowActivity activity(int32_t row) const;

  // Removes column j at `value`: row bounds and the offset absorb it.
  void fix_column(int32_t j, double value);
  void remove_row(int32_t i);
  // Bound changes; an integer column's bound is rounded (with the integrality
  // tolerance). Return true if the bound moved; a crossing beyond tolerance
  // marks the problem infeasible.
  bool tighten_lower(int32_t j, double value);
  bool tighten_upper(int32_t j, double value);
  // Changes the coefficient of (row, col) in both lists.
  void set_coefficient(int32_t row, int32_t col, double value);
  // Removes column `removed` after it was merged into `kept` (bounds of kept
  // already widened by the caller).
  void remove_merged_column(int32_t removed);

  lp::Model reduced_model(const lp::Model& original) const;

  int sense = 1;
  double offset = 0.0;
  std::vector<double> cost, col_lower, col_upper, row_lower, row_upper;
  std::vector<uint8_t> integer;
  std::vector<std::vector<MatrixEntry>> by_row, by_col;
  std::vector<uint8_t> row_active, col_active;
  std::vector<int32_t> row_size, col_size;  // entries with an active partner
  bool tighten_continuous = false;  // PresolveOptions::continuous_bound_tightening
  bool infeasible = false;
  bool unbounded_or_infeasible = false;
  Postsolve postsolve;
  PresolveStats stats;

 private:
  bool resolve_crossing(int32_t j);
};

}  // namespace satmip::mip
