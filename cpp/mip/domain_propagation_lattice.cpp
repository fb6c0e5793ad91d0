// Domain propagation, integral equality rows together: the integer lattice.
// Each exact integral row (see propagate_divisibility) alone gives a gcd test
// and residue classes; several rows sharing wide columns restrict them more
// than any one does. Over the free columns, C x = t (C the scaled integer
// rows, t the scaled right-hand sides less the fixed columns) has integer
// solutions x = U (y, w): column operations (extended Euclid, unimodular U)
// bring C to echelon form [E 0], E z = t fixes y = z_0..z_{r-1} (no integral
// solution: no integer point), and w = z_r.. is free. Column j then is
// base_j + sum_l U[j][r+l] w_l: fixed at base_j when those entries are all 0,
// else in the residue class base_j modulo their gcd, and its finite bounds
// move onto that class. The small cross-check's seed 107337 (unbounded, the
// feasibility search found no point in 5 s): 3 x0 + 9 x2 - 8 x4 = 105, x4 + 9 x0
// + x3 + 6 x6 = 57 and a row with 4.596 x0 - 3 x1 + 5.315 x2 - 9.128 x4 pin x4
// to one class modulo thousands once x0, x3 and x5 are fixed; x4 <= 12 moves
// to the class's largest member, where the LP finds the point.
#include <algorithm>
#include <cmath>

#include "mip/domain_propagation.hpp"
#include "mip/integral_scale.hpp"

namespace satmip::mip {
namespace {

using Wide = __int128;
constexpr Wide kEntryCap = Wide(1) << 62;    // beyond: the elimination gives up (no information, never a wrong one)
constexpr size_t kMaxLatticeRows = 32;       // integral equality rows, at most (more: not built)
constexpr size_t kMaxLatticeColumns = 64;    // free columns in the system, at most (more: skipped at that node)
constexpr double kExact = 9007199254740992.0;   // 2^53
constexpr double kLargestBound = 1e9;        // as domain_propagation.cpp: no bounds this large are set

bool fits(Wide v) { return v < kEntryCap && v > -kEntryCap; }

// a x + b y = g = gcd(a, b) > 0, for a, b not both 0.
Wide extended_gcd(Wide a, Wide b, Wide& x, Wide& y) {
  Wide x0 = 1, y0 = 0, x1 = 0, y1 = 1;
  while (b != 0) {
    const Wide q = a / b;
    Wide t = a - q * b;
    a = b;
    b = t;
    t = x0 - q * x1;
    x0 = x1;
    x1 = t;
    t = y0 - q * y1;
    y0 = y1;
    y1 = t;
  }
  if (a < 0) {
    a = -a;
    x0 = -x0;
    y0 = -y0;
  }
  x = x0;
  y = y0;
  return a;
}

Wide wide_gcd(Wide a, Wide b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const Wide t = a % b;
    a = b;
    b = t;
  }
  return a;
}

}  // namespace

void DomainPropagator::init_lattice() {
  lattice_rows_.clear();
  for (int32_t i = 0; i < rows(); ++i)
    if (row_integral_scale_[size_t(i)] > 0) lattice_rows_.push_back(i);
  if (lattice_rows_.size() < 2 || lattice_rows_.size() > kMaxLatticeRows) lattice_rows_.clear();
  lattice_slot_.assign(integer_.size(), -1);   // (lower_ is sized later, by reset)
}

