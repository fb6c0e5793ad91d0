// Rows over integer columns as integer equations: a row whose coefficients
// are rationals with small denominators (integers, or decimals such as 4.876)
// times a common scale s becomes an integer row c x with c = s a, and its
// activity over integer points takes only multiples of gcd(c). An equality
// row a x = b then has an integer point only when s b - (fixed part) lies
// within the feasibility tolerance of such a multiple: 2x + 2y = 1 and
// 4.876 x = 7 have none, which no LP bound and no branching ever shows.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

namespace satmip::mip {

// The smallest denominator q <= max_denominator with |a q - round(a q)| <=
// 1e-9 max(1, |a q|) (continued fractions), or 0 when there is none.
int64_t rational_denominator(double a, int64_t max_denominator);

// The least common multiple of the denominators of values (each as above),
// or 0 when one has none or the multiple exceeds max_scale.
double integral_scale(const std::vector<double>& values, int64_t max_denominator = 10000, double max_scale = 1e6);

// The greatest common divisor of |a| and |b| (0 when both are 0). Binary
// (Stein's) algorithm, inline: domain propagation takes it for every entry of
// an integral row each time the row is propagated (on lattice-like models a
// third of the search's time went into the division loop of Euclid's).
inline int64_t gcd(int64_t a, int64_t b) {
  uint64_t u = a < 0 ? 0 - uint64_t(a) : uint64_t(a);
  uint64_t v = b < 0 ? 0 - uint64_t(b) : uint64_t(b);
  if (u == 0) return int64_t(v);
  if (v == 0) return int64_t(u);
  const int shift = __builtin_ctzll(u | v);
  u >>= __builtin_ctzll(u);
  do {
    v >>= __builtin_ctzll(v);
    if (u > v) std::swap(u, v);
    v -= u;
  } while (v != 0);
  return int64_t(u << shift);
}

}  // namespace satmip::mip
