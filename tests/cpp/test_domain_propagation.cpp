// Native test of the node domain propagation (mip/domain_propagation.hpp):
// hand cases, then randomized soundness against enumeration (no feasible point
// of a small model is ever cut off, infeasibility only when there is none),
// incremental activities against recomputation, and exact undo.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "lp/model.hpp"
#include "mip/domain_propagation.hpp"
#include "test_check.hpp"

using namespace satmip;
using mip::ContinuousTightening;
using mip::DomainPropagator;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Row {
  std::vector<std::pair<int32_t, double>> entries;
  double lower, upper;
};

lp::Model make_model(const std::vector<double>& lower, const std::vector<double>& upper,
                     const std::vector<uint8_t>& integer, const std::vector<Row>& rows) {
  lp::Model m;
  const int32_t n = int32_t(lower.size());
  m.col_lower = lower;
  m.col_upper = upper;
  m.integer = integer;
  m.cost.assign(size_t(n), 0.0);
  m.A.rows = int32_t(rows.size());
  m.A.cols = n;
  m.A.start.assign(size_t(n) + 1, 0);
  for (const Row& r : rows) {
    m.row_lower.push_back(r.lower);
    m.row_upper.push_back(r.upper);
  }
  for (int32_t j = 0; j < n; ++j) {
    for (size_t i = 0; i < rows.size(); ++i)
      for (auto [col, value] : rows[i].entries)
        if (col == j) {
          m.A.index.push_back(int32_t(i));
          m.A.value.push_back(value);
        }
    m.A.start[size_t(j) + 1] = int64_t(m.A.index.size());
  }
  return m;
}

bool same_activity(const DomainPropagator::Activity& a, const DomainPropagator::Activity& b, double tol) {
  return a.min_infinite == b.min_infinite && a.max_infinite == b.max_infinite &&
         std::abs(a.min_finite - b.min_finite) <= tol && std::abs(a.max_finite - b.max_finite) <= tol;
}

// Exact (dyadic data) or within the error bound the propagator itself relies on
// for its safety margins (plus the recomputation's own rounding).
bool activities_match(const DomainPropagator& p, bool exact) {
  for (int32_t i = 0; i < p.rows(); ++i) {
    DomainPropagator::Activity scratch = p.compute_activity(i);
    const double tol = exact ? 0.0 : p.activity_error(i) + 1e-15 * (std::abs(scratch.min_finite) + std::abs(scratch.max_finite));
    if (!same_activity(p.activity(i), scratch, tol)) {
      DomainPropagator::Activity a = p.activity(i);
      std::fprintf(stderr, "row %d inc %.17g %.17g %d %d scratch %.17g %.17g %d %d\n", i, a.min_finite, a.max_finite, a.min_infinite, a.max_infinite, scratch.min_finite, scratch.max_finite, scratch.min_infinite, scratch.max_infinite);
      return false;
    }
  }
  return true;
}

