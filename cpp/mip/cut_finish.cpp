#include "mip/cut_finish.hpp"

#include <cmath>

namespace satmip::mip {

bool finish_cut(Cut cut, const std::vector<double>& x, const std::vector<double>& col_lower,
                const std::vector<double>& col_upper, bool scale, std::vector<Cut>& out) {
  if (!std::isfinite(cut.rhs)) return false;
  double max_abs = 0;
  for (double v : cut.value) {
    if (!std::isfinite(v)) return false;
    max_abs = std::fmax(max_abs, std::fabs(v));
  }
  if (max_abs == 0) return false;
  size_t w = 0;
  for (size_t k = 0; k < cut.index.size(); ++k) {
    double v = cut.value[k];
    int32_t j = cut.index[k];
    if (std::fabs(v) < 1e-9 * max_abs) {
      // v x_j >= v * (lower if v > 0, upper if v < 0): moving that into rhs stays valid.
      double bound = v > 0 ? col_lower[j] : col_upper[j];
      if (!std::isfinite(bound)) return false;
      cut.rhs -= v * bound;
      continue;
    }
    cut.index[w] = j;
    cut.value[w] = v;
    ++w;
  }
  cut.index.resize(w);
  cut.value.resize(w);
  if (scale) {
    double s = 1.0 / max_abs;
    for (double& v : cut.value) v *= s;
    cut.rhs *= s;
  }
  // Rounding in the separators' arithmetic is far below this margin.
  cut.rhs += 1e-9 * std::fmax(1.0, std::fabs(cut.rhs));
  if (!std::isfinite(cut.rhs)) return false;
  if (cut_violation(cut, x) <= 1e-6 || cut_efficacy(cut, x) <= 1e-4) return false;
  out.push_back(std::move(cut));
  return true;
}

}  // namespace satmip::mip
