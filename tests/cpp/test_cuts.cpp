// Native test of the cut separators (cuts_knapsack_cover, cuts_mir): hand-made
// rows where a known cut must come out, and thousands of small random models
// where every emitted cut is checked against every integer point (continuous
// columns: the cut's maximum over them by LP with the integers fixed), at LP
// vertices and random fractional points, under global and tightened bounds;
// among them fixed-charge models for c-MIR's variable-bound substitution.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "io/mps.hpp"
#include "lp/lp_solver.hpp"
#include "lp/model.hpp"
#include "mip/cut.hpp"
#include "mip/cut_rows.hpp"
#include "mip/cuts_knapsack_cover.hpp"
#include "mip/cuts_mir.hpp"
#include "mip/mip_solver.hpp"
#include "test_check.hpp"

using namespace satmip;

namespace {

const double kInf = std::numeric_limits<double>::infinity();

// Model from dense rows.
lp::Model make_model(const std::vector<std::vector<double>>& rows, const std::vector<double>& row_lower,
                     const std::vector<double>& row_upper, const std::vector<double>& col_lower,
                     const std::vector<double>& col_upper, const std::vector<uint8_t>& integer) {
  lp::Model m;
  int n = int(col_lower.size());
  m.cost.assign(n, 0.0);
  m.col_lower = col_lower;
  m.col_upper = col_upper;
  m.integer = integer;
  m.row_lower = row_lower;
  m.row_upper = row_upper;
  m.A.rows = int32_t(rows.size());
  m.A.cols = n;
  m.A.start.push_back(0);
  for (int j = 0; j < n; ++j) {
    for (size_t i = 0; i < rows.size(); ++i)
      if (rows[i][j] != 0) {
        m.A.index.push_back(int32_t(i));
        m.A.value.push_back(rows[i][j]);
      }
    m.A.start.push_back(int64_t(m.A.index.size()));
  }
  return m;
}

double activity(const mip::Cut& cut, const std::vector<double>& x) { return cut.rhs + mip::cut_violation(cut, x); }

// True if the cut holds (within 1e-7) at every point of the model with the
// given bounds whose integer columns are integral. Integer bounds must be finite.
bool cut_is_valid(const lp::Model& model, const std::vector<double>& lower, const std::vector<double>& upper,
                  const mip::Cut& cut, long long* lp_solves = nullptr) {
  const int n = int(lower.size());
  std::vector<double> c(n, 0.0);
  for (size_t k = 0; k < cut.index.size(); ++k) c[cut.index[k]] += cut.value[k];
  std::vector<int> ints, conts;
  for (int j = 0; j < n; ++j) (model.integer[j] ? ints : conts).push_back(j);
  std::vector<double> x(n, 0.0);
  for (int j : ints) x[j] = std::ceil(lower[j] - 1e-9);
  const double tol = 1e-7 * std::max(1.0, std::fabs(cut.rhs));
  while (true) {
    double int_part = 0;
    for (int j : ints) int_part += c[j] * x[j];
    double cont_max = 0;
    for (int j : conts) cont_max += c[j] > 0 ? c[j] * upper[j] : c[j] < 0 ? c[j] * lower[j] : 0.0;
    if (!(int_part + cont_max <= cut.rhs + tol)) {
      if (conts.empty()) {
        // Pure integer point: violating the cut is fine only if it is infeasible.
        bool feasible = true;
        for (int i = 0; i < model.A.rows && feasible; ++i) {
          double a = 0;
          for (int j = 0; j < n; ++j)
            for (int64_t p = model.A.start[j]; p < model.A.start[j + 1]; ++p)
              if (model.A.index[p] == i) a += model.A.value[p] * x[j];
          feasible = a <= model.row_upper[i] + 1e-9 && a >= model.row_lower[i] - 1e-9;
        }
        if (feasible) return false;
      } else {
        lp::Model sub = model;
        sub.sense = -1;
        sub.cost = c;
        sub.col_lower = lower;
        sub.col_upper = upper;
        for (int j : ints) sub.col_lower[j] = sub.col_upper[j] = x[j];
        lp::LpSolver solver(sub);
        lp::LpStatus st = solver.solve();
        if (lp_solves) ++*lp_solves;
        if (st == lp::LpStatus::kUnbounded) return false;
        if (st == lp::LpStatus::kOptimal && solver.objective() > cut.rhs + 1e-6 * std::max(1.0, std::fabs(cut.rhs)))
          return false;
        if (st != lp::LpStatus::kOptimal && st != lp::LpStatus::kInfeasible) {
          std::fprintf(stderr, "validity LP status %s\n", lp::to_string(st));
          return false;
        }
      }
    }
    // Next integer assignment (odometer).
    size_t k = 0;
    for (; k < ints.size(); ++k) {
      int j = ints[k];
      if (x[j] + 1 <= std::floor(upper[j] + 1e-9)) {
        x[j] += 1;
        break;
      }
      x[j] = std::ceil(lower[j] - 1e-9);
    }
    if (k == ints.size()) return true;
  }
}

bool well_formed(const mip::Cut& cut, int n) {
  if (cut.index.size() != cut.value.size() || !std::isfinite(cut.rhs)) return false;
  std::vector<int> seen(n, 0);
  for (size_t k = 0; k < cut.index.size(); ++k) {
    int j = cut.index[k];
    if (j < 0 || j >= n || seen[j]++ || !std::isfinite(cut.value[k]) || cut.value[k] == 0) return false;
  }
  return true;
}

// The cut's coefficient on column j (0 if absent).
double coef(const mip::Cut& cut, int j) {
  for (size_t k = 0; k < cut.index.size(); ++k)
    if (cut.index[k] == j) return cut.value[k];
  return 0;
}

// Some emitted cut is (a positive multiple of) expect . x <= rhs.
bool has_cut(const std::vector<mip::Cut>& cuts, const std::vector<double>& expect, double rhs) {
  for (const mip::Cut& cut : cuts) {
    int ref = 0;
    while (expect[ref] == 0) ++ref;
    double s = coef(cut, ref) / expect[ref];
    if (!(s > 0)) continue;
    bool same = std::fabs(cut.rhs - s * rhs) <= 1e-6 * std::max(1.0, std::fabs(s * rhs));
    for (size_t j = 0; j < expect.size(); ++j) same = same && std::fabs(coef(cut, int(j)) - s * expect[j]) <= 1e-6 * s;
    if (same) return true;
  }
  return false;
}

template <class Separator>
std::vector<mip::Cut> separate(Separator sep, const lp::Model& m, const std::vector<double>& x) {
  mip::RowMatrix rows = mip::build_row_matrix(m);
  std::vector<mip::Cut> cuts;
  sep(rows, m, x, m.col_lower, m.col_upper, cuts);
  return cuts;
}

void test_row_matrix() {
  lp::Model m = make_model({{1, 0, 2}, {0, 0, 0}, {3, -1, 0}}, {-kInf, 1, 2}, {4, 1, 2}, {0, 0, 0}, {1, 1, 1},
                           {1, 1, 1});
  mip::RowMatrix r = mip::build_row_matrix(m);
  CHECK(r.rows == 3 && r.cols == 3);
  CHECK((r.start == std::vector<int64_t>{0, 2, 2, 4}));
  CHECK((r.index == std::vector<int32_t>{0, 2, 0, 1}));
  CHECK((r.value == std::vector<double>{1, 2, 3, -1}));
  mip::BaseInequality b;
  CHECK(mip::base_inequality(r, 0, 1, b) && b.rhs == 4 && b.value[1] == 2);
  CHECK(!mip::base_inequality(r, 0, -1, b));  // -inf lower
  CHECK(!mip::base_inequality(r, 1, 1, b));   // empty row
  CHECK(mip::base_inequality(r, 2, -1, b) && b.rhs == -2 && b.value[0] == -3 && b.value[1] == 1);
  // Repeated (row, column) entries are summed, cancelling ones dropped.
  m.A.index = {0, 0, 2, 1, 1, 0};
  m.A.value = {1, 2, 3, 5, -5, 7};
  m.A.start = {0, 3, 5, 6};
  r = mip::build_row_matrix(m);
  CHECK((r.start == std::vector<int64_t>{0, 2, 2, 3}));
  CHECK((r.index == std::vector<int32_t>{0, 2, 0}));
  CHECK((r.value == std::vector<double>{3, 7, 3}));
}

void test_cover_hand_made() {
  const std::vector<uint8_t> bin3{1, 1, 1};
  // 5x1 + 5x2 + 5x3 <= 14 at (0.9, 0.9, 0.9): x1 + x2 + x3 <= 2.
  lp::Model m = make_model({{5, 5, 5}}, {-kInf}, {14}, {0, 0, 0}, {1, 1, 1}, bin3);
  auto cuts = separate(mip::separate_knapsack_covers, m, {0.9, 0.9, 0.9});
  CHECK(cuts.size() == 1 && has_cut(cuts, {1, 1, 1}, 2));
  CHECK(cuts.size() == 1 && std::string(cuts[0].kind) == "cover");
  // The same row written as a >= row (base inequality from the lower side).
  m = make_model({{-5, -5, -5}}, {-14}, {kInf}, {0, 0, 0}, {1, 1, 1}, bin3);
  CHECK(has_cut(separate(mip::separate_knapsack_covers, m, {0.9, 0.9, 0.9}), {1, 1, 1}, 2));
  // Not violated at (0.6, 0.6, 0.6): nothing.
  CHECK(separate(mip::separate_knapsack_covers, m, {0.6, 0.6, 0.6}).empty());
  // Complemented: 5x1 + 5x2 - 5x3 <= 4 is 5x1 + 5x2 + 5(1-x3) <= 9: at most one
  // of x1, x2, 1-x3 is 1, i.e. x1 + x2 + (1 - x3) <= 1 (cover {x1, 1-x3} lifted).
  m = make_model({{5, 5, -5}}, {-kInf}, {4}, {0, 0, 0}, {1, 1, 1}, bin3);
  CHECK(has_cut(separate(mip::separate_knapsack_covers, m, {0.45, 0.45, 0.1}), {1, 1, -1}, 0));
  // Lifting: 5x1 + 5x2 + 5x3 + 10x4 <= 14: x4 = 1 leaves room for none of the
  // cover, so x1 + x2 + x3 + 2x4 <= 2.
  const std::vector<uint8_t> bin4{1, 1, 1, 1};
  m = make_model({{5, 5, 5, 10}}, {-kInf}, {14}, {0, 0, 0, 0}, {1, 1, 1, 1}, bin4);
  CHECK(has_cut(separate(mip::separate_knapsack_covers, m, {0.9, 0.9, 0.9, 0}), {1, 1, 1, 2}, 2));
  // ... and with weight 8, x4 = 1 leaves room for one: coefficient 1.
  m = make_model({{5, 5, 5, 8}}, {-kInf}, {14}, {0, 0, 0, 0}, {1, 1, 1, 1}, bin4);
  CHECK(has_cut(separate(mip::separate_knapsack_covers, m, {0.9, 0.9, 0.9, 0}), {1, 1, 1, 1}, 2));
  // A continuous column moves to its bound that weakens the row most:
  // 5x1+5x2+5x3 - y <= 12 with y in [-7, 2] gives 5x1+5x2+5x3 <= 14.
  m = make_model({{5, 5, 5, -1}}, {-kInf}, {12}, {0, 0, 0, -7}, {1, 1, 1, 2}, {1, 1, 1, 0});
  CHECK(has_cut(separate(mip::separate_knapsack_covers, m, {0.9, 0.9, 0.9, 0}), {1, 1, 1, 0}, 2));
  // ... but not when that bound is infinite.
  m.col_upper[3] = kInf;
  CHECK(separate(mip::separate_knapsack_covers, m, {0.9, 0.9, 0.9, 0}).empty());
  // Tighter current bounds count: with x1 fixed to 1 the row is 5x2 + 5x3 <= 9.
  m = make_model({{5, 5, 5}}, {-kInf}, {14}, {0, 0, 0}, {1, 1, 1}, bin3);
  mip::RowMatrix rows = mip::build_row_matrix(m);
  std::vector<mip::Cut> cuts2;
  mip::separate_knapsack_covers(rows, m, {1, 0.6, 0.6}, {1, 0, 0}, {1, 1, 1}, cuts2);
  CHECK(has_cut(cuts2, {0, 1, 1}, 1));
}

void test_mir_hand_made() {
  // x integer in [0, 5], y >= 0 continuous: x - y <= 1.5 at (1.5, 0): x - 2y <= 1.
  lp::Model m = make_model({{1, -1}}, {-kInf}, {1.5}, {0, 0}, {5, kInf}, {1, 0});
  auto cuts = separate(mip::separate_mir, m, {1.5, 0});
  CHECK(has_cut(cuts, {1, -2}, 1));
  CHECK(!cuts.empty() && std::string(cuts[0].kind) == "mir");
  // Scaled: max |coefficient| is 1.
  for (const mip::Cut& c : cuts) {
    double mx = 0;
    for (double v : c.value) mx = std::max(mx, std::fabs(v));
    CHECK(std::fabs(mx - 1) <= 1e-12);
  }
  // 2x1 + 2x2 <= 3 (integers in [0, 3]) at (0.75, 0.75): x1 + x2 <= 1 (delta 2).
  m = make_model({{2, 2}}, {-kInf}, {3}, {0, 0}, {3, 3}, {1, 1});
  CHECK(has_cut(separate(mip::separate_mir, m, {0.75, 0.75}), {1, 1}, 1));
  // Complementation to the upper bound: -x1 <= -2.5 with x1 in [0, 3] at 2.5 gives x1 >= 3.
  m = make_model({{-1}}, {-kInf}, {-2.5}, {0}, {3}, {1});
  CHECK(has_cut(separate(mip::separate_mir, m, {2.5}), {-1}, -3));
  // Aggregation: x1 - y1 = 0, y1 + y2 <= 1.5 (y continuous in [0, 10]) at
  // x1 = y1 = 1.5: neither row alone gives a cut, their sum x1 + y2 <= 1.5 gives x1 <= 1.
  m = make_model({{1, -1, 0}, {0, 1, 1}}, {0, -kInf}, {0, 1.5}, {0, 0, 0}, {5, 10, 10}, {1, 0, 0});
  cuts = separate(mip::separate_mir, m, {1.5, 1.5, 0});
  CHECK(has_cut(cuts, {1, 0, 0}, 1));
  // Continuous column without a finite bound in the row: no cut.
  m = make_model({{1, -1}}, {-kInf}, {1.5}, {0, -kInf}, {5, kInf}, {1, 0});
  CHECK(separate(mip::separate_mir, m, {1.5, 0}).empty());
}

void test_variable_bounds() {
  // Detection: two-entry rows with one continuous and one integer column.
  // Columns y0 (binary), y1 (integer [0, 5]), x2, x3 continuous.
  lp::Model m = make_model({{-4, 0, 1, 0},     // x2 <= 4 y0
                            {0, -2, 1, 0},     // x2 <= 2 y1 (y1 has the larger domain)
                            {0, 3, 0, -1.5},   // 3 y1 - 1.5 x3 in [-3, 6]: 2 y1 - 4 <= x3 <= 2 y1 + 2
                            {1, 1, 1, 0}},     // three entries: no variable bound
                           {-kInf, -kInf, -3, -kInf}, {0, 0, 6, 9}, {0, 0, 0, 0}, {1, 5, 10, 10}, {1, 1, 0, 0});
  mip::RowMatrix r = mip::build_row_matrix(m);
  CHECK(r.vub.size() == 4 && r.vlb.size() == 4);
  CHECK(r.vub[2].y == 0 && r.vub[2].d == 4 && r.vub[2].e == 0);
  CHECK(r.vlb[2].y < 0 && r.vub[0].y < 0 && r.vlb[0].y < 0);
  CHECK(r.vub[3].y == 1 && r.vub[3].d == 2 && r.vub[3].e == 2);
  CHECK(r.vlb[3].y == 1 && r.vlb[3].d == 2 && r.vlb[3].e == -4);

  // Single-node flow set x1 + x2 >= 5, x_i <= 4 y_i (y binary: columns 0, 1;
  // x: 2, 3 in [0, 10]) at y = 0.625, x = 2.5: substituting x_i = 4 y_i - s_i
  // gives -4 y1 - 4 y2 + s1 + s2 <= -5; MIR with delta 4 (f0 = 0.75) gives
  // -4 y1 - 4 y2 <= -8, i.e. both arcs must be open: y1 + y2 >= 2.
  m = make_model({{0, 0, 1, 1}, {-4, 0, 1, 0}, {0, -4, 0, 1}}, {5, -kInf, -kInf}, {kInf, 0, 0}, {0, 0, 0, 0},
                 {1, 1, 10, 10}, {1, 1, 0, 0});
  CHECK(has_cut(separate(mip::separate_mir, m, {0.625, 0.625, 2.5, 2.5}), {-1, -1, 0, 0}, -2));
  // Four arcs, demand 10: at least three open, y1 + y2 + y3 + y4 >= 3 (violated
  // at y = 0.625). Without the variable bounds (simple bounds and aggregation
  // only) c-MIR finds no cut at this point.
  std::vector<std::vector<double>> rows{{0, 0, 0, 0, 1, 1, 1, 1}};
  for (int i = 0; i < 4; ++i) {
    std::vector<double> row(8, 0.0);
    row[i] = -4;
    row[4 + i] = 1;
    rows.push_back(row);
  }
  m = make_model(rows, {10, -kInf, -kInf, -kInf, -kInf}, {kInf, 0, 0, 0, 0}, std::vector<double>(8, 0.0),
                 {1, 1, 1, 1, 10, 10, 10, 10}, {1, 1, 1, 1, 0, 0, 0, 0});
  auto cuts = separate(mip::separate_mir, m, {0.625, 0.625, 0.625, 0.625, 2.5, 2.5, 2.5, 2.5});
  CHECK(has_cut(cuts, {-1, -1, -1, -1, 0, 0, 0, 0}, -3));
  for (const mip::Cut& c : cuts) CHECK(cut_is_valid(m, m.col_lower, m.col_upper, c));
  // The same with the rows written as 4 y_i - x_i >= 0.
  for (size_t i = 1; i < rows.size(); ++i)
    for (double& v : rows[i]) v = -v;
  m = make_model(rows, {10, 0, 0, 0, 0}, {kInf, kInf, kInf, kInf, kInf}, std::vector<double>(8, 0.0),
                 {1, 1, 1, 1, 10, 10, 10, 10}, {1, 1, 1, 1, 0, 0, 0, 0});
  CHECK(has_cut(separate(mip::separate_mir, m, {0.625, 0.625, 0.625, 0.625, 2.5, 2.5, 2.5, 2.5}),
                {-1, -1, -1, -1, 0, 0, 0, 0}, -3));
  // Variable lower bound: x >= 2 y (y integer in [0, 5], x in [0, 10]) and
  // x <= 3 at y = 1.5, x = 3: x = 2 y + s in x <= 3 gives 2 y + s <= 3, so y <= 1.
  m = make_model({{-2, 1}, {0, 1}}, {0, -kInf}, {kInf, 3}, {0, 0}, {5, 10}, {1, 0});
  cuts = separate(mip::separate_mir, m, {1.5, 3});
  CHECK(has_cut(cuts, {1, 0}, 1));
  // With y fixed at a node (bounds [1, 1]) the substitution makes y a constant.
  mip::RowMatrix rm = mip::build_row_matrix(m);
  std::vector<mip::Cut> none;
  mip::separate_mir(rm, m, {1, 3}, {1, 0}, {1, 10}, none);
  CHECK(none.empty());
}

// The checker itself must reject invalid cuts (else the random test proves nothing).
void test_checker() {
  lp::Model m = make_model({{5, 5, 5}}, {-kInf}, {14}, {0, 0, 0}, {1, 1, 1}, {1, 1, 1});
  mip::Cut bad{{0, 1, 2}, {1, 1, 1}, 1.0, "bad"};
  mip::Cut good{{0, 1, 2}, {1, 1, 1}, 2.0, "good"};
  CHECK(!cut_is_valid(m, m.col_lower, m.col_upper, bad));
  CHECK(cut_is_valid(m, m.col_lower, m.col_upper, good));
  lp::Model mixed = make_model({{1, -1}}, {-kInf}, {1.5}, {0, 0}, {5, kInf}, {1, 0});
  mip::Cut bad_mixed{{0, 1}, {1, -1}, 1.0, "bad"};   // x = 1.5 + y is cut off at x = 3, y = 1.5... x int: x=2,y=0.5
  mip::Cut good_mixed{{0, 1}, {1, -2}, 1.0, "good"};
  CHECK(!cut_is_valid(mixed, mixed.col_lower, mixed.col_upper, bad_mixed));
  CHECK(cut_is_valid(mixed, mixed.col_lower, mixed.col_upper, good_mixed));
}

struct Stats {
  long long cases = 0, fractional_vertices = 0, vertex_cases_with_cover = 0, vertex_cases_with_mir = 0;
  long long cover_cuts = 0, mir_cuts = 0, vertex_cover_cuts = 0, vertex_mir_cuts = 0, checked = 0, invalid = 0;
  long long lp_solves = 0;
};

// Random model: kind 0 pure binary, 1 binary + general integer, 2 mixed with
// continuous, 3 mixed with arbitrary real coefficients over a wide range and
// wide continuous bounds (rounding in the separators matters there).
lp::Model random_model(std::mt19937& rng, int kind) {
  const bool real_data = kind == 3;
  if (real_data) kind = 2;
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto real = [&]() { return std::uniform_real_distribution<double>(0, 1)(rng); };
  int n = uni(3, kind == 2 ? 6 : 8), m = uni(1, 4);
  std::vector<double> lo(n), up(n);
  std::vector<uint8_t> integer(n);
  int general = 0;
  for (int j = 0; j < n; ++j) {
    int t = kind == 0 ? 0 : uni(0, kind == 2 ? 2 : 1);
    if (t == 1 && general >= 4) t = 0;  // keep the enumeration small
    if (kind == 2 && j == 0) t = 2;     // at least one continuous column
    if (t == 0) { integer[j] = 1; lo[j] = 0; up[j] = 1; }
    if (t == 1) { integer[j] = 1; ++general; lo[j] = uni(0, 1) ? 0 : uni(-2, 1); up[j] = lo[j] + uni(1, 3); }
    if (t == 2) {
      integer[j] = 0;
      lo[j] = uni(0, 3) ? 0 : -real() * 5;
      up[j] = uni(0, 4) ? lo[j] + 0.5 + real() * 6 : kInf;
      if (real_data && uni(0, 2) == 0) { lo[j] *= 1000; up[j] *= 1000; }
    }
  }
  std::vector<std::vector<double>> rows(m, std::vector<double>(n, 0.0));
  std::vector<double> rl(m), ru(m);
  for (int i = 0; i < m; ++i) {
    double pos = 0, neg = 0;
    bool fractional_coefs = uni(0, 2) == 0;
    for (int j = 0; j < n; ++j) {
      if (uni(0, 4) == 0) continue;
      double a = uni(0, 5) == 0 ? -uni(1, 9) : uni(1, 12);
      if (fractional_coefs) a = a * 0.25 + (uni(0, 1) ? 0.5 : 0.0);
      if (real_data) a = (a > 0 ? 1 : -1) * std::pow(10.0, 3 * real() - 1.5) * (1 + real());
      if (!integer[j] && uni(0, 1)) a = -a;
      rows[i][j] = a;
      (a > 0 ? pos : neg) += a * (a > 0 ? up[j] : lo[j]) ;
    }
    double span = std::isfinite(pos) ? pos : 20;
    double rhs = std::floor((0.3 + 0.5 * real()) * span * 4) / 4;  // quarter steps
    if (real_data) rhs = (0.3 + 0.5 * real()) * span;
    int shape = uni(0, 9);
    if (shape < 6) { rl[i] = -kInf; ru[i] = rhs; }
    else if (shape < 8) { rl[i] = -rhs; ru[i] = kInf; for (double& v : rows[i]) v = -v; }
    else if (shape == 8) { rl[i] = rhs - uni(1, 6); ru[i] = rhs; }
    else { rl[i] = ru[i] = rhs; }
  }
  return make_model(rows, rl, ru, lo, up, integer);
}

// Random fixed-charge model: arcs with flow x_j (continuous, mostly >= 0) and an
// integer y_j (mostly binary) tied by variable upper bounds x_j <= u_j y_j
// (+ e_j), some also by a variable lower bound, written with either sign;
// plus demand / flow-conservation rows over the x_j and other continuous columns.
lp::Model random_fixed_charge(std::mt19937& rng) {
  auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto real = [&]() { return std::uniform_real_distribution<double>(0, 1)(rng); };
  const bool real_data = uni(0, 2) == 0;
  const int arcs = uni(2, 5), others = uni(0, 2), n = 2 * arcs + others;
  std::vector<double> lo(n, 0.0), up(n);
  std::vector<uint8_t> integer(n, 0);
  std::vector<std::vector<double>> rows;
  std::vector<double> rl, ru;
  auto add_row = [&](std::vector<double> row, double l, double u) {
    rows.push_back(std::move(row));
    rl.push_back(l);
    ru.push_back(u);
  };
  double total_cap = 0;
  for (int k = 0; k < arcs; ++k) {
    const int y = k, x = arcs + k;
    integer[y] = 1;
    up[y] = uni(0, 3) ? 1 : uni(2, 3);
    if (uni(0, 4) == 0) lo[y] = up[y] > 1 ? 1 : 0;
    double u = real_data ? std::pow(10.0, 2 * real() - 0.5) * (1 + real()) : uni(1, 8) * (uni(0, 1) ? 1 : 0.5);
    double e = uni(0, 4) == 0 ? (real_data ? real() * u : uni(0, 2)) : 0.0;
    up[x] = uni(0, 2) ? kInf : u * up[y] + e + uni(0, 3);
    lo[x] = uni(0, 5) ? 0.0 : -real() * 2;
    total_cap += u * up[y] + e;
    double scale = real_data ? std::pow(10.0, 2 * real() - 1) : uni(1, 3);
    std::vector<double> row(n, 0.0);
    row[x] = scale;
    row[y] = -scale * u;
    if (uni(0, 1)) add_row(row, -kInf, scale * e);
    else {
      for (double& v : row) v = -v;
      add_row(row, -scale * e, kInf);
    }
    if (uni(0, 3) == 0) {  // variable lower bound x >= l y
      std::vector<double> vlb(n, 0.0);
      double l = u * (0.1 + 0.5 * real());
      vlb[x] = 1;
      vlb[y] = -l;
      add_row(vlb, 0, uni(0, 4) ? kInf : u);
    }
  }
  for (int k = 0; k < others; ++k) {
    const int z = 2 * arcs + k;
    lo[z] = uni(0, 1) ? 0 : -uni(1, 3);
    up[z] = uni(0, 2) ? lo[z] + uni(1, 6) + 0.5 * uni(0, 1) : kInf;
  }
  const int demand_rows = uni(1, 3);
  for (int i = 0; i < demand_rows; ++i) {
    std::vector<double> row(n, 0.0);
    for (int k = 0; k < arcs; ++k)
      if (uni(0, 3)) row[arcs + k] = uni(0, 4) ? 1.0 : -1.0;
    for (int k = 0; k < others; ++k)
      if (uni(0, 1)) row[2 * arcs + k] = uni(0, 1) ? 1.0 : -1.0;
    if (real_data)
      for (double& v : row) v *= 0.5 + real();
    double d = std::floor((0.2 + 0.6 * real()) * total_cap * 4) / 4;
    int shape = uni(0, 3);
    if (shape < 2) add_row(row, d, kInf);      // demand: inflow >= d
    else if (shape == 2) add_row(row, d, d);   // flow conservation with demand d
    else add_row(row, -kInf, d);               // capacity
  }
  return make_model(rows, rl, ru, lo, up, integer);
}

void check_cuts(const lp::Model& m, const std::vector<double>& lo, const std::vector<double>& up,
                const std::vector<mip::Cut>& cuts, const std::vector<double>& x, Stats& s, const char* what) {
  for (const mip::Cut& c : cuts) {
    ++s.checked;
    bool ok = well_formed(c, int(lo.size())) && mip::cut_violation(c, x) > 1e-6 &&
              cut_is_valid(m, lo, up, c, &s.lp_solves);
    if (!ok) {
      ++s.invalid;
      if (s.invalid <= 5) {
        std::fprintf(stderr, "invalid %s cut (%s) case %lld:", c.kind, what, s.cases);
        for (size_t k = 0; k < c.index.size(); ++k) std::fprintf(stderr, " %+g x%d", c.value[k], c.index[k]);
        std::fprintf(stderr, " <= %.17g\n  model:", c.rhs);
        for (int i = 0; i < m.A.rows; ++i) {
          std::fprintf(stderr, "\n   [%g, %g]:", m.row_lower[i], m.row_upper[i]);
          for (int j = 0; j < m.A.cols; ++j)
            for (int64_t p = m.A.start[j]; p < m.A.start[j + 1]; ++p)
              if (m.A.index[p] == i) std::fprintf(stderr, " %+g x%d", m.A.value[p], j);
        }
        std::fprintf(stderr, "\n  bounds:");
        for (size_t j = 0; j < lo.size(); ++j) std::fprintf(stderr, " x%zu%s[%g,%g]=%g", j, m.integer[j] ? "i" : "c", lo[j], up[j], x[j]);
        std::fprintf(stderr, "\n");
      }
    }
  }
}

void random_cases(int kind, int count, Stats& s, uint32_t seed) {
  std::mt19937 rng(seed);
  auto real = [&]() { return std::uniform_real_distribution<double>(0, 1)(rng); };
  for (int t = 0; t < count; ++t) {
    lp::Model m = kind == 4 ? random_fixed_charge(rng) : random_model(rng, kind);
    const int n = m.A.cols;
    ++s.cases;
    mip::RowMatrix rows = mip::build_row_matrix(m);
    // Bounds: global, or tightened on some integer columns (as at a node).
    std::vector<double> lo = m.col_lower, up = m.col_upper;
    if (t % 3 == 1)
      for (int j = 0; j < n; ++j)
        if (m.integer[j] && real() < 0.3) {
          if (real() < 0.5) lo[j] = std::min(up[j], lo[j] + 1);
          else up[j] = std::max(lo[j], up[j] - 1);
        }
    // An LP vertex: maximise a random positive objective (pushes columns up, so rows bind).
    lp::Model relax = m;
    relax.sense = -1;
    relax.col_lower = lo;
    relax.col_upper = up;
    for (int j = 0; j < n; ++j) relax.cost[j] = 0.2 + real();
    // Fixed charge: minimise (costs on the arcs make the demand rows bind, y fractional).
    if (kind == 4)
      for (double& c : relax.cost) c = -c;
    lp::LpSolver solver(relax);
    if (solver.solve() == lp::LpStatus::kOptimal) {
      std::vector<double> x = solver.x();
      bool fractional = false;
      for (int j = 0; j < n; ++j) fractional = fractional || (m.integer[j] && std::fabs(x[j] - std::round(x[j])) > 1e-6);
      if (fractional) ++s.fractional_vertices;
      std::vector<mip::Cut> cover, mir;
      mip::separate_knapsack_covers(rows, m, x, lo, up, cover);
      mip::separate_mir(rows, m, x, lo, up, mir);
      s.cover_cuts += cover.size();
      s.mir_cuts += mir.size();
      s.vertex_cover_cuts += cover.size();
      s.vertex_mir_cuts += mir.size();
      if (fractional && !cover.empty()) ++s.vertex_cases_with_cover;
      if (fractional && !mir.empty()) ++s.vertex_cases_with_mir;
      check_cuts(m, lo, up, cover, x, s, "vertex");
      check_cuts(m, lo, up, mir, x, s, "vertex");
    }
    // A random point in the box (not necessarily feasible): cuts must still be valid.
    std::vector<double> x(n);
    for (int j = 0; j < n; ++j) {
      double l = std::isfinite(lo[j]) ? lo[j] : -3, u = std::isfinite(up[j]) ? up[j] : l + 6;
      x[j] = real() < 0.3 ? (real() < 0.5 ? l : u) : l + (u - l) * real();
    }
    std::vector<mip::Cut> cover, mir;
    mip::separate_knapsack_covers(rows, m, x, lo, up, cover);
    mip::separate_mir(rows, m, x, lo, up, mir);
    s.cover_cuts += cover.size();
    s.mir_cuts += mir.size();
    check_cuts(m, lo, up, cover, x, s, "random point");
    check_cuts(m, lo, up, mir, x, s, "random point");
  }
}

// MIPLIB instances: a root cut loop (rounds of both separators, violated cuts
// added to the LP as rows). Valid cuts keep the LP bound on the right side of
// the known optimum and hold at every incumbent a short MIP run finds.
void test_miplib() {
  const std::string here = __FILE__;
  const std::string data = here.substr(0, here.rfind("/tests/cpp/")) + "/tests/data/mip/";
  struct Instance { const char* name; double optimum; };
  const Instance instances[] = {{"p0033", 3089}, {"lseu", 1120}, {"p0201", 7615}, {"p0282", 258411},
                                {"egout", 568.1007}, {"vpm1", 20}, {"flugpl", 1201500}, {"dcmulti", 188182},
                                {"misc03", 3360}, {"rgn", 82.2}, {"gt2", 21166}, {"stein27", 18},
                                {"enigma", 0}};
  for (const Instance& inst : instances) {
    lp::Model model = io::read_mps_file(data + inst.name + ".mps.gz");
    mip::RowMatrix rows = mip::build_row_matrix(model);
    lp::LpSolver solver(model);
    CHECK(solver.solve() == lp::LpStatus::kOptimal);
    const double root = solver.objective();
    std::vector<mip::Cut> all;
    int covers = 0, mirs = 0;
    double separation_seconds = 0;
    for (int round = 0; round < 10; ++round) {
      std::vector<mip::Cut> cuts;
      auto t0 = std::chrono::steady_clock::now();
      mip::separate_knapsack_covers(rows, model, solver.x(), model.col_lower, model.col_upper, cuts);
      size_t n_cover = cuts.size();
      mip::separate_mir(rows, model, solver.x(), model.col_lower, model.col_upper, cuts);
      separation_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (cuts.empty()) break;
      covers += int(n_cover);
      mirs += int(cuts.size() - n_cover);
      std::vector<double> lower, upper, value;
      std::vector<int64_t> start{0};
      std::vector<int32_t> index;
      for (const mip::Cut& c : cuts) {
        CHECK(well_formed(c, model.A.cols) && mip::cut_violation(c, solver.x()) > 1e-6);
        lower.push_back(-kInf);
        upper.push_back(c.rhs);
        index.insert(index.end(), c.index.begin(), c.index.end());
        value.insert(value.end(), c.value.begin(), c.value.end());
        start.push_back(int64_t(index.size()));
        all.push_back(c);
      }
      solver.add_rows(lower, upper, start, index, value);
      if (solver.solve() != lp::LpStatus::kOptimal) break;
    }
    const double bound = solver.objective();
    const double tol = 1e-6 * std::max(1.0, std::fabs(inst.optimum));
    CHECK(model.sense * (bound - inst.optimum) <= tol);
    // Every feasible point a short search finds satisfies every cut.
    mip::MipOptions options;
    options.time_limit = 1;
    int incumbents = 0;
    double worst = -kInf;
    options.callbacks.on_incumbent = [&](const std::vector<double>& x, double) {
      ++incumbents;
      for (const mip::Cut& c : all) worst = std::max(worst, mip::cut_violation(c, x) / std::max(1.0, std::fabs(c.rhs)));
    };
    mip::solve_mip(model, options);
    CHECK(worst <= 1e-6);
    double closed = std::fabs(inst.optimum - root) > 1e-9 ? (bound - root) / (inst.optimum - root) : 0.0;
    std::printf("%-8s cover %4d mir %4d  root %.6g -> %.6g (optimum %.6g, gap closed %.1f%%), %d incumbents, "
                "max violation %.2g, separation %.1f ms\n",
                inst.name, covers, mirs, root, bound, inst.optimum, 100 * closed, incumbents,
                incumbents ? worst : 0.0, 1e3 * separation_seconds);
  }
}

}  // namespace