void hand_cases() {
  // x + y <= 1, binaries: x = 1 fixes y = 0; undo restores.
  {
    lp::Model m = make_model({0, 0}, {1, 1}, {1, 1}, {Row{{{0, 1.0}, {1, 1.0}}, -kInf, 1.0}});
    DomainPropagator p(m);
    CHECK(p.propagate());
    CHECK(p.upper()[0] == 1 && p.upper()[1] == 1 && p.changed_columns().empty());
    size_t mark = p.mark();
    p.change_bounds(0, 1, 1);
    CHECK(p.propagate());
    CHECK(p.lower()[1] == 0 && p.upper()[1] == 0);
    CHECK(p.changed_columns().size() == 1 && p.changed_columns()[0] == 1);
    CHECK(p.reached_fixpoint());
    p.undo_to(mark);
    CHECK(p.lower()[0] == 0 && p.upper()[0] == 1 && p.upper()[1] == 1);
    CHECK(activities_match(p, true));
    p.clear_changed();
    CHECK(p.changed_columns().empty());
    // The other side: y = 1 fixes x = 0.
    p.change_bounds(1, 1, 1);
    CHECK(p.propagate());
    CHECK(p.upper()[0] == 0);
  }
  // Equality chain x0 = x1 = ... = x5 (integers in [0, 10]): fixing x0 fixes all.
  for (int continuous = 0; continuous < 2; ++continuous) {
    const int n = 6;
    std::vector<Row> rows;
    for (int k = 0; k + 1 < n; ++k) rows.push_back(Row{{{k, 1.0}, {k + 1, -1.0}}, 0.0, 0.0});
    lp::Model m = make_model(std::vector<double>(n, 0), std::vector<double>(n, 10),
                             std::vector<uint8_t>(n, continuous ? 0 : 1), rows);
    DomainPropagator p(m);
    CHECK(p.propagate());
    p.change_bounds(0, 3, 3);
    CHECK(p.propagate());
    for (int k = 0; k < n; ++k) {
      if (continuous) {
        CHECK(std::abs(p.lower()[k] - 3) <= 1e-6 && std::abs(p.upper()[k] - 3) <= 1e-6);
        CHECK(p.lower()[k] <= 3 && p.upper()[k] >= 3);   // never tighter than implied
      } else {
        CHECK(p.lower()[k] == 3 && p.upper()[k] == 3);
      }
    }
    CHECK(int(p.changed_columns().size()) == n - 1);
    // A tiny work limit stops early; later calls finish the job.
    p.undo_to(0);
    p.set_work_limit(1);
    p.change_bounds(n - 1, 7, 7);
    CHECK(p.propagate());
    CHECK(!p.reached_fixpoint());
    for (int call = 0; call < 100 && !p.reached_fixpoint(); ++call) CHECK(p.propagate());
    CHECK(p.reached_fixpoint());
    CHECK(std::abs(p.lower()[0] - 7) <= 1e-6 && std::abs(p.upper()[0] - 7) <= 1e-6);
  }
  // Infeasibility.
  {
    lp::Model m = make_model({0, 0}, {1, 1}, {1, 1}, {Row{{{0, 1.0}, {1, 1.0}}, 3.0, kInf}});
    DomainPropagator p(m);
    CHECK(!p.propagate());
    CHECK(!p.propagate());   // stays infeasible until undo/reset
  }
  {
    lp::Model m = make_model({0, 0, 0}, {1, 1, 1}, {1, 1, 1}, {Row{{{0, 1.0}, {1, 1.0}, {2, 1.0}}, 2.0, 2.0}});
    DomainPropagator p(m);
    CHECK(p.propagate());
    size_t mark = p.mark();
    p.change_bounds(0, 0, 0);
    CHECK(p.propagate());
    CHECK(p.lower()[1] == 1 && p.lower()[2] == 1);   // two of three needed, one is gone
    p.change_bounds(1, 0, 0);   // contradicts the implied y = 1
    CHECK(!p.propagate());
    p.undo_to(mark);
    CHECK(p.propagate());
    CHECK(p.lower()[1] == 0 && p.upper()[1] == 1);
    p.change_bounds(2, 1, 0);   // empty domain from the caller
    CHECK(!p.propagate());
    p.undo_to(mark);
    CHECK(p.propagate());
  }
  // A detected infeasibility lasts until a caller's change behind it is undone.
  {
    lp::Model m = make_model({0, 0, 0}, {1, 1, 1}, {1, 1, 1}, {Row{{{0, 1.0}, {1, 1.0}, {2, 1.0}}, 2.0, 2.0}});
    DomainPropagator p(m);
    size_t before = p.mark();
    p.change_bounds(0, 1, 0);
    size_t after = p.mark();
    p.undo_to(after);   // undoes nothing
    CHECK(!p.propagate());
    p.undo_to(p.mark());
    CHECK(!p.propagate());
    p.undo_to(before);
    CHECK(p.propagate());
    p.change_bounds(0, 0, 0);
    p.change_bounds(1, 0, 0);
    CHECK(!p.propagate());
    p.undo_to(p.mark());
    CHECK(!p.propagate());
    p.undo_to(before);
    CHECK(p.propagate());
    // Infeasible bounds given to reset stay infeasible.
    p.reset({0, 1, 0}, {1, 0, 1});
    CHECK(!p.propagate());
    p.undo_to(0);
    CHECK(!p.propagate());
    p.reset({0, 0, 0}, {1, 1, 1});
    CHECK(p.propagate());
  }
  // Infinite bounds.
  {
    // x, y >= 0 continuous, unbounded above: x + y <= 10 bounds both.
    lp::Model m = make_model({0, 0}, {kInf, kInf}, {0, 0}, {Row{{{0, 1.0}, {1, 1.0}}, -kInf, 10.0}});
    DomainPropagator p(m);
    CHECK(p.activity(0).min() == 0 && p.activity(0).max() == kInf && p.activity(0).max_infinite == 2);
    CHECK(p.propagate());
    CHECK(p.upper()[0] >= 10 && p.upper()[0] <= 10 + 1e-6 && p.upper()[1] >= 10 && p.upper()[1] <= 10 + 1e-6);
    CHECK(p.activity(0).max_infinite == 0);
  }
  {
    // Free x, y: nothing to learn from x + y <= 10.
    lp::Model m = make_model({-kInf, -kInf}, {kInf, kInf}, {1, 1}, {Row{{{0, 1.0}, {1, 1.0}}, -kInf, 10.0}});
    DomainPropagator p(m);
    CHECK(p.propagate());
    CHECK(p.upper()[0] == kInf && p.upper()[1] == kInf);
    // y >= 0: only x has the infinite contribution, so x <= 10; y stays open.
    p.change_bounds(1, 0, kInf);
    CHECK(p.propagate());
    CHECK(p.upper()[0] == 10 && p.upper()[1] == kInf);
  }
  {
    // x - y = 0, x free integer, y in [0, 5]: x in [0, 5].
    lp::Model m = make_model({-kInf, 0}, {kInf, 5}, {1, 1}, {Row{{{0, 1.0}, {1, -1.0}}, 0.0, 0.0}});
    DomainPropagator p(m);
    CHECK(p.propagate());
    CHECK(p.lower()[0] == 0 && p.upper()[0] == 5);
    p.undo_to(0);
    CHECK(p.lower()[0] == -kInf && p.upper()[0] == kInf);
    CHECK(activities_match(p, true));
  }
  // Continuous modes.
  {
    lp::Model m = make_model({0, 0}, {1, 1}, {0, 0}, {Row{{{0, 1.0}, {1, 1.0}}, -kInf, 1.0}});
    DomainPropagator never(m, 1e-6, ContinuousTightening::kNever), standard(m);
    never.change_bounds(0, 1, 1);
    standard.change_bounds(0, 1, 1);
    CHECK(never.propagate() && standard.propagate());
    CHECK(never.upper()[1] == 1);
    CHECK(standard.upper()[1] >= 0 && standard.upper()[1] <= 1e-6);   // fixed (at most tolerance away)
  }
  {
    // x in [0, 100], y in [0, 1], x + y <= 99.5: a 0.5% cut of x.
    lp::Model m = make_model({0, 0}, {100, 1}, {0, 0}, {Row{{{0, 1.0}, {1, 1.0}}, -kInf, 99.5}});
    DomainPropagator standard(m), significant(m, 1e-6, ContinuousTightening::kSignificant);
    CHECK(standard.propagate() && significant.propagate());
    CHECK(standard.upper()[0] == 100);
    CHECK(significant.upper()[0] >= 99.5 && significant.upper()[0] <= 99.5 + 1e-6);
  }
  {
    // An infinite lower bound does not make every upper-bound cut a "fixing".
    lp::Model m = make_model({-kInf, 0}, {100, 1}, {0, 0}, {Row{{{0, 1.0}, {1, 1.0}}, -kInf, 99.99}});
    DomainPropagator standard(m);
    CHECK(standard.propagate());
    CHECK(standard.upper()[0] == 100);
    lp::Model mirrored = make_model({-100, -1}, {kInf, 0}, {0, 0}, {Row{{{0, 1.0}, {1, 1.0}}, -99.99, kInf}});
    DomainPropagator other(mirrored);
    CHECK(other.propagate());
    CHECK(other.lower()[0] == -100);
  }
  // Tiny coefficients imply nothing; duplicate entries are merged.
  {
    lp::Model m = make_model({0, 0}, {10, 10}, {0, 0}, {Row{{{0, 1e-12}, {1, 1.0}}, -kInf, 1.0}});
    DomainPropagator p(m, 1e-6, ContinuousTightening::kSignificant);
    CHECK(p.propagate());
    CHECK(p.upper()[0] == 10 && p.upper()[1] <= 1 + 1e-6 && p.upper()[1] >= 1);
  }
  {
    lp::Model m = make_model({0, 0}, {5, 5}, {1, 1}, {Row{{{0, 1.0}, {1, 1.0}}, -kInf, 4.0}});
    // Split x's coefficient into two entries of the same row: 2x + y <= 4.
    m.A.index.insert(m.A.index.begin() + 1, 0);
    m.A.value.insert(m.A.value.begin() + 1, 1.0);
    m.A.start = {0, 2, 3};
    DomainPropagator p(m);
    CHECK(p.propagate());
    CHECK(p.upper()[0] == 2 && p.upper()[1] == 4);
  }
}

