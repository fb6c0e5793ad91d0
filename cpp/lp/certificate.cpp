#include "lp/certificate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace satmip::lp {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
// Below this relative size, a sum of products is cancellation noise.
constexpr double kNoise = 1e-9;

double bound_tol(double b) { return kCertificateTol * (1 + (std::isfinite(b) ? std::fabs(b) : 0.0)); }

std::string check_primal(const Model& model, const std::vector<double>& x, const std::vector<double>& activity) {
  const int32_t n = model.A.cols, m = model.A.rows;
  if (int32_t(x.size()) != n || int32_t(activity.size()) != m) return "no primal point";
  // activities of large terms carry their round-off: a bound is met within
  // its tolerance plus kNoise times the size of the row's terms
  std::vector<double> term_size(m, 0.0);
  for (int32_t j = 0; j < n; ++j)
    for (int64_t p = model.A.start[j]; p < model.A.start[j + 1]; ++p)
      term_size[model.A.index[p]] += std::fabs(model.A.value[p] * x[j]);
  for (int32_t j = 0; j < n; ++j)
    if (!(x[j] >= model.col_lower[j] - bound_tol(model.col_lower[j]) &&
          x[j] <= model.col_upper[j] + bound_tol(model.col_upper[j])))
      return "column " + std::to_string(j) + " out of its bounds";
  for (int32_t i = 0; i < m; ++i)
    if (!(activity[i] >= model.row_lower[i] - bound_tol(model.row_lower[i]) - kNoise * term_size[i] &&
          activity[i] <= model.row_upper[i] + bound_tol(model.row_upper[i]) + kNoise * term_size[i]))
      return "row " + std::to_string(i) + " out of its bounds";
  return "";
}

// A value v with the multiplier (reduced cost or row dual, minimisation form)
// d: d > tol only at the lower bound, d < -tol only at the upper bound.
// slack: round-off allowed on v beyond the bound's tolerance.
bool complementary(double d, double tol, double v, double lo, double up, double slack) {
  const bool at_lo = std::fabs(v - lo) <= bound_tol(lo) + slack, at_up = std::fabs(v - up) <= bound_tol(up) + slack;
  return (d <= tol || at_lo) && (d >= -tol || at_up);
}
}  // namespace

std::string check_optimal(const Model& model, const std::vector<double>& x, const std::vector<double>& activity,
                          const std::vector<double>& row_dual) {
  std::string why = check_primal(model, x, activity);
  if (!why.empty()) return why;
  const int32_t n = model.A.cols, m = model.A.rows;
  if (int32_t(row_dual.size()) != m) return "no row duals";
  const SparseMatrix& A = model.A;
  for (int32_t j = 0; j < n; ++j) {
    // reduced cost in minimisation form, from the duals (not the engine's own)
    double d = model.sense * model.cost[j], size = std::fabs(model.cost[j]);
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
      const double term = A.value[p] * model.sense * row_dual[A.index[p]];
      d -= term;
      size += std::fabs(term);
    }
    if (!std::isfinite(d)) return "reduced cost of column " + std::to_string(j) + " not finite";
    if (!complementary(d, kCertificateTol * (1 + size), x[j], model.col_lower[j], model.col_upper[j], 0.0))
      return "reduced cost of column " + std::to_string(j) + " has the wrong sign";
  }
  std::vector<double> row_size(m, 1.0), term_size(m, 0.0);
  for (int32_t j = 0; j < n; ++j)
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
      row_size[A.index[p]] += std::fabs(A.value[p]);
      term_size[A.index[p]] += std::fabs(A.value[p] * x[j]);
    }
  for (int32_t i = 0; i < m; ++i) {
    const double y = model.sense * row_dual[i];
    if (!std::isfinite(y)) return "dual of row " + std::to_string(i) + " not finite";
    if (!complementary(y, kCertificateTol * row_size[i], activity[i], model.row_lower[i], model.row_upper[i],
                       kNoise * term_size[i]))
      return "dual of row " + std::to_string(i) + " has the wrong sign";
  }
  return "";
}

