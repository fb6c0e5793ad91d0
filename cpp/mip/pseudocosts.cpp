#include "mip/pseudocosts.hpp"

#include <algorithm>

namespace satmip::mip {

void Pseudocosts::record(int32_t column, bool up, double objective_gain, double distance) {
  if (distance < 1e-9) return;
  double per_unit = std::max(objective_gain, 0.0) / distance;
  sum_[slot(column, up)] += per_unit;
  count_[slot(column, up)] += 1;
  total_sum_[up] += per_unit;
  total_count_[up] += 1;
}

double Pseudocosts::estimate(int32_t column, bool up) const {
  size_t s = slot(column, up);
  if (count_[s] > 0) return sum_[s] / double(count_[s]);
  return total_count_[up] > 0 ? total_sum_[up] / double(total_count_[up]) : 1.0;
}

double Pseudocosts::score(int32_t column, double fractional_part) const {
  const double epsilon = 1e-6;   // keeps a zero gain in one direction from erasing the other
  double down = estimate(column, false) * fractional_part;
  double up = estimate(column, true) * (1.0 - fractional_part);
  return std::max(down, epsilon) * std::max(up, epsilon);
}

}  // namespace satmip::mip
