// Native test of the simplex tableau rows (LpSolver::tableau_row) and of the
// Gomory mixed-integer cuts built on them. Tableau rows are identities over
// every x (with s = A x), checked at random points; every GMI cut from random
// small pure-integer LPs is checked against all integer points of the box that
// satisfy the rows (enumerated), and must cut off the LP optimum.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "lp/lp_solver.hpp"
#include "mip/cuts_gomory.hpp"
#include "test_check.hpp"

using namespace satmip;

namespace {

// A random model: rows x cols, integer coefficients in [-5, 5], box [0, ub].
lp::Model random_model(std::mt19937& rng, int rows, int cols, int ub) {
  std::uniform_int_distribution<int> coef(-5, 5), cost(-9, 9), rhs(2, 12);
  lp::Model m;
  m.A.rows = rows;
  m.A.cols = cols;
  m.A.start.push_back(0);
  for (int j = 0; j < cols; ++j) {
    for (int i = 0; i < rows; ++i) {
      int a = coef(rng);
      if (a == 0) continue;
      m.A.index.push_back(i);
      m.A.value.push_back(a);
    }
    m.A.start.push_back(int64_t(m.A.index.size()));
    m.cost.push_back(cost(rng));
    m.col_lower.push_back(0);
    m.col_upper.push_back(ub);
    m.integer.push_back(1);
  }
  for (int i = 0; i < rows; ++i) {
    const int kind = int(rng() % 3);
    m.row_lower.push_back(kind == 0 ? -INFINITY : -rhs(rng));
    m.row_upper.push_back(kind == 1 ? INFINITY : rhs(rng));
  }
  return m;
}

std::vector<double> activities(const lp::Model& m, const std::vector<double>& x) {
  std::vector<double> s(size_t(m.A.rows), 0.0);
  for (int32_t j = 0; j < m.A.cols; ++j)
    for (int64_t p = m.A.start[j]; p < m.A.start[j + 1]; ++p) s[size_t(m.A.index[p])] += m.A.value[p] * x[size_t(j)];
  return s;
}

bool feasible_integer_point(const lp::Model& m, const std::vector<double>& x) {
  std::vector<double> s = activities(m, x);
  for (int32_t i = 0; i < m.A.rows; ++i)
    if (s[size_t(i)] < m.row_lower[size_t(i)] - 1e-9 || s[size_t(i)] > m.row_upper[size_t(i)] + 1e-9) return false;
  return true;
}

}  // namespace

int main() {
  std::mt19937 rng(7);
  int cuts_checked = 0, lps_with_cuts = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    const int rows = 1 + int(rng() % 4), cols = 2 + int(rng() % 4), ub = 1 + int(rng() % 3);
    lp::Model model = random_model(rng, rows, cols, ub);
    lp::LpSolver lp(model);
    if (lp.solve() != lp::LpStatus::kOptimal) continue;

    // Tableau rows are identities: v_B + sum coef v = 0 for any x with s = A x.
    std::uniform_real_distribution<double> any(-3, 3);
    std::vector<double> coef;
    for (int32_t r = 0; r < rows; ++r) {
      const int32_t basic = lp.basic_variable(r);
      CHECK(basic >= 0 && basic < cols + rows);
      CHECK(lp.tableau_row(r, coef));
      std::vector<double> x(static_cast<size_t>(cols));
      for (double& v : x) v = any(rng);
      std::vector<double> s = activities(model, x);
      auto value = [&](int32_t k) { return k < cols ? x[size_t(k)] : s[size_t(k - cols)]; };
      double sum = value(basic), scale = std::fabs(value(basic));
      for (int32_t k = 0; k < cols + rows; ++k) {
        sum += coef[size_t(k)] * value(k);
        scale += std::fabs(coef[size_t(k)] * value(k));
      }
      CHECK(std::fabs(sum) <= 1e-9 * std::max(1.0, scale));
    }

    std::vector<mip::Cut> cuts;
    mip::GomoryOptions options;
    mip::separate_gomory(lp, model.integer, options, cuts);
    if (!cuts.empty()) ++lps_with_cuts;
    // Every integer point of the box that satisfies the rows satisfies every cut.
    std::vector<double> x(size_t(cols), 0.0);
    while (true) {
      if (feasible_integer_point(model, x))
        for (const mip::Cut& cut : cuts) {
          ++cuts_checked;
          if (mip::cut_violation(cut, x) > 1e-7) {
            std::fprintf(stderr, "trial %d: %s cut cuts off a feasible point (violation %g)\n", trial, cut.kind,
                         mip::cut_violation(cut, x));
            CHECK(false);
          }
        }
      int32_t j = 0;
      while (j < cols && x[size_t(j)] == ub) x[size_t(j++)] = 0;
      if (j == cols) break;
      x[size_t(j)] += 1;
    }
    for (const mip::Cut& cut : cuts) CHECK(mip::cut_violation(cut, lp.x()) > 1e-6);
  }
  std::printf("%d LPs with Gomory cuts, %d (cut, point) pairs checked\n", lps_with_cuts, cuts_checked);
  CHECK(lps_with_cuts > 3000);
  if (failures) std::fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}