// Integral equality rows together (domain_propagation_lattice.cpp), over free
// columns, where no single row's gcd or residue classes show anything.
void lattice_cases() {
  const std::vector<uint8_t> all_integer(5, 1);
  {   // x - 3a = 1, x - 6b = 2: x = 1 and x = 2 (mod 3)
    lp::Model m = make_model(std::vector<double>(3, -kInf), std::vector<double>(3, kInf), {1, 1, 1},
                             {Row{{{0, 1.0}, {1, -3.0}}, 1, 1}, Row{{{0, 1.0}, {2, -6.0}}, 2, 2}});
    DomainPropagator p(m);
    CHECK(!p.propagate());
  }
  {   // x - 3a = 1, x - 5b + 2c = 2, c - 10d = 0: x = 7 (mod 15); x in [-20, 20] -> [-8, 7]
    std::vector<double> lower(5, -kInf), upper(5, kInf);
    lower[0] = -20;
    upper[0] = 20;
    lp::Model m = make_model(lower, upper, all_integer,
                             {Row{{{0, 1.0}, {1, -3.0}}, 1, 1}, Row{{{0, 1.0}, {2, -5.0}, {3, 2.0}}, 2, 2},
                              Row{{{3, 1.0}, {4, -10.0}}, 0, 0}});
    DomainPropagator p(m);
    CHECK(p.propagate());
    CHECK(p.lower()[0] == -8 && p.upper()[0] == 7);
    // Fixing x = 7 fixes a = 2.
    p.change_bounds(0, 7, 7);
    CHECK(p.propagate());
    CHECK(p.lower()[1] == 2 && p.upper()[1] == 2);
    // x = 4 meets the first row (a = 1) but not x = 2 (mod 5).
    p.undo_to(0);
    p.change_bounds(0, 4, 4);
    CHECK(!p.propagate());
  }
  {   // Rows of different scales with integer points: 0.5 x + 1.5 y = 2 (x + 3y = 4) and
      // x - 2z = 1 (x = 1, y = 1, z = 0): no false verdict.
    lp::Model m = make_model(std::vector<double>(3, -kInf), std::vector<double>(3, kInf), {1, 1, 1},
                             {Row{{{0, 0.5}, {1, 1.5}}, 2, 2}, Row{{{0, 1.0}, {2, -2.0}}, 1, 1}});
    DomainPropagator p(m);
    CHECK(p.propagate());
  }
}

