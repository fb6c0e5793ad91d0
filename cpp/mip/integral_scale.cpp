#include "mip/integral_scale.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace satmip::mip {
namespace {

bool near_integer(double v) { return std::fabs(v - std::round(v)) <= 1e-9 * std::max(1.0, std::fabs(v)); }

}  // namespace

int64_t rational_denominator(double a, int64_t max_denominator) {
  if (!std::isfinite(a)) return 0;
  if (near_integer(a)) return 1;
  // Convergents h/k of the continued fraction of |a|; the first k that makes
  // a k integral is the smallest such denominator among them.
  double x = std::fabs(a);
  int64_t k_prev = 1, k = 0;   // denominators k_{n-2}, k_{n-1}
  double rest = x;
  for (int step = 0; step < 64; ++step) {
    const double whole = std::floor(rest);
    const double next = whole * double(k) + double(k_prev);
    if (next > double(max_denominator)) return 0;
    k_prev = k;
    k = int64_t(next);
    if (k > 0 && near_integer(x * double(k))) return k;
    const double fraction = rest - whole;
    if (fraction < 1e-12) return 0;
    rest = 1.0 / fraction;
  }
  return 0;
}

double integral_scale(const std::vector<double>& values, int64_t max_denominator, double max_scale) {
  int64_t scale = 1;
  for (double a : values) {
    if (a == 0) continue;
    const int64_t q = rational_denominator(a, max_denominator);
    if (q == 0) return 0;
    const int64_t multiple = scale / gcd(scale, q) * q;
    if (double(multiple) > max_scale) return 0;
    scale = multiple;
  }
  // The scaled values must be integral together (each was alone, within 1e-9).
  for (double a : values)
    if (!near_integer(a * double(scale))) return 0;
  return double(scale);
}

}  // namespace satmip::mip
