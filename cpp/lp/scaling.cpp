#include "lp/scaling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace satmip::lp {

namespace {
double pow2(double f) {
  if (!(f > 0) || !std::isfinite(f)) return 1.0;
  int e = int(std::lround(std::log2(f)));
  e = std::clamp(e, -40, 40);
  return std::ldexp(1.0, e);
}
// max |a| / min |a| over the whole matrix with the current factors
double spread(const SparseMatrix& A, const std::vector<double>& r, const std::vector<double>& c) {
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (int32_t j = 0; j < A.cols; ++j)
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
      double v = std::fabs(A.value[p]) * r[A.index[p]] * c[j];
      if (v == 0) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  return hi > 0 ? hi / lo : 1.0;
}
}  // namespace

bool Scaling::identity(int32_t rows, int32_t cols) {
  row.assign(rows, 1.0);
  col.assign(cols, 1.0);
  return true;
}

Scaling compute_scaling(const SparseMatrix& A, int max_geometric_passes) {
  const int32_t m = A.rows, n = A.cols;
  std::vector<double> r(m, 1.0), c(n, 1.0);
  std::vector<double> rmin(m), rmax(m);
  double last = spread(A, r, c);
  for (int pass = 0; pass < max_geometric_passes && last > 1.0 + 1e-9; ++pass) {
    std::vector<double> r_old = r, c_old = c;
    std::fill(rmin.begin(), rmin.end(), std::numeric_limits<double>::infinity());
    std::fill(rmax.begin(), rmax.end(), 0.0);
    for (int32_t j = 0; j < n; ++j)
      for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
        double v = std::fabs(A.value[p]) * c[j];
        if (v == 0) continue;
        int32_t i = A.index[p];
        rmin[i] = std::min(rmin[i], v);
        rmax[i] = std::max(rmax[i], v);
      }
    for (int32_t i = 0; i < m; ++i)
      if (rmax[i] > 0) r[i] = 1.0 / std::sqrt(rmin[i] * rmax[i]);
    for (int32_t j = 0; j < n; ++j) {
      double lo = std::numeric_limits<double>::infinity(), hi = 0;
      for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
        double v = std::fabs(A.value[p]) * r[A.index[p]];
        if (v == 0) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      if (hi > 0) c[j] = 1.0 / std::sqrt(lo * hi);
    }
    double now = spread(A, r, c);
    if (now > 0.9 * last) {
      if (now > last) { r = r_old; c = c_old; }
      break;
    }
    last = now;
  }
  // equilibration: rows then columns to largest entry 1
  std::fill(rmax.begin(), rmax.end(), 0.0);
  for (int32_t j = 0; j < n; ++j)
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
      int32_t i = A.index[p];
      rmax[i] = std::max(rmax[i], std::fabs(A.value[p]) * r[i] * c[j]);
    }
  Scaling s;
  s.row.resize(m);
  s.col.resize(n);
  for (int32_t i = 0; i < m; ++i) s.row[i] = pow2(rmax[i] > 0 ? r[i] / rmax[i] : 1.0);
  for (int32_t j = 0; j < n; ++j) {
    double hi = 0;
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p)
      hi = std::max(hi, std::fabs(A.value[p]) * s.row[A.index[p]]);
    s.col[j] = pow2(hi > 0 ? 1.0 / hi : 1.0);
  }
  return s;
}

void scale_matrix(const Scaling& s, SparseMatrix& A) {
  for (int32_t j = 0; j < A.cols; ++j)
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) A.value[p] *= s.row[A.index[p]] * s.col[j];
}

void scale_col_values(const Scaling& s, std::vector<double>& v) {
  for (size_t j = 0; j < s.col.size(); ++j) v[j] /= s.col[j];
}
void unscale_col_values(const Scaling& s, std::vector<double>& v) {
  for (size_t j = 0; j < s.col.size(); ++j) v[j] *= s.col[j];
}
void scale_costs(const Scaling& s, std::vector<double>& c) {
  for (size_t j = 0; j < s.col.size(); ++j) c[j] *= s.col[j];
}
void unscale_reduced_costs(const Scaling& s, std::vector<double>& d) {
  for (size_t j = 0; j < s.col.size(); ++j) d[j] /= s.col[j];
}
void scale_row_values(const Scaling& s, std::vector<double>& v) {
  for (size_t i = 0; i < s.row.size(); ++i) v[i] *= s.row[i];
}
void unscale_row_values(const Scaling& s, std::vector<double>& v) {
  for (size_t i = 0; i < s.row.size(); ++i) v[i] /= s.row[i];
}
void unscale_row_duals(const Scaling& s, std::vector<double>& y) {
  for (size_t i = 0; i < s.row.size(); ++i) y[i] *= s.row[i];
}

}  // namespace satmip::lp
