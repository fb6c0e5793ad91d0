#include "mip/cut_rows.hpp"

#include <algorithm>
#include <cmath>

namespace satmip::mip {

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