// Randomized soundness on small models whose points are enumerated: integer
// columns on their integers, continuous ones on a 0.5 grid, infinite bounds
// clipped to [-6, 6] for the enumeration (a necessary check, still).
struct Sample {
  std::vector<std::vector<double>> grid;   // per column, candidate values
};

int random_soundness(int cases, uint32_t seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  int checks = 0, infeasible_reports = 0, tightened = 0;
  for (int c = 0; c < cases; ++c) {
    const int n = uniform(3, 7), m = uniform(1, 4);
    std::vector<double> lower(static_cast<size_t>(n)), upper(static_cast<size_t>(n));
    std::vector<uint8_t> integer(static_cast<size_t>(n));
    std::vector<std::vector<double>> grid(static_cast<size_t>(n));
    size_t points = 1;
    for (int j = 0; j < n; ++j) {
      integer[size_t(j)] = chance(0.8);
      const int max_width = n <= 4 ? 4 : 2;
      lower[size_t(j)] = uniform(-3, 1);
      upper[size_t(j)] = lower[size_t(j)] + uniform(0, max_width);
      if (n <= 4 && chance(0.1)) lower[size_t(j)] = -kInf;
      if (n <= 4 && chance(0.1)) upper[size_t(j)] = kInf;
      const double step = integer[size_t(j)] ? 1.0 : 0.5;
      for (double v = std::max(lower[size_t(j)], -6.0); v <= std::min(upper[size_t(j)], 6.0); v += step)
        grid[size_t(j)].push_back(v);
      points *= grid[size_t(j)].size();
    }
    std::vector<Row> rows;
    for (int i = 0; i < m; ++i) {
      Row r;
      for (int j = 0; j < n; ++j) {
        if (!chance(0.6)) continue;
        int k = uniform(1, 4) * (chance(0.5) ? 1 : -1);
        double a = k;
        if (chance(0.2)) a = k * 0.5;
        if (chance(0.1)) a = k * 0.3;
        r.entries.push_back({j, a});
      }
      // Bounds around a grid point's activity: often satisfiable, sometimes not.
      double act = 0;
      for (auto [j, a] : r.entries) act += a * grid[size_t(j)][size_t(uniform(0, int(grid[size_t(j)].size()) - 1))];
      r.lower = act - uniform(0, 3);
      r.upper = act + uniform(0, 3);
      if (chance(0.15)) r.lower = r.upper = act + uniform(-1, 1);
      else if (chance(0.3)) r.lower = -kInf;
      else if (chance(0.3)) r.upper = kInf;
      rows.push_back(r);
    }
    lp::Model model = make_model(lower, upper, integer, rows);
    const ContinuousTightening mode = c % 3 == 0 ? ContinuousTightening::kSignificant : ContinuousTightening::kFixOrLarge;
    DomainPropagator p(model, 1e-6, mode);

    std::vector<double> ref_lower = lower, ref_upper = upper;   // the box the caller set
    auto check_sound = [&](bool feasible) {
      std::vector<size_t> at(static_cast<size_t>(n), 0);
      std::vector<double> x(static_cast<size_t>(n));
      int in_ref = 0;
      for (size_t count = 0; count < points; ++count) {
        bool inside = true;
        for (int j = 0; j < n; ++j) {
          x[size_t(j)] = grid[size_t(j)][at[size_t(j)]];
          inside = inside && x[size_t(j)] >= ref_lower[size_t(j)] && x[size_t(j)] <= ref_upper[size_t(j)];
        }
        for (int j = 0; j < n && ++at[size_t(j)] == grid[size_t(j)].size(); ++j) at[size_t(j)] = 0;
        if (!inside) continue;
        bool satisfies = true;
        for (const Row& r : rows) {
          double act = 0;
          for (auto [j, a] : r.entries) act += a * x[size_t(j)];
          satisfies = satisfies && act >= r.lower - 1e-9 && act <= r.upper + 1e-9;
        }
        if (!satisfies) continue;
        ++in_ref;
        if (!feasible) continue;
        bool kept = true;
        for (int j = 0; j < n; ++j)
          kept = kept && x[size_t(j)] >= p.lower()[size_t(j)] - 1e-9 && x[size_t(j)] <= p.upper()[size_t(j)] + 1e-9;
        CHECK(kept);
        ++checks;
      }
      if (!feasible) {
        CHECK(in_ref == 0);
        ++infeasible_reports;
      }
    };

    bool feasible = p.propagate();
    check_sound(feasible);
    CHECK(activities_match(p, false));
    struct Level {
      size_t mark;
      std::vector<double> lower, upper, ref_lower, ref_upper;
    };
    std::vector<Level> levels;
    const int steps = uniform(1, 6);
    for (int s = 0; s < steps; ++s) {
      if (!feasible) {
        if (levels.empty()) break;
        // Backtrack to a random saved level; bounds must come back exactly.
        const size_t back = size_t(uniform(0, int(levels.size()) - 1));
        p.undo_to(levels[back].mark);
        CHECK(p.lower() == levels[back].lower && p.upper() == levels[back].upper);
        ref_lower = levels[back].ref_lower;
        ref_upper = levels[back].ref_upper;
        levels.resize(back);
        CHECK(activities_match(p, false));
        feasible = true;
        continue;
      }
      levels.push_back(Level{p.mark(), p.lower(), p.upper(), ref_lower, ref_upper});
      // Branch on a column with an open domain (within the enumeration box).
      int j = uniform(0, n - 1);
      const double lo = std::max(p.lower()[size_t(j)], -6.0), up = std::min(p.upper()[size_t(j)], 6.0);
      const double step = integer[size_t(j)] ? 1.0 : 0.5;
      if (chance(0.05)) {
        p.change_bounds(j, up + 1, lo);   // an empty domain
        ref_lower[size_t(j)] = up + 1;
      } else if (up - lo >= step) {
        const double v = lo + step * uniform(1, int((up - lo) / step));
        if (chance(0.5)) {
          p.change_bounds(j, v, p.upper()[size_t(j)]);
          ref_lower[size_t(j)] = std::max(ref_lower[size_t(j)], v);
        } else {
          p.change_bounds(j, p.lower()[size_t(j)], v - step);
          ref_upper[size_t(j)] = std::min(ref_upper[size_t(j)], v - step);
        }
      } else {
        // Closed domain: re-set it as it is (a no-op branching).
        p.change_bounds(j, p.lower()[size_t(j)], p.upper()[size_t(j)]);
      }
      CHECK(activities_match(p, false));
      feasible = p.propagate();
      tightened += int(p.changed_columns().size());
      p.clear_changed();
      check_sound(feasible);
      CHECK(activities_match(p, false));
      if (feasible && chance(0.2) && !levels.empty()) {
        const size_t back = size_t(uniform(0, int(levels.size()) - 1));
        p.undo_to(levels[back].mark);
        CHECK(p.lower() == levels[back].lower && p.upper() == levels[back].upper);
        ref_lower = levels[back].ref_lower;
        ref_upper = levels[back].ref_upper;
        levels.resize(back);
      }
    }
    // Undo everything: the model's bounds again.
    p.undo_to(0);
    CHECK(p.lower() == lower && p.upper() == upper);
    CHECK(activities_match(p, false));
  }
  std::printf("soundness: %d cases, %d kept-point checks, %d infeasible reports, %d columns tightened\n", cases,
              checks, infeasible_reports, tightened);
  // The test must be able to see something: plenty of points, tightenings and conflicts.
  CHECK(checks > cases);
  CHECK(infeasible_reports > cases / 50);
  CHECK(tightened > cases / 5);
  return checks;
}

