#include "mip/cut_rows.hpp"

#include <algorithm>
#include <cmath>

namespace satmip::mip {
namespace {

// Fills rows.vub / rows.vlb from the two-entry rows (continuous x, integer y).
void find_variable_bounds(const lp::Model& model, RowMatrix& r) {
  r.vub.assign(size_t(r.cols), VariableBound{});
  r.vlb.assign(size_t(r.cols), VariableBound{});
  auto is_int = [&](int32_t j) { return size_t(j) < model.integer.size() && model.integer[j]; };
  auto domain = [&](int32_t j) { return model.col_upper[j] - model.col_lower[j]; };
  auto offer = [&](std::vector<VariableBound>& best, int32_t x, const VariableBound& vb) {
    VariableBound& cur = best[size_t(x)];
    if (cur.y < 0 || domain(vb.y) < domain(cur.y)) cur = vb;
  };
  for (int32_t i = 0; i < r.rows; ++i) {
    if (r.start[i + 1] - r.start[i] != 2) continue;
    int64_t p = r.start[i];
    int32_t x = r.index[p], y = r.index[p + 1];
    double a = r.value[p], b = r.value[p + 1];
    if (is_int(x)) {
      std::swap(x, y);
      std::swap(a, b);
    }
    if (is_int(x) || !is_int(y) || !std::isfinite(domain(y))) continue;
    // Badly scaled rows would give substitutions with large rounding errors.
    const double d = -b / a;
    if (!std::isfinite(d) || std::fabs(d) > 1e6 || std::fabs(d) < 1e-6) continue;
    for (int side : {1, -1}) {
      const double c = side > 0 ? r.upper[i] : r.lower[i];
      if (!std::isfinite(c)) continue;
      const double e = c / a;
      if (!std::isfinite(e) || std::fabs(e) > 1e9) continue;
      // a x <= c - b y: an upper bound on x when a > 0; a x >= c - b y: when a < 0.
      const bool upper = (side > 0) == (a > 0);
      offer(upper ? r.vub : r.vlb, x, VariableBound{y, d, e});
    }
  }
}

}  // namespace

RowMatrix build_row_matrix(const lp::Model& model) {
  const lp::SparseMatrix& A = model.A;
  RowMatrix r;
  r.rows = A.rows;
  r.cols = A.cols;
  r.lower = model.row_lower;
  r.upper = model.row_upper;
  std::vector<int64_t> count(size_t(A.rows) + 1, 0);
  for (int32_t j = 0; j < A.cols; ++j)
    for (int64_t k = A.start[j]; k < A.start[j + 1]; ++k)
      if (A.value[k] != 0) ++count[A.index[k] + 1];
  for (int32_t i = 0; i < A.rows; ++i) count[i + 1] += count[i];
  std::vector<int64_t> next(count.begin(), count.end() - 1);
  std::vector<int32_t> index(count.back());
  std::vector<double> value(count.back());
  // Columns are visited in order, so each row's entries come out sorted by column.
  for (int32_t j = 0; j < A.cols; ++j)
    for (int64_t k = A.start[j]; k < A.start[j + 1]; ++k)
      if (A.value[k] != 0) {
        int64_t p = next[A.index[k]]++;
        index[p] = j;
        value[p] = A.value[k];
      }
  // Merge repeated entries (a CSC matrix may list a row twice in a column).
  r.start.assign(size_t(A.rows) + 1, 0);
  for (int32_t i = 0; i < A.rows; ++i) {
    for (int64_t k = count[i]; k < count[i + 1]; ++k) {
      if (!r.index.empty() && int64_t(r.index.size()) > r.start[i] && r.index.back() == index[k]) {
        r.value.back() += value[k];
      } else {
        r.index.push_back(index[k]);
        r.value.push_back(value[k]);
      }
    }
    // A merge may cancel to zero; drop those.
    int64_t w = r.start[i];
    for (int64_t k = r.start[i]; k < int64_t(r.index.size()); ++k)
      if (r.value[k] != 0) {
        r.index[w] = r.index[k];
        r.value[w] = r.value[k];
        ++w;
      }
    r.index.resize(w);
    r.value.resize(w);
    r.start[i + 1] = w;
  }
  find_variable_bounds(model, r);
  return r;
}

bool base_inequality(const RowMatrix& rows, int32_t row, int side, BaseInequality& out) {
  double bound = side > 0 ? rows.upper[row] : rows.lower[row];
  if (!std::isfinite(bound) || rows.start[row] == rows.start[row + 1]) return false;
  out.index.assign(rows.index.begin() + rows.start[row], rows.index.begin() + rows.start[row + 1]);
  out.value.assign(rows.value.begin() + rows.start[row], rows.value.begin() + rows.start[row + 1]);
  if (side < 0)
    for (double& v : out.value) v = -v;
  out.rhs = side > 0 ? bound : -bound;
  return true;
}

}  // namespace satmip::mip