bool DomainPropagator::propagate_lattice() {
  // The free columns of the rows and each exact row's scaled target.
  std::vector<int32_t>& columns = lattice_columns_;
  columns.clear();
  std::vector<int32_t> system_rows;
  std::vector<Wide> target;
  for (int32_t i : lattice_rows_) {
    const size_t r = size_t(i);
    const double scale = row_integral_scale_[r];
    double rest = scale * row_upper_[r];
    bool free_entries = false, usable = true;
    for (int64_t k = row_start_[r]; k < row_start_[r + 1] && usable; ++k) {
      const size_t j = size_t(row_index_[size_t(k)]);
      const double c = std::round(scale * row_value_[size_t(k)]);
      usable = std::abs(c) < kExact;
      if (lower_[j] == upper_[j]) rest -= c * lower_[j];
      else free_entries = true;
      usable = usable && std::abs(rest) < kExact;
    }
    // Only rows whose tolerance admits exact integer activities (as in
    // propagate_divisibility): then c x = round(rest) holds exactly.
    const double slack = scale * feasibility_tolerance_ + 1e-9 * std::max(1.0, std::abs(rest));
    if (!usable || !free_entries || slack >= 0.5 || std::abs(rest - std::round(rest)) > slack) continue;
    system_rows.push_back(i);
    target.push_back(Wide(int64_t(std::round(rest))));
    for (int64_t k = row_start_[r]; k < row_start_[r + 1]; ++k) {
      const int32_t j = row_index_[size_t(k)];
      if (lower_[size_t(j)] == upper_[size_t(j)] || lattice_slot_[size_t(j)] >= 0) continue;
      lattice_slot_[size_t(j)] = int32_t(columns.size());
      columns.push_back(j);
    }
  }
  auto clear_slots = [&] {
    for (int32_t j : columns) lattice_slot_[size_t(j)] = -1;
  };
  const size_t m = system_rows.size(), n = columns.size();
  if (m < 2 || n > kMaxLatticeColumns) {
    clear_slots();
    return true;
  }
  // Charged whether or not it is solved again below, so that the cache changes
  // no search (the work limit decides where propagate() stops).
  work_ += int64_t(m * n + n * n);
  // The same system as last time (nodes of one subtree share it): its verdict
  // and classes again, snapped onto the current bounds.
  std::vector<int64_t> key_targets(m);
  for (size_t p = 0; p < m; ++p) key_targets[p] = int64_t(target[p]);
  LatticeCache& cache = lattice_cache_;
  if (cache.valid && cache.rows == system_rows && cache.columns == columns && cache.targets == key_targets) {
    clear_slots();
    return !cache.infeasible && apply_lattice_classes();
  }
  cache.valid = true;
  cache.rows = system_rows;
  cache.columns = columns;
  cache.targets = std::move(key_targets);
  cache.infeasible = false;
  cache.classes.clear();
  // C (m x n) and U (n x n, identity), row-major.
  std::vector<Wide> C(m * n, 0), U(n * n, 0);
  for (size_t p = 0; p < m; ++p) {
    const size_t r = size_t(system_rows[p]);
    for (int64_t k = row_start_[r]; k < row_start_[r + 1]; ++k) {
      const int32_t slot = lattice_slot_[size_t(row_index_[size_t(k)])];
      if (slot >= 0) C[p * n + size_t(slot)] += Wide(int64_t(std::round(row_integral_scale_[r] * row_value_[size_t(k)])));
    }
  }
  clear_slots();
  for (size_t j = 0; j < n; ++j) U[j * n + j] = 1;
  // Column operation on columns a, b of C and U: (a, b) <- (x a + y b, -q a + p b), det x p + y q = 1.
  auto combine = [&](size_t a, size_t b, Wide x, Wide y, Wide q, Wide p) {
    for (std::vector<Wide>* M : {&C, &U}) {
      const size_t height = M == &C ? m : n;
      for (size_t i = 0; i < height; ++i) {
        const Wide va = (*M)[i * n + a], vb = (*M)[i * n + b];
        const Wide na = x * va + y * vb, nb = p * vb - q * va;
        if (!fits(na) || !fits(nb)) return false;
        (*M)[i * n + a] = na;
        (*M)[i * n + b] = nb;
      }
    }
    return true;
  };
  std::vector<Wide> z;   // z_0..z_{rank-1}
  size_t rank = 0;
  for (size_t p = 0; p < m; ++p) {
    if (rank < n) {
      for (size_t c = rank + 1; c < n; ++c) {
        const Wide b = C[p * n + c];
        if (b == 0) continue;
        const Wide a = C[p * n + rank];
        Wide x, y;
        if (a == 0) {   // swap the columns
          if (!combine(rank, c, 0, 1, -1, 0)) return true;
          continue;
        }
        const Wide g = extended_gcd(a, b, x, y);
        if (!combine(rank, c, x, y, b / g, a / g)) return true;
      }
    }
    Wide rest = target[p];
    for (size_t c = 0; c < rank; ++c) {
      rest -= C[p * n + c] * z[c];
      if (!fits(rest)) return true;
    }
    const Wide pivot = rank < n ? C[p * n + rank] : 0;
    if (pivot == 0) {
      if (rest != 0) return cache.infeasible = true, false;   // a combination of the rows no integer point meets
      continue;
    }
    if (rest % pivot != 0) return cache.infeasible = true, false;
    z.push_back(rest / pivot);
    ++rank;
  }
  // Column j = base + (combination of U[j][rank..]): fixed or a residue class.
  std::vector<LatticeClass> classes;
  for (size_t s = 0; s < n; ++s) {
    Wide period = 0;
    for (size_t c = rank; c < n; ++c) period = wide_gcd(period, U[s * n + c]);
    if (period == 1) continue;
    // The class's base modulo the period (products of residues stay below 2^124);
    // a fixed column needs its exact value: one too large to hold is left out.
    Wide base = 0;
    bool exact = true;
    for (size_t c = 0; c < rank && exact; ++c) {
      if (period == 0) {
        base += U[s * n + c] * z[c];
        exact = fits(base);
      } else {
        base = (base + (U[s * n + c] % period) * (z[c] % period)) % period;
      }
    }
    if (exact) classes.push_back({columns[s], int64_t(base), int64_t(period)});
  }
  cache.classes = std::move(classes);
  return apply_lattice_classes();
}

bool DomainPropagator::apply_lattice_classes() {
  for (const LatticeClass& c : lattice_cache_.classes) {
    const int32_t j = c.column;
    double lower = std::ceil(lower_[size_t(j)]), upper = std::floor(upper_[size_t(j)]);
    if (c.period == 0) {
      const double value = double(c.base);
      if (value < lower || value > upper) return false;
      lower = upper = value;
    } else {
      const Wide period = c.period;
      const Wide residue = ((Wide(c.base) % period) + period) % period;
      auto offset = [&](double v) {   // (v - residue) mod period, in [0, period)
        const Wide o = ((Wide(int64_t(v)) - residue) % period + period) % period;
        return double(int64_t(o));
      };
      if (std::isfinite(lower) && std::abs(lower) < kLargestBound) {
        const double o = offset(lower);
        if (o != 0) lower += double(c.period) - o;
      }
      if (std::isfinite(upper) && std::abs(upper) < kLargestBound) upper -= offset(upper);
      if (lower > upper) return false;
    }
    if (lower == lower_[size_t(j)] && upper == upper_[size_t(j)]) continue;
    if (std::abs(lower) >= kLargestBound && std::isfinite(lower)) continue;
    if (std::abs(upper) >= kLargestBound && std::isfinite(upper)) continue;
    tighten(j, lower, upper);
  }
  return true;
}

}  // namespace satmip::mip