// Long random change/undo sequences on a larger model (no propagation, so no
// recomputation): the incremental activities must equal the recomputed ones.
// Dyadic data keeps every sum exact, so equality is exact; a second run with
// general data checks within a relative tolerance.
void random_activities(int sequences, bool dyadic, uint32_t seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto value = [&](int range) {
    return dyadic ? uniform(-4 * range, 4 * range) / 4.0 : std::uniform_real_distribution<double>(-range, range)(rng);
  };
  int compared = 0, added = 0;
  for (int s = 0; s < sequences; ++s) {
    const int n = uniform(5, 25), m = uniform(3, 15);
    std::vector<double> lower(static_cast<size_t>(n)), upper(static_cast<size_t>(n));
    for (int j = 0; j < n; ++j) {
      lower[size_t(j)] = chance(0.15) ? -kInf : value(20);
      upper[size_t(j)] = chance(0.15) ? kInf : std::max(lower[size_t(j)], 0.0) + std::abs(value(20));
    }
    std::vector<Row> rows(static_cast<size_t>(m));
    for (Row& r : rows) {
      for (int j = 0; j < n; ++j)
        if (chance(0.4)) r.entries.push_back({j, value(8)});
      r.lower = -kInf;
      r.upper = kInf;
    }
    lp::Model model = make_model(lower, upper, std::vector<uint8_t>(size_t(n), 0), rows);
    DomainPropagator p(model);
    std::vector<std::pair<size_t, std::vector<double>>> saved;   // mark, lower ++ upper
    for (int op = 0; op < 400; ++op) {
      if (chance(0.15) && !saved.empty()) {
        const size_t back = size_t(uniform(0, int(saved.size()) - 1));
        p.undo_to(saved[back].first);
        std::vector<double> both = p.lower();
        both.insert(both.end(), p.upper().begin(), p.upper().end());
        CHECK(both == saved[back].second);
        saved.resize(back);
      } else {
        if (chance(0.2)) {
          std::vector<double> both = p.lower();
          both.insert(both.end(), p.upper().begin(), p.upper().end());
          saved.push_back({p.mark(), both});
        }
        if (chance(0.03)) {   // a row added mid-sequence (a conflict's proof): kept through every undo
          std::vector<int32_t> index;
          std::vector<double> values;
          for (int j = 0; j < n; ++j)
            if (chance(0.4)) {
              index.push_back(j);
              values.push_back(value(8));
            }
          p.add_row(index, values, -kInf, kInf);
          ++added;
        }
        const int j = uniform(0, n - 1);
        double lo = chance(0.1) ? -kInf : value(20), up = chance(0.1) ? kInf : value(20);
        if (chance(0.05)) lo = up = value(1000) * (chance(0.5) ? 1e4 : 1.0);   // large values come and go
        if (lo > up) std::swap(lo, up);
        p.change_bounds(j, lo, up);
      }
      if (dyadic) {
        CHECK(activities_match(p, true));
      } else {
        CHECK(activities_match(p, false));
      }
      ++compared;
    }
    p.undo_to(0);
    CHECK(p.lower() == lower && p.upper() == upper);
  }
  std::printf("activities (%s): %d sequences, %d comparisons, %d rows added\n", dyadic ? "dyadic, exact" : "general",
              sequences, compared, added);
  CHECK(added > sequences);
}

}  // namespace