std::string check_farkas(const Model& model, const std::vector<double>& y) {
  const int32_t n = model.A.cols, m = model.A.rows;
  if (int32_t(y.size()) != m) return "no dual ray";
  const SparseMatrix& A = model.A;
  // sup of w * v over v in [lo, up] (0 for w = 0)
  auto box_max = [](double w, double lo, double up) { return w > 0 ? w * up : w < 0 ? w * lo : 0.0; };
  // y^T A x = y^T s for s = A x: compare the reach of z^T x, z = A^T y, over the
  // column box with the reach of y^T s over the row box.
  double max_zx = 0, min_zx = 0, max_ys = 0, min_ys = 0, size = 1;
  for (int32_t j = 0; j < n; ++j) {
    double z = 0, z_size = 0;
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
      z += A.value[p] * y[A.index[p]];
      z_size += std::fabs(A.value[p] * y[A.index[p]]);
    }
    if (std::fabs(z) <= kNoise * z_size) z = 0;
    max_zx += box_max(z, model.col_lower[j], model.col_upper[j]);
    min_zx -= box_max(-z, model.col_lower[j], model.col_upper[j]);
  }
  for (int32_t i = 0; i < m; ++i) {
    if (!std::isfinite(y[i])) return "dual ray not finite";
    max_ys += box_max(y[i], model.row_lower[i], model.row_upper[i]);
    min_ys -= box_max(-y[i], model.row_lower[i], model.row_upper[i]);
    size += std::fabs(y[i]);
  }
  const double tol = 1e-7 * size;
  if (max_zx < min_ys - tol || min_zx > max_ys + tol) return "";
  return "the dual ray proves nothing";
}

std::string check_unbounded(const Model& model, const std::vector<double>& x, const std::vector<double>& activity,
                            const std::vector<double>& ray) {
  std::string why = check_primal(model, x, activity);
  if (!why.empty()) return why;
  const int32_t n = model.A.cols, m = model.A.rows;
  if (int32_t(ray.size()) != n) return "no primal ray";
  double largest = 0;
  for (double r : ray) {
    if (!std::isfinite(r)) return "primal ray not finite";
    largest = std::max(largest, std::fabs(r));
  }
  if (largest == 0) return "primal ray is zero";
  std::vector<double> r(ray);
  for (double& v : r) v /= largest;
  double gain = 0, gain_size = 0;
  for (int32_t j = 0; j < n; ++j) {
    gain += model.sense * model.cost[j] * r[j];
    gain_size += std::fabs(model.cost[j] * r[j]);
    if ((r[j] > kNoise && model.col_upper[j] < kInf) || (r[j] < -kNoise && model.col_lower[j] > -kInf))
      return "primal ray leaves column " + std::to_string(j) + "'s bounds";
  }
  // the gain must not be cancellation noise (it may be small: the ray is normalised)
  if (!(gain < -kCertificateTol * gain_size && gain < -1e-12)) return "primal ray does not improve the objective";
  std::vector<double> ar(m, 0.0), ar_size(m, 0.0);
  for (int32_t j = 0; j < n; ++j)
    for (int64_t p = model.A.start[j]; p < model.A.start[j + 1]; ++p) {
      ar[model.A.index[p]] += model.A.value[p] * r[j];
      ar_size[model.A.index[p]] += std::fabs(model.A.value[p] * r[j]);
    }
  for (int32_t i = 0; i < m; ++i) {
    const double tol = kNoise * std::max(ar_size[i], 1e-300);
    if ((ar[i] > tol && model.row_upper[i] < kInf) || (ar[i] < -tol && model.row_lower[i] > -kInf))
      return "primal ray leaves row " + std::to_string(i) + "'s bounds";
  }
  return "";
}

}  // namespace satmip::lp
