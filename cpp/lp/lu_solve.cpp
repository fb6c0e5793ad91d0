// BasisFactor: FTRAN and BTRAN (see basis_factor.hpp).
//
// Every triangular solve has two modes. Hyper-sparse: the pivots whose values
// are nonzero sit in a heap keyed by their place in the pivot sequence, so
// only the reachable part of the factor is visited, in the right order; new
// nonzeros are appended to the vector's index as they appear. Dense: a sweep
// over the whole pivot sequence. A solve starts hyper-sparse when the vector
// has few nonzeros and switches to the sweep (from where the heap had got to)
// once the result passes a tenth of m.
#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "lp/basis_factor.hpp"

namespace satmip::lp {
namespace {

// An entry that cancels to zero is kept at this value while the index is
// maintained, so that "is zero" keeps meaning "not yet listed" (each entry is
// listed and heaped once); the final tidy drops it.
constexpr double kKeptZero = 1e-50;
constexpr int32_t kHyperSparseDivisor = 10;

inline int64_t heap_entry(int32_t key, int32_t row) { return (int64_t(key) << 32) | uint32_t(row); }
inline int32_t heap_row(int64_t entry) { return int32_t(uint32_t(entry)); }
inline int32_t heap_key(int64_t entry) { return int32_t(entry >> 32); }

// v[i] -= x, listing i when it was zero; returns whether it was.
inline bool subtract_listed(SparseVector& v, int32_t i, double x) {
  double& y = v.array[i];
  bool fresh = y == 0.0;
  if (fresh) v.index[v.count++] = i;
  y -= x;
  if (y == 0.0) y = kKeptZero;
  return fresh;
}

using MinHeap = std::greater<int64_t>;
using MaxHeap = std::less<int64_t>;

template <class Order>
inline void heap_push(std::vector<int64_t>& heap, int64_t entry) {
  heap.push_back(entry);
  std::push_heap(heap.begin(), heap.end(), Order());
}

template <class Order>
inline int64_t heap_pop(std::vector<int64_t>& heap) {
  std::pop_heap(heap.begin(), heap.end(), Order());
  int64_t entry = heap.back();
  heap.pop_back();
  return entry;
}

}  // namespace

bool BasisFactor::sparse_enough(int32_t count) const {
  return count >= 0 && int64_t(count) * kHyperSparseDivisor <= m_;
}

// ---------------------------------------------------------------- L, L^T

void BasisFactor::solve_lower(SparseVector& v) const {
  const int32_t etas = int32_t(l_pivot_row_.size());
  if (etas == 0) return;
  int32_t first_dense = 0;
  if (sparse_enough(v.count)) {
    heap_.clear();
    for (int32_t k = 0; k < v.count; k++) {
      int32_t r = v.index[k];
      if (l_order_of_row_[r] >= 0) heap_.push_back(heap_entry(l_order_of_row_[r], r));
    }
    std::make_heap(heap_.begin(), heap_.end(), MinHeap());
    const int32_t limit = m_ / kHyperSparseDivisor;
    while (!heap_.empty() && v.count <= limit) {
      int64_t entry = heap_pop<MinHeap>(heap_);
      int32_t eta = heap_key(entry);
      double x = v.array[heap_row(entry)];
      for (int32_t e = l_start_[eta]; e < l_start_[eta + 1]; e++) {
        int32_t i = l_index_[e];
        if (subtract_listed(v, i, l_value_[e] * x) && l_order_of_row_[i] >= 0)
          heap_push<MinHeap>(heap_, heap_entry(l_order_of_row_[i], i));
      }
    }
    if (heap_.empty()) return;
    first_dense = heap_key(heap_.front());
    heap_.clear();
  }
  v.invalidate_index();
  double* values = v.array.data();
  for (int32_t eta = first_dense; eta < etas; eta++) {
    double x = values[l_pivot_row_[eta]];
    if (x == 0.0) continue;
    for (int32_t e = l_start_[eta]; e < l_start_[eta + 1]; e++) values[l_index_[e]] -= l_value_[e] * x;
  }
}

// L^T by rows: a row's value is final once every later eta is done, and then
// scatters into the pivot rows of the etas that hold it.
void BasisFactor::solve_lower_transposed(SparseVector& v) const {
  const int32_t etas = int32_t(l_pivot_row_.size());
  if (etas == 0) return;
  int32_t last_dense = etas - 1;
  if (sparse_enough(v.count)) {
    heap_.clear();
    for (int32_t k = 0; k < v.count; k++) {
      int32_t r = v.index[k];
      if (l_order_of_row_[r] >= 0) heap_.push_back(heap_entry(l_order_of_row_[r], r));
    }
    std::make_heap(heap_.begin(), heap_.end(), MaxHeap());
    const int32_t limit = m_ / kHyperSparseDivisor;
    while (!heap_.empty() && v.count <= limit) {
      int32_t r = heap_row(heap_pop<MaxHeap>(heap_));
      double x = v.array[r];
      for (int32_t e = lrow_start_[r]; e < lrow_start_[r + 1]; e++) {
        int32_t target = lrow_index_[e];
        if (subtract_listed(v, target, lrow_value_[e] * x))
          heap_push<MaxHeap>(heap_, heap_entry(l_order_of_row_[target], target));
      }
    }
    if (heap_.empty()) return;
    last_dense = heap_key(heap_.front());
    heap_.clear();
  }
  v.invalidate_index();
  double* values = v.array.data();
  for (int32_t eta = last_dense; eta >= 0; eta--) {
    int32_t r = l_pivot_row_[eta];
    double x = values[r];
    if (x == 0.0) continue;
    for (int32_t e = lrow_start_[r]; e < lrow_start_[r + 1]; e++) values[lrow_index_[e]] -= lrow_value_[e] * x;
  }
}

// ------------------------------------------------- Forrest–Tomlin row etas

void BasisFactor::apply_row_etas(SparseVector& v) const {
  const bool listed = v.index_valid();
  for (size_t t = 0; t < r_pivot_row_.size(); t++) {
    double sum = 0.0;
    for (int32_t e = r_start_[t]; e < r_start_[t + 1]; e++) sum += r_value_[e] * v.array[r_index_[e]];
    if (sum == 0.0) continue;
    if (listed) {
      subtract_listed(v, r_pivot_row_[t], sum);
    } else {
      v.array[r_pivot_row_[t]] -= sum;
    }
  }
}

void BasisFactor::apply_row_etas_transposed(SparseVector& v) const {
  const bool listed = v.index_valid();
  for (size_t t = r_pivot_row_.size(); t-- > 0;) {
    double x = v.array[r_pivot_row_[t]];
    if (x == 0.0) continue;
    for (int32_t e = r_start_[t]; e < r_start_[t + 1]; e++) {
      if (listed) {
        subtract_listed(v, r_index_[e], r_value_[e] * x);
      } else {
        v.array[r_index_[e]] -= r_value_[e] * x;
      }
    }
  }
}

// ---------------------------------------------------------------- U, U^T

// Back substitution in reverse pivot order; U columns scatter.
void BasisFactor::solve_upper(SparseVector& v) const {
  int32_t last_dense = int32_t(u_order_.size()) - 1;
  if (sparse_enough(v.count)) {
    heap_.clear();
    for (int32_t k = 0; k < v.count; k++) heap_.push_back(heap_entry(u_order_of_row_[v.index[k]], v.index[k]));
    std::make_heap(heap_.begin(), heap_.end(), MaxHeap());
    const int32_t limit = m_ / kHyperSparseDivisor;
    while (!heap_.empty() && v.count <= limit) {
      int32_t r = heap_row(heap_pop<MaxHeap>(heap_));
      double x = v.array[r] / u_pivot_[r];
      v.array[r] = x;
      const int64_t start = u_cols_.start[r];
      for (int32_t k = 0, len = u_cols_.length[r]; k < len; k++) {
        int32_t i = u_cols_.index[start + k];
        if (subtract_listed(v, i, u_cols_.value[start + k] * x))
          heap_push<MaxHeap>(heap_, heap_entry(u_order_of_row_[i], i));
      }
    }
    if (heap_.empty()) return;
    last_dense = heap_key(heap_.front());
    heap_.clear();
  }
  v.invalidate_index();
  double* values = v.array.data();
  for (int32_t slot = last_dense; slot >= 0; slot--) {
    int32_t r = u_order_[slot];
    if (r < 0) continue;
    double x = values[r];
    if (x == 0.0) continue;
    x /= u_pivot_[r];
    values[r] = x;
    const int64_t start = u_cols_.start[r];
    const int32_t* rows = u_cols_.index.data() + start;
    const double* u = u_cols_.value.data() + start;
    for (int32_t k = 0, len = u_cols_.length[r]; k < len; k++) values[rows[k]] -= u[k] * x;
  }
}

// Forward substitution with U^T in pivot order; U rows scatter.
void BasisFactor::solve_upper_transposed(SparseVector& v) const {
  int32_t first_dense = 0;
  if (sparse_enough(v.count)) {
    heap_.clear();
    for (int32_t k = 0; k < v.count; k++) heap_.push_back(heap_entry(u_order_of_row_[v.index[k]], v.index[k]));
    std::make_heap(heap_.begin(), heap_.end(), MinHeap());
    const int32_t limit = m_ / kHyperSparseDivisor;
    while (!heap_.empty() && v.count <= limit) {
      int32_t r = heap_row(heap_pop<MinHeap>(heap_));
      double x = v.array[r] / u_pivot_[r];
      v.array[r] = x;
      const int64_t start = u_rows_.start[r];
      for (int32_t k = 0, len = u_rows_.length[r]; k < len; k++) {
        int32_t j = u_rows_.index[start + k];
        if (subtract_listed(v, j, u_rows_.value[start + k] * x))
          heap_push<MinHeap>(heap_, heap_entry(u_order_of_row_[j], j));
      }
    }
    if (heap_.empty()) return;
    first_dense = heap_key(heap_.front());
    heap_.clear();
  }
  v.invalidate_index();
  double* values = v.array.data();
  const int32_t slots = int32_t(u_order_.size());
  for (int32_t slot = first_dense; slot < slots; slot++) {
    int32_t r = u_order_[slot];
    if (r < 0) continue;
    double x = values[r];
    if (x == 0.0) continue;
    x /= u_pivot_[r];
    values[r] = x;
    const int64_t start = u_rows_.start[r];
    const int32_t* cols = u_rows_.index.data() + start;
    const double* u = u_rows_.value.data() + start;
    for (int32_t k = 0, len = u_rows_.length[r]; k < len; k++) values[cols[k]] -= u[k] * x;
  }
}

// ------------------------------------------------------------ FTRAN, BTRAN

namespace {

void check_solve(bool factorized, const SparseVector& v, int32_t m) {
  if (!factorized) throw std::logic_error("BasisFactor: solve without a factorisation");
  if (v.dim != m || int64_t(v.array.size()) != m || int64_t(v.index.size()) != m)
    throw std::invalid_argument("BasisFactor: vector dimension differs from the basis");
}

// v[to[i]] := old v[i] for a permutation `to`, through `work` (all zero, left so).
void permute(SparseVector& v, const std::vector<int32_t>& to, std::vector<double>& work) {
  if (v.index_valid()) {
    for (int32_t k = 0; k < v.count; k++) {
      int32_t i = v.index[k];
      work[to[i]] = v.array[i];
      v.array[i] = 0.0;
    }
    for (int32_t k = 0; k < v.count; k++) {
      int32_t p = to[v.index[k]];
      v.index[k] = p;
      v.array[p] = work[p];
      work[p] = 0.0;
    }
  } else {
    for (int32_t i = 0; i < v.dim; i++) work[to[i]] = v.array[i];
    for (int32_t p = 0; p < v.dim; p++) {
      v.array[p] = work[p];
      work[p] = 0.0;
    }
  }
}

}  // namespace

void BasisFactor::ftran_in_rows(SparseVector& rhs) const {
  check_solve(factorized_, rhs, m_);
  if (rhs.index_valid()) rhs.tidy(0.0);  // listed entries must be nonzero
  solve_lower(rhs);
  apply_row_etas(rhs);
}

void BasisFactor::ftran_upper(SparseVector& rhs) const {
  solve_upper(rhs);
  permute(rhs, position_of_row_, work_);
  rhs.tidy(kDropTolerance);
}

void BasisFactor::ftran(SparseVector& rhs) const {
  ftran_in_rows(rhs);
  ftran_upper(rhs);
}

void BasisFactor::ftran_for_update(SparseVector& rhs) {
  ftran_in_rows(rhs);
  spike_.clear();
  if (rhs.index_valid()) {
    for (int32_t k = 0; k < rhs.count; k++) {
      int32_t i = rhs.index[k];
      spike_.array[i] = rhs.array[i];
      spike_.index[k] = i;
    }
    spike_.count = rhs.count;
  } else {
    std::copy(rhs.array.begin(), rhs.array.end(), spike_.array.begin());
    spike_.rebuild_index();
  }
  spike_valid_ = true;
  ftran_upper(rhs);
}

void BasisFactor::btran(SparseVector& rhs) const {
  check_solve(factorized_, rhs, m_);
  if (rhs.index_valid()) rhs.tidy(0.0);
  permute(rhs, row_of_position_, work_);
  solve_upper_transposed(rhs);
  apply_row_etas_transposed(rhs);
  solve_lower_transposed(rhs);
  rhs.tidy(kDropTolerance);
}

}  // namespace satmip::lp