// A row added later (conflicts.cpp's proofs) propagates like the model's:
// x0 + x1 >= 15 over [0, 10]^2 tightens both to [5, 10] at once, and after
// x0 <= 4 (the next node's branching) the box misses it.
void added_row_cases() {
  lp::Model m = make_model({0, 0}, {10, 10}, {1, 1}, {Row{{{0, 1.0}, {1, -1.0}}, -kInf, kInf}});
  DomainPropagator p(m);
  CHECK(p.propagate());
  const size_t start = p.mark();
  p.change_bounds(0, 0, 4);
  CHECK(p.propagate());
  p.add_row({0, 1}, {1.0, 1.0}, 15, kInf);
  CHECK(p.rows() == 2);
  CHECK(!p.propagate());
  p.undo_to(start);   // clears the queue: a change to one of its columns queues the row again
  p.change_bounds(1, 0, 10);
  CHECK(p.propagate());
  CHECK(p.lower()[0] == 5 && p.lower()[1] == 5 && p.upper()[0] == 10);
  CHECK(same_activity(p.activity(1), p.compute_activity(1), 0));
}

int main() {
  hand_cases();
  added_row_cases();
  random_soundness(10000, 12345);
  lattice_cases();
  random_activities(100, true, 777);
  random_activities(100, false, 778);
  if (failures) std::fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}
