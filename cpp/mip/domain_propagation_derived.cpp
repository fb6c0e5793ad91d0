// Domain propagation: integer equations derived from equality rows with
// continuous columns. A combination of equality rows is an equality row; one
// that cancels every continuous column is an equation over integer columns,
// and the divisibility test applies to it: rows 0, 2, 5, 6 of the small
// cross-check's seed 103341 (continuous x1, x4, x9) combine, with multipliers
// -35, 15, 39, 21, into 39 x0 - 21 x2 - 114 x3 + 366 x6 - 214 x7 - 342 x8 =
// 6333.07, which no integer point meets (the tree never ended). Rows are
// scaled to integers and combined by fraction-free elimination (exact); the
// right-hand sides are combined in floating point, and a point within the
// feasibility tolerance of each row may miss the derived one by the tolerance
// times the sum of the multipliers (the weight).
#include <algorithm>
#include <cmath>
#include <map>

#include "mip/domain_propagation.hpp"
#include "mip/integral_scale.hpp"

namespace satmip::mip {
namespace {

constexpr size_t kMaxSourceRows = 32;       // equality rows with continuous columns combined, at most
constexpr int64_t kMaxRowLength = 64;
constexpr int64_t kLargestCoefficient = int64_t(1) << 40;   // beyond, a combination is dropped (growth)

struct IntegerRow {
  std::map<int32_t, int64_t> entries;   // column -> integer coefficient
  double rhs = 0, weight = 0, magnitude = 0;   // weight: sum |multiplier| of the source rows; magnitude: of rhs terms
  bool has_continuous_source = false;
};

// r := (p_c r - r_c p) / g with g the gcd of the result; false on growth beyond the limit.
bool eliminate(IntegerRow& r, const IntegerRow& p, int32_t column) {
  const int64_t rc = r.entries.at(column), pc = p.entries.at(column);
  const int64_t common = gcd(rc, pc);
  const int64_t a = pc / common, b = rc / common;   // r := a r - b p cancels column
  std::map<int32_t, __int128> result;
  for (auto [j, v] : r.entries) result[j] += __int128(a) * v;
  for (auto [j, v] : p.entries) result[j] -= __int128(b) * v;
  int64_t g = 0;
  std::map<int32_t, int64_t> entries;
  for (auto [j, v] : result) {
    if (v == 0) continue;
    if (v > kLargestCoefficient || v < -kLargestCoefficient) return false;
    entries[j] = int64_t(v);
    g = gcd(g, int64_t(v));
  }
  if (g == 0) g = 1;
  const double fa = double(a) / double(g), fb = double(b) / double(g);
  for (auto& [j, v] : entries) v /= g;
  r.entries = std::move(entries);
  r.rhs = fa * r.rhs - fb * p.rhs;
  r.weight = std::abs(fa) * r.weight + std::abs(fb) * p.weight;
  r.magnitude = std::abs(fa) * r.magnitude + std::abs(fb) * p.magnitude;
  r.has_continuous_source = true;
  return true;
}

}  // namespace

void DomainPropagator::derive_integer_equations() {
  std::vector<IntegerRow> rows;
  for (int32_t i = 0; i < int32_t(row_lower_.size()); ++i) {
    const size_t r = size_t(i);
    if (!(row_lower_[r] == row_upper_[r]) || !std::isfinite(row_lower_[r])) continue;
    const int64_t begin = row_start_[r], end = row_start_[r + 1];
    if (end - begin > kMaxRowLength || end == begin) continue;
    bool continuous = false;
    std::vector<double> values;
    for (int64_t k = begin; k < end; ++k) {
      continuous |= !integer_[size_t(row_index_[size_t(k)])];
      values.push_back(row_value_[size_t(k)]);
    }
    if (!continuous) continue;
    const double scale = integral_scale(values);
    if (scale == 0) continue;
    IntegerRow row;
    for (int64_t k = begin; k < end; ++k)
      row.entries[row_index_[size_t(k)]] = int64_t(std::llround(scale * row_value_[size_t(k)]));
    row.rhs = scale * row_lower_[r];
    row.weight = scale;
    row.magnitude = std::abs(row.rhs);
    rows.push_back(std::move(row));
    if (rows.size() > kMaxSourceRows) return;   // too many to combine cheaply
  }
  // Eliminate the continuous columns one by one; a row used as pivot is dropped.
  std::vector<uint8_t> alive(rows.size(), 1);
  for (;;) {
    int32_t column = -1;
    size_t pivot = rows.size();
    for (size_t k = 0; k < rows.size() && column < 0; ++k) {
      if (!alive[k]) continue;
      for (auto [j, v] : rows[k].entries)
        if (!integer_[size_t(j)]) {
          column = j;
          pivot = k;
          break;
        }
    }
    if (column < 0) break;
    alive[pivot] = 0;
    for (size_t k = 0; k < rows.size(); ++k)
      if (alive[k] && rows[k].entries.count(column) && !eliminate(rows[k], rows[pivot], column)) alive[k] = 0;
  }
  for (size_t k = 0; k < rows.size(); ++k) {
    if (!alive[k] || !rows[k].has_continuous_source || rows[k].entries.empty()) continue;
    DerivedEquation equation;
    for (auto [j, v] : rows[k].entries) {
      equation.columns.push_back(j);
      equation.coefficients.push_back(v);
    }
    equation.rhs = rows[k].rhs;
    equation.weight = rows[k].weight;
    equation.rhs_error = 1e-15 * (rows[k].magnitude + 1.0) * double(rows.size());
    derived_.push_back(std::move(equation));
  }
}

bool DomainPropagator::check_derived_equations() const {
  constexpr double kExact = 9007199254740992.0;   // 2^53
  for (const DerivedEquation& e : derived_) {
    double rest = e.rhs;
    int64_t divisor = 0;
    bool known = true;
    for (size_t k = 0; k < e.columns.size() && known; ++k) {
      const size_t j = size_t(e.columns[k]);
      if (lower_[j] == upper_[j]) {
        rest -= double(e.coefficients[k]) * lower_[j];
        known = std::abs(rest) < kExact;
      } else {
        divisor = gcd(divisor, e.coefficients[k]);
      }
    }
    if (!known || divisor == 0) continue;   // all fixed: the rows' own checks decide
    const double d = double(divisor);
    const double miss = std::abs(rest - d * std::round(rest / d));
    const double slack = e.weight * feasibility_tolerance_ + e.rhs_error + 1e-9 * std::max(1.0, std::abs(rest));
    if (miss > slack) return false;
  }
  return true;
}

}  // namespace satmip::mip