int main() {
  test_miplib();
  test_row_matrix();
  test_cover_hand_made();
  test_mir_hand_made();
  test_checker();
  test_variable_bounds();
  const char* names[] = {"pure binary", "binary + general integer", "mixed with continuous", "real coefficients",
                         "fixed charge"};
  const int counts[] = {10000, 10000, 4000, 4000, 4000};
  for (int kind = 0; kind < 5; ++kind) {
    Stats s;
    random_cases(kind, counts[kind], s, 1234u + kind);
    std::printf("%s: %lld models, %lld fractional LP vertices; cuts at vertices: cover %lld (in %lld models), "
                "mir %lld (in %lld models); all cuts checked %lld (cover %lld, mir %lld), invalid %lld, "
                "validity LPs %lld\n",
                names[kind], s.cases, s.fractional_vertices, s.vertex_cover_cuts, s.vertex_cases_with_cover,
                s.vertex_mir_cuts, s.vertex_cases_with_mir, s.checked, s.cover_cuts, s.mir_cuts, s.invalid,
                s.lp_solves);
    CHECK(s.invalid == 0);
    CHECK(s.checked > 0);
    // The separators must not be vacuous at fractional LP vertices.
    CHECK(s.vertex_cases_with_mir * 20 >= s.fractional_vertices);
    if (kind < 2) CHECK(s.vertex_cases_with_cover * 20 >= s.fractional_vertices);
  }
  if (failures) std::fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}
