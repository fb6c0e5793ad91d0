#include "mip/rounding.hpp"

#include <algorithm>
#include <cmath>

namespace satmip::mip {

RowLocks compute_locks(const lp::Model& model) {
  RowLocks locks;
  locks.down.assign(model.A.cols, 0);
  locks.up.assign(model.A.cols, 0);
  for (int32_t j = 0; j < model.A.cols; ++j)
    for (int64_t k = model.A.start[j]; k < model.A.start[j + 1]; ++k) {
      int32_t i = model.A.index[k];
      bool has_lower = std::isfinite(model.row_lower[i]), has_upper = std::isfinite(model.row_upper[i]);
      if (model.A.value[k] > 0) {
        locks.down[j] += has_lower;
        locks.up[j] += has_upper;
      } else if (model.A.value[k] < 0) {
        locks.down[j] += has_upper;
        locks.up[j] += has_lower;
      }
    }
  return locks;
}

std::vector<std::vector<double>> rounding_candidates(const lp::Model& model, const RowLocks& locks,
                                                     const std::vector<double>& x, const std::vector<int32_t>& fractional) {
  std::vector<std::vector<double>> out;
  // Integer columns already integral within tolerance get their exact integer value.
  std::vector<double> base = x;
  for (int32_t j = 0; j < model.A.cols; ++j)
    if (model.integer[j]) base[j] = std::round(x[j]);

  std::vector<double> lock_free = base;
  bool ok = true;
  for (int32_t j : fractional) {
    if (locks.down[j] == 0) lock_free[j] = std::floor(x[j]);
    else if (locks.up[j] == 0) lock_free[j] = std::ceil(x[j]);
    else { ok = false; break; }
  }
  if (ok) out.push_back(std::move(lock_free));
  out.push_back(std::move(base));   // nearest rounding
  return out;
}

std::vector<std::vector<double>> randomized_rounding_candidates(const lp::Model& model, const std::vector<double>& x,
                                                                const std::vector<int32_t>& fractional, int tries,
                                                                std::mt19937& rng) {
  std::vector<std::vector<double>> out;
  if (fractional.empty() || tries <= 0) return out;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  // Directions per try over the fractional columns only: cheap to compare.
  std::vector<std::vector<bool>> seen;
  std::vector<bool> nearest(fractional.size());
  for (size_t k = 0; k < fractional.size(); ++k) nearest[k] = x[fractional[k]] - std::floor(x[fractional[k]]) >= 0.5;
  seen.push_back(nearest);
  for (int t = 0; t < tries; ++t) {
    std::vector<bool> up(fractional.size());
    for (size_t k = 0; k < fractional.size(); ++k) {
      const double value = x[fractional[k]];
      up[k] = uniform(rng) < value - std::floor(value);
    }
    if (std::find(seen.begin(), seen.end(), up) != seen.end()) continue;
    std::vector<double> point = x;
    for (int32_t j = 0; j < model.A.cols; ++j)
      if (model.integer[j]) point[j] = std::round(x[j]);
    for (size_t k = 0; k < fractional.size(); ++k)
      point[fractional[k]] = up[k] ? std::ceil(x[fractional[k]]) : std::floor(x[fractional[k]]);
    out.push_back(std::move(point));
    seen.push_back(std::move(up));
  }
  return out;
}

}  // namespace satmip::mip
