// GMI cuts (Gomory 1960, in the mixed-integer form of Cornuejols' survey).
// A tableau row  x_B + sum_k alpha_k v_k = 0  over nonbasic columns and row
// activities is rewritten in the distances y_k >= 0 of each nonbasic variable
// from the bound it sits at, x_B + sum_k abar_k y_k = beta; with f0 the
// fractional part of beta, every solution with x_B integral satisfies
//   sum_{integral y} min(f/f0, (1-f)/(1-f0)) y + sum_{continuous y} (abar/f0 | -abar/(1-f0)) y >= 1
// (f = frac(abar)), which the LP point (y = 0) violates. The cut is mapped
// back to the columns (row activities expanded through their rows).
#include "mip/cuts_gomory.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "mip/cut_finish.hpp"
#include "mip/cut_rows.hpp"

namespace satmip::mip {
namespace {

bool is_integral_value(double v) { return std::fabs(v - std::round(v)) <= 1e-9 * std::max(1.0, std::fabs(v)); }

// Rows whose activity is integral at every integer point: integer columns
// with integral coefficients only.
std::vector<uint8_t> integral_rows(const lp::Model& model, const std::vector<uint8_t>& integer) {
  std::vector<uint8_t> integral(size_t(model.A.rows), 1);
  for (int32_t j = 0; j < model.A.cols; ++j)
    for (int64_t p = model.A.start[j]; p < model.A.start[j + 1]; ++p)
      if (!integer[size_t(j)] || !is_integral_value(model.A.value[size_t(p)])) integral[size_t(model.A.index[size_t(p)])] = 0;
  return integral;
}

double fractional_part(double v) { return v - std::floor(v); }

}  // namespace

void separate_gomory(lp::LpSolver& lp, const std::vector<uint8_t>& integer, const GomoryOptions& options,
                     std::vector<Cut>& out) {
  const lp::Model& model = lp.model();   // the LP's rows: the model's and any cuts added before
  const int32_t n = model.A.cols, m = model.A.rows;
  std::vector<lp::BasisStatus> col_status, row_status;
  lp.get_basis(col_status, row_status);
  const std::vector<double>& x = lp.x();
  const RowMatrix rows = build_row_matrix(model);
  const std::vector<uint8_t> row_integral = integral_rows(model, integer);

  // Rows of fractional integer basic columns, most fractional first.
  std::vector<std::pair<double, int32_t>> sources;
  for (int32_t r = 0; r < m; ++r) {
    const int32_t k = lp.basic_variable(r);
    if (k < 0 || k >= n || !integer[size_t(k)]) continue;
    const double f = fractional_part(x[size_t(k)]);
    if (f < options.min_fraction || f > 1.0 - options.min_fraction) continue;
    sources.emplace_back(std::fabs(f - 0.5), r);
  }
  std::sort(sources.begin(), sources.end());
  if (int32_t(sources.size()) > options.max_cuts) sources.resize(size_t(options.max_cuts));

  const int32_t max_support = options.max_support > 0 ? options.max_support : 500 + n / 10;
  std::vector<double> alpha, cut_dense(size_t(n), 0.0);
  std::vector<int32_t> cut_touched;
  for (const auto& source : sources) {
    if (!lp.tableau_row(source.second, alpha)) return;
    // y-space: per nonbasic variable with alpha != 0, its bound and direction.
    struct Term { int32_t k; double bound; double sign; double abar; };
    std::vector<Term> terms;
    double beta = 0, largest = 0;
    bool usable = true;
    for (int32_t k = 0; k < n + m && usable; ++k) {
      const double a = alpha[size_t(k)];
      if (a == 0.0) continue;
      const lp::BasisStatus status = k < n ? col_status[size_t(k)] : row_status[size_t(k - n)];
      const double lower = k < n ? model.col_lower[size_t(k)] : model.row_lower[size_t(k - n)];
      const double upper = k < n ? model.col_upper[size_t(k)] : model.row_upper[size_t(k - n)];
      largest = std::max(largest, std::fabs(a));
      if (status == lp::BasisStatus::kFixed || (lower == upper && status != lp::BasisStatus::kFree)) {
        beta -= a * lower;    // a fixed variable: a constant, no y
      } else if (status == lp::BasisStatus::kAtLower && std::isfinite(lower)) {
        beta -= a * lower;
        terms.push_back({k, lower, 1.0, a});
      } else if (status == lp::BasisStatus::kAtUpper && std::isfinite(upper)) {
        beta -= a * upper;
        terms.push_back({k, upper, -1.0, -a});
      } else {
        usable = false;   // a free nonbasic variable: no bound to measure from
      }
    }
    if (!usable || largest > options.max_tableau_coefficient) continue;
    const double f0 = fractional_part(beta);
    if (f0 < options.min_fraction || f0 > 1.0 - options.min_fraction) continue;

    // sum g_k y_k >= 1, then y_k = sign * (v_k - bound_k): sum sign g v >= 1 + sum sign g bound.
    double rhs = 1.0;
    cut_touched.clear();
    auto add = [&](int32_t j, double value) {
      if (cut_dense[size_t(j)] == 0.0) cut_touched.push_back(j);
      cut_dense[size_t(j)] += value;
      if (cut_dense[size_t(j)] == 0.0) cut_dense[size_t(j)] = 1e-300;   // stays listed once
    };
    for (const Term& t : terms) {
      const bool integral = (t.k < n ? integer[size_t(t.k)] != 0 : row_integral[size_t(t.k - n)] != 0) &&
                            is_integral_value(t.bound);
      double g;
      if (integral) {
        const double f = fractional_part(t.abar);
        g = f <= f0 ? f / f0 : (1.0 - f) / (1.0 - f0);
      } else {
        g = t.abar >= 0 ? t.abar / f0 : -t.abar / (1.0 - f0);
      }
      if (g == 0.0) continue;
      const double coefficient = t.sign * g;
      rhs += coefficient * t.bound;
      if (t.k < n) {
        add(t.k, coefficient);
      } else {
        const int32_t i = t.k - n;
        for (int64_t p = rows.start[size_t(i)]; p < rows.start[size_t(i) + 1]; ++p)
          add(rows.index[size_t(p)], coefficient * rows.value[size_t(p)]);
      }
    }
    // >= form to <= form.
    Cut cut;
    cut.kind = "gomory";
    cut.rhs = -rhs;
    for (int32_t j : cut_touched) {
      cut.index.push_back(j);
      cut.value.push_back(-cut_dense[size_t(j)]);
      cut_dense[size_t(j)] = 0.0;
    }
    if (int32_t(cut.index.size()) > max_support || cut.index.empty()) continue;
    double biggest = 0, smallest = std::numeric_limits<double>::infinity();
    for (double v : cut.value) {
      // Coefficients finish_cut would drop do not count towards the dynamism.
      biggest = std::max(biggest, std::fabs(v));
    }
    for (double v : cut.value)
      if (std::fabs(v) >= 1e-9 * biggest) smallest = std::min(smallest, std::fabs(v));
    if (!(biggest < options.max_dynamism * smallest)) continue;
    finish_cut(std::move(cut), x, model.col_lower, model.col_upper, true, out);
  }
}

}  // namespace satmip::mip
