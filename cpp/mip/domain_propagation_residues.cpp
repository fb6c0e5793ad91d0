// Domain propagation, integral equality rows: the narrow columns' residues.
// Where the coefficients of a row's wide columns (unbounded, or a domain of
// more than kNarrowWidth values) share a divisor D >= 2, the narrow columns
// must meet  sum over narrow k of c_k x_k = target (mod D)  (those with D | c_k
// drop out). With few combinations of their values, all are tried: none ->
// no integer point; else each column's bounds move to the least and greatest
// value some combination uses. 5.906 x1 - 4.489 x8 + (multiples of 1) = 49 over
// integers, x1 in [0, 8], x8 in [-10, -1] (the small cross-check's seed 101581):
// 906 x1 + 511 x8 = 0 (mod 1000) has no solution, which neither the LP nor
// branching on the unbounded columns ever shows.
#include <algorithm>
#include <cmath>

#include "mip/domain_propagation.hpp"
#include "mip/integral_scale.hpp"

namespace satmip::mip {
namespace {

constexpr double kNarrowWidth = 256;        // values in a narrow column's domain, at most
constexpr int64_t kMaxCombinations = 1024;  // combinations of the narrow columns' values tried, at most
constexpr size_t kMaxNarrowColumns = 8;

int64_t modulo(__int128 value, int64_t divisor) {
  const int64_t r = int64_t(value % divisor);
  return r < 0 ? r + divisor : r;
}

}  // namespace

bool DomainPropagator::propagate_narrow_residues(int64_t target) {
  const std::vector<int64_t>& coefficient = divisibility_coefficients_;
  const std::vector<int32_t>& column = divisibility_columns_;
  auto narrow = [&](size_t k) {
    const size_t j = size_t(column[k]);
    return std::isfinite(lower_[j]) && std::isfinite(upper_[j]) && upper_[j] - lower_[j] < kNarrowWidth;
  };
  int64_t divisor = 0;
  for (size_t k = 0; k < column.size(); ++k)
    if (!narrow(k)) divisor = gcd(divisor, coefficient[k]);
  if (divisor < 2) return true;
  std::vector<size_t>& chosen = residue_positions_;   // positions k of the narrow columns D does not divide
  chosen.clear();
  int64_t combinations = 1;
  for (size_t k = 0; k < column.size(); ++k) {
    if (!narrow(k) || coefficient[k] % divisor == 0) continue;
    const size_t j = size_t(column[k]);
    combinations *= int64_t(upper_[j] - lower_[j]) + 1;
    chosen.push_back(k);
    if (combinations > kMaxCombinations || chosen.size() > kMaxNarrowColumns) return true;
  }
  if (chosen.empty()) return true;   // the divisibility test covered it
  work_ += combinations * int64_t(chosen.size());
  // Odometer over the chosen columns' values, the residue of their sum alongside.
  const size_t count = chosen.size();
  std::vector<int64_t>& value = residue_values_;
  std::vector<int64_t>& least = residue_least_;
  std::vector<int64_t>& greatest = residue_greatest_;
  value.assign(count, 0);
  least.assign(count, INT64_MAX);
  greatest.assign(count, INT64_MIN);
  const int64_t wanted = modulo(target, divisor);
  int64_t sum = 0;   // residue of sum c_k x_k modulo divisor
  for (size_t p = 0; p < count; ++p) {
    value[p] = int64_t(lower_[size_t(column[chosen[p]])]);
    sum = modulo(__int128(sum) + __int128(coefficient[chosen[p]]) * value[p], divisor);
  }
  bool any = false;
  for (;;) {
    if (sum == wanted) {
      any = true;
      for (size_t p = 0; p < count; ++p) {
        least[p] = std::min(least[p], value[p]);
        greatest[p] = std::max(greatest[p], value[p]);
      }
    }
    size_t p = 0;   // advance: the first column below its upper bound steps up, those before restart
    for (; p < count; ++p) {
      const size_t k = chosen[p];
      const int64_t c = modulo(coefficient[k], divisor);
      if (value[p] < int64_t(upper_[size_t(column[k])])) {
        ++value[p];
        sum = modulo(__int128(sum) + c, divisor);
        break;
      }
      const int64_t span = value[p] - int64_t(lower_[size_t(column[k])]);
      sum = modulo(__int128(sum) - __int128(c) * span, divisor);
      value[p] = int64_t(lower_[size_t(column[k])]);
    }
    if (p == count) break;
  }
  if (!any) return false;
  for (size_t p = 0; p < count; ++p) {
    const int32_t j = column[chosen[p]];
    const double lower = double(least[p]), upper = double(greatest[p]);
    if (lower == lower_[size_t(j)] && upper == upper_[size_t(j)]) continue;
    tighten(j, lower, upper);
  }
  return true;
}

}  // namespace satmip::mip
