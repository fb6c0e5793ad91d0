// BasisFactor: building the LU factors of a basis (see basis_factor.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "lp/basis_factor.hpp"

namespace satmip::lp {
namespace {

// The kernel's active part goes dense when at least this full, with at least
// kDenseMinimum and at most kDenseMaximum columns left (memory: the square).
constexpr double kDenseFraction = 0.25;
constexpr int32_t kDenseMinimum = 25;
constexpr int32_t kDenseMaximum = 4096;

}  // namespace

// ---------------------------------------------------------------- ListStore

void ListStore::reset(int32_t lists, bool with_values, int64_t entries_hint) {
  start.assign(lists, 0);
  length.assign(lists, 0);
  room.assign(lists, 0);
  has_values = with_values;
  if (int64_t(index.size()) < entries_hint) index.resize(entries_hint);
  if (has_values && value.size() < index.size()) value.resize(index.size());
  used = 0;
  total_room = 0;
}

int64_t ListStore::entries() const {
  int64_t total = 0;
  for (int32_t len : length) total += len;
  return total;
}

void ListStore::move_to_end(int32_t l, int32_t needed) {
  // Room to grow a little more without moving again.
  int32_t new_room = needed + needed / 4 + 4;
  if (start[l] + room[l] == used) {  // already last: grow in place
    if (start[l] + new_room > int64_t(index.size())) compact(new_room - room[l]);
    if (start[l] + room[l] == used && start[l] + new_room <= int64_t(index.size())) {
      used = start[l] + new_room;
      total_room += new_room - room[l];
      room[l] = new_room;
      return;
    }
  }
  if (used + new_room > int64_t(index.size())) compact(new_room);
  int64_t from = start[l], to = used;
  std::copy(index.begin() + from, index.begin() + from + length[l], index.begin() + to);
  if (has_values) std::copy(value.begin() + from, value.begin() + from + length[l], value.begin() + to);
  total_room += new_room - room[l];
  start[l] = to;
  room[l] = new_room;
  used = to + new_room;
}

// Close the holes (when they are worth it) and make room for `extra` more.
void ListStore::compact(int64_t extra) {
  int64_t capacity = int64_t(index.size());
  if (used - total_room > capacity / 4) {
    // Slide the lists down in the order they are stored: targets never
    // overtake sources.
    std::vector<int32_t> order;
    order.reserve(start.size());
    for (int32_t l = 0; l < int32_t(start.size()); l++)
      if (room[l] > 0) order.push_back(l);
    std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return start[a] < start[b]; });
    int64_t to = 0;
    for (int32_t l : order) {
      int64_t from = start[l];
      if (from != to) {
        std::copy(index.begin() + from, index.begin() + from + length[l], index.begin() + to);
        if (has_values) std::copy(value.begin() + from, value.begin() + from + length[l], value.begin() + to);
        start[l] = to;
      }
      to += room[l];
    }
    used = to;
  }
  if (used + extra > capacity) {
    int64_t grown = std::max(2 * capacity, used + extra + 1024);
    index.resize(grown);
    if (has_values) value.resize(grown);
  }
}

// ------------------------------------------------------------- BasisFactor

void BasisFactor::setup(const SparseMatrix& A) {
  if (A.rows < 0 || A.cols < 0 || int64_t(A.start.size()) != int64_t(A.cols) + 1 || A.start[0] != 0 ||
      A.start[A.cols] > int64_t(A.index.size()) || A.index.size() != A.value.size())
    throw std::invalid_argument("BasisFactor::setup: malformed matrix");
  // Counts and searches below rely on distinct, in-range rows per column.
  std::vector<int32_t> last_column(A.rows, -1);
  for (int32_t j = 0; j < A.cols; j++) {
    if (A.start[j + 1] < A.start[j]) throw std::invalid_argument("BasisFactor::setup: malformed matrix");
    for (int64_t k = A.start[j]; k < A.start[j + 1]; k++) {
      int32_t i = A.index[k];
      if (i < 0 || i >= A.rows || last_column[i] == j)
        throw std::invalid_argument("BasisFactor::setup: column " + std::to_string(j) +
                                    " has a row index out of range or repeated");
      last_column[i] = j;
    }
  }
  A_ = &A;
  m_ = A.rows;
  n_ = A.cols;
  factorized_ = false;
  updates_ = 0;
  replaced_.clear();
  work_.assign(m_, 0.0);
  eta_work_.assign(m_, 0.0);
  spike_.resize(m_);
  spike_valid_ = false;
}

void BasisFactor::set_pivot_threshold(double threshold) {
  pivot_threshold_ = std::min(1.0, std::max(1e-4, threshold));
}

int BasisFactor::factorize(std::vector<int32_t>& basic) {
  if (A_ == nullptr) throw std::logic_error("BasisFactor::factorize before setup");
  if (int64_t(basic.size()) != m_)
    throw std::invalid_argument("BasisFactor::factorize: basis has " + std::to_string(basic.size()) +
                                " variables, expected " + std::to_string(m_));
  for (int32_t var : basic)
    if (var < 0 || var >= n_ + m_)
      throw std::invalid_argument("BasisFactor::factorize: variable " + std::to_string(var) + " out of range");
  factorized_ = false;
  replaced_.clear();
  // Every retry replaces at least one structural (or duplicate) by a logical
  // not yet in the basis, so this ends; normally the second pass succeeds.
  for (;;) {
    build_basis_matrix(basic);
    find_triangular_part();
    factorize_kernel();
    if (dependent_cols_.empty()) break;
    replace_dependent_columns(basic);
  }
  assemble_factors();
  return int(replaced_.size());
}

void BasisFactor::build_basis_matrix(const std::vector<int32_t>& basic) {
  const SparseMatrix& A = *A_;
  bcol_start_.assign(m_ + 1, 0);
  bcol_index_.clear();
  bcol_value_.clear();
  bcol_max_.assign(m_, 0.0);
  for (int32_t p = 0; p < m_; p++) {
    int32_t var = basic[p];
    double largest = 0.0;
    if (var < n_) {
      for (int64_t k = A.start[var]; k < A.start[var + 1]; k++) {
        double a = A.value[k];
        if (a == 0.0) continue;
        bcol_index_.push_back(A.index[k]);
        bcol_value_.push_back(a);
        largest = std::max(largest, std::fabs(a));
      }
    } else {
      bcol_index_.push_back(var - n_);
      bcol_value_.push_back(-1.0);
      largest = 1.0;
    }
    bcol_max_[p] = largest;
    bcol_start_[p + 1] = int32_t(bcol_index_.size());
  }
  basis_entries_ = int64_t(bcol_index_.size());
  // The same matrix by rows.
  brow_start_.assign(m_ + 1, 0);
  for (int32_t i : bcol_index_) brow_start_[i + 1]++;
  for (int32_t i = 0; i < m_; i++) brow_start_[i + 1] += brow_start_[i];
  brow_index_.resize(bcol_index_.size());
  brow_value_.resize(bcol_index_.size());
  std::vector<int32_t>& fill = stack_;  // next free slot per row
  fill.assign(brow_start_.begin(), brow_start_.end() - 1);
  for (int32_t p = 0; p < m_; p++) {
    for (int32_t k = bcol_start_[p]; k < bcol_start_[p + 1]; k++) {
      int32_t at = fill[bcol_index_[k]]++;
      brow_index_[at] = p;
      brow_value_[at] = bcol_value_[k];
    }
  }
}

void BasisFactor::record_pivot(int32_t row, int32_t position, double value) {
  pivot_row_.push_back(row);
  pivot_position_.push_back(position);
  pivot_value_.push_back(value);
  urow_start_.push_back(int32_t(urow_position_.size()));
}

// Singletons need no arithmetic: a column singleton's row goes to U as it is,
// a row singleton's column becomes an L eta. Taking all column singletons
// first and then all row singletons finds the whole triangular part, because
// removing a column singleton never creates row singletons and vice versa.
void BasisFactor::find_triangular_part() {
  row_count_.resize(m_);
  col_count_.resize(m_);
  for (int32_t i = 0; i < m_; i++) row_count_[i] = brow_start_[i + 1] - brow_start_[i];
  for (int32_t p = 0; p < m_; p++) col_count_[p] = bcol_start_[p + 1] - bcol_start_[p];
  row_done_.assign(m_, 0);
  col_done_.assign(m_, 0);
  dependent_cols_.clear();
  pivot_row_.clear();
  pivot_position_.clear();
  pivot_value_.clear();
  urow_start_.clear();
  urow_position_.clear();
  urow_value_.clear();
  l_pivot_row_.clear();
  l_start_.assign(1, 0);
  l_index_.clear();
  l_value_.clear();

  stack_.clear();
  for (int32_t p = 0; p < m_; p++)
    if (col_count_[p] <= 1) stack_.push_back(p);
  while (!stack_.empty()) {
    int32_t p = stack_.back();
    stack_.pop_back();
    if (col_done_[p]) continue;
    if (col_count_[p] == 0) {  // nothing left in unpivoted rows
      col_done_[p] = 1;
      dependent_cols_.push_back(p);
      continue;
    }
    int32_t row = -1;
    double value = 0.0;
    for (int32_t k = bcol_start_[p]; k < bcol_start_[p + 1]; k++) {
      if (!row_done_[bcol_index_[k]]) {
        row = bcol_index_[k];
        value = bcol_value_[k];
        break;
      }
    }
    col_done_[p] = 1;
    if (std::fabs(value) <= kSingularTolerance * bcol_max_[p]) {
      // Its only entry left is negligible: no pivot can make this column useful.
      dependent_cols_.push_back(p);
      row_count_[row]--;
      continue;
    }
    record_pivot(row, p, value);
    row_done_[row] = 1;
    for (int32_t k = brow_start_[row]; k < brow_start_[row + 1]; k++) {
      int32_t q = brow_index_[k];
      if (q == p) continue;
      urow_position_.push_back(q);
      urow_value_.push_back(brow_value_[k]);
      if (!col_done_[q] && --col_count_[q] <= 1) stack_.push_back(q);
    }
  }

  stack_.clear();
  for (int32_t i = 0; i < m_; i++)
    if (!row_done_[i] && row_count_[i] == 1) stack_.push_back(i);
  while (!stack_.empty()) {
    int32_t row = stack_.back();
    stack_.pop_back();
    if (row_done_[row] || row_count_[row] != 1) continue;
    int32_t p = -1;
    double value = 0.0;
    for (int32_t k = brow_start_[row]; k < brow_start_[row + 1]; k++) {
      if (!col_done_[brow_index_[k]]) {
        p = brow_index_[k];
        value = brow_value_[k];
        break;
      }
    }
    // A negligible forced pivot is left to the kernel, which will find the
    // row empty or the column dependent.
    if (std::fabs(value) <= kSingularTolerance * bcol_max_[p]) continue;
    record_pivot(row, p, value);
    row_done_[row] = 1;
    col_done_[p] = 1;
    l_pivot_row_.push_back(row);
    for (int32_t k = bcol_start_[p]; k < bcol_start_[p + 1]; k++) {
      int32_t i = bcol_index_[k];
      if (row_done_[i]) continue;
      l_index_.push_back(i);
      l_value_.push_back(bcol_value_[k] / value);
      if (--row_count_[i] == 1) stack_.push_back(i);
    }
    l_start_.push_back(int32_t(l_index_.size()));
  }
}

// ------------------------------------------------------------------ kernel

void BasisFactor::bucket_insert_col(int32_t col) {
  int32_t count = kernel_cols_.length[col];
  col_count_[col] = count;
  col_prev_[col] = -1;
  col_next_[col] = col_head_[count];
  if (col_head_[count] >= 0) col_prev_[col_head_[count]] = col;
  col_head_[count] = col;
}

void BasisFactor::bucket_remove_col(int32_t col) {
  if (col_prev_[col] >= 0) {
    col_next_[col_prev_[col]] = col_next_[col];
  } else {
    col_head_[col_count_[col]] = col_next_[col];
  }
  if (col_next_[col] >= 0) col_prev_[col_next_[col]] = col_prev_[col];
}

void BasisFactor::bucket_insert_row(int32_t row) {
  int32_t count = kernel_rows_.length[row];
  row_count_[row] = count;
  row_prev_[row] = -1;
  row_next_[row] = row_head_[count];
  if (row_head_[count] >= 0) row_prev_[row_head_[count]] = row;
  row_head_[count] = row;
}

void BasisFactor::bucket_remove_row(int32_t row) {
  if (row_prev_[row] >= 0) {
    row_next_[row_prev_[row]] = row_next_[row];
  } else {
    row_head_[row_count_[row]] = row_next_[row];
  }
  if (row_next_[row] >= 0) row_prev_[row_next_[row]] = row_prev_[row];
}

void BasisFactor::load_kernel() {
  int64_t entries = 0;
  for (int32_t p = 0; p < m_; p++)
    if (!col_done_[p]) entries += col_count_[p];
  int64_t hint = 2 * entries + 64;
  kernel_entries_ = entries;
  kernel_cols_left_ = m_ - int32_t(pivot_row_.size()) - int32_t(dependent_cols_.size());
  kernel_cols_.reset(m_, true, hint);
  kernel_rows_.reset(m_, false, hint);
  col_head_.assign(m_ + 1, -1);
  row_head_.assign(m_ + 1, -1);
  col_next_.resize(m_);
  col_prev_.resize(m_);
  row_next_.resize(m_);
  row_prev_.resize(m_);
  kernel_col_max_.assign(m_, -1.0);
  multiplier_.resize(m_);
  seen_.assign(m_, 0);
  for (int32_t p = 0; p < m_; p++) {
    if (col_done_[p]) continue;
    kernel_cols_.reserve(p, col_count_[p]);
    for (int32_t k = bcol_start_[p]; k < bcol_start_[p + 1]; k++) {
      int32_t i = bcol_index_[k];
      if (!row_done_[i]) kernel_cols_.append(p, i, bcol_value_[k]);
    }
    bucket_insert_col(p);
  }
  for (int32_t i = 0; i < m_; i++) {
    if (row_done_[i]) continue;
    kernel_rows_.reserve(i, row_count_[i]);
    for (int32_t k = brow_start_[i]; k < brow_start_[i + 1]; k++) {
      int32_t p = brow_index_[k];
      if (!col_done_[p]) kernel_rows_.append(i, p);
    }
    bucket_insert_row(i);
  }
}

void BasisFactor::factorize_kernel() {
  if (int32_t(pivot_row_.size()) + int32_t(dependent_cols_.size()) == m_) return;
  load_kernel();
  int32_t row, col;
  while (!kernel_is_dense() && choose_kernel_pivot(row, col)) eliminate_kernel_pivot(row, col);
  if (kernel_cols_left_ > 0) factorize_dense_tail();
}

bool BasisFactor::kernel_is_dense() const {
  int64_t left = kernel_cols_left_;
  return left >= kDenseMinimum && left <= kDenseMaximum && kernel_entries_ >= kDenseFraction * double(left * left);
}

double BasisFactor::kernel_column_max(int32_t col) {
  double& cached = kernel_col_max_[col];
  if (cached < 0.0) {
    cached = 0.0;
    const double* v = kernel_cols_.value.data() + kernel_cols_.start[col];
    for (int32_t k = 0, len = kernel_cols_.length[col]; k < len; k++) cached = std::max(cached, std::fabs(v[k]));
  }
  return cached;
}

void BasisFactor::drop_dependent_column(int32_t col) {
  bucket_remove_col(col);
  for (int32_t k = 0; k < kernel_cols_.length[col]; k++) {
    int32_t i = kernel_cols_.index[kernel_cols_.start[col] + k];
    bucket_remove_row(i);
    kernel_rows_.erase(i, col);
    bucket_insert_row(i);
  }
  kernel_entries_ -= kernel_cols_.length[col];
  kernel_cols_.length[col] = 0;
  kernel_cols_left_--;
  col_done_[col] = 1;
  dependent_cols_.push_back(col);
}

// Markowitz: minimise (row count - 1) * (column count - 1) over entries that
// pass the threshold test |a| >= threshold * max |column|, looking at columns
// and rows in increasing count and stopping after search_limit_ of them (or
// when no unexamined entry can be cheaper). Ties go to the larger entry.
bool BasisFactor::choose_kernel_pivot(int32_t& pivot_row, int32_t& pivot_col) {
  while (col_head_[0] >= 0) drop_dependent_column(col_head_[0]);
  while (row_head_[0] >= 0) bucket_remove_row(row_head_[0]);  // empty: stays unpivoted
  pivot_row = pivot_col = -1;
  int64_t best_cost = std::numeric_limits<int64_t>::max();
  double best_size = 0.0;
  int32_t examined = 0;
  auto consider = [&](int32_t row, int32_t col, double size, int64_t cost) {
    if (cost < best_cost || (cost == best_cost && size > best_size)) {
      best_cost = cost;
      best_size = size;
      pivot_row = row;
      pivot_col = col;
    }
  };
  for (int64_t count = 1; count <= m_; count++) {
    for (int32_t col = col_head_[count]; col >= 0;) {
      int32_t next = col_next_[col];
      double largest = kernel_column_max(col);
      if (largest <= kSingularTolerance * bcol_max_[col]) {
        drop_dependent_column(col);
        col = next;
        continue;
      }
      int64_t start = kernel_cols_.start[col];
      for (int32_t k = 0; k < kernel_cols_.length[col]; k++) {
        double size = std::fabs(kernel_cols_.value[start + k]);
        if (size < pivot_threshold_ * largest) continue;
        int32_t row = kernel_cols_.index[start + k];
        consider(row, col, size, int64_t(row_count_[row] - 1) * (count - 1));
      }
      examined++;
      if (pivot_col >= 0 && (examined >= search_limit_ || best_cost <= (count - 1) * (count - 1))) return true;
      col = next;
    }
    for (int32_t row = row_head_[count]; row >= 0; row = row_next_[row]) {
      int64_t start = kernel_rows_.start[row];
      for (int32_t k = 0; k < kernel_rows_.length[row]; k++) {
        int32_t col = kernel_rows_.index[start + k];
        double largest = kernel_column_max(col);
        if (largest <= kSingularTolerance * bcol_max_[col]) continue;  // dropped when its count comes up
        int32_t at = kernel_cols_.find(col, row);
        double size = std::fabs(kernel_cols_.value[kernel_cols_.start[col] + at]);
        if (size < pivot_threshold_ * largest) continue;
        consider(row, col, size, (count - 1) * int64_t(col_count_[col] - 1));
      }
      examined++;
      if (pivot_col >= 0 && (examined >= search_limit_ || best_cost <= count * (count - 1))) return true;
    }
  }
  return pivot_col >= 0;
}

void BasisFactor::eliminate_kernel_pivot(int32_t pivot_row, int32_t pivot_col) {
  ListStore& cols = kernel_cols_;
  ListStore& rows = kernel_rows_;
  const double pivot = cols.value[cols.start[pivot_col] + cols.find(pivot_col, pivot_row)];
  bucket_remove_col(pivot_col);
  bucket_remove_row(pivot_row);
  record_pivot(pivot_row, pivot_col, pivot);
  row_done_[pivot_row] = 1;
  col_done_[pivot_col] = 1;
  kernel_cols_left_--;
  kernel_entries_ -= cols.length[pivot_col] + rows.length[pivot_row] - 1;

  // Pivot column -> L eta; its rows lose the pivot column.
  const int32_t l_begin = int32_t(l_index_.size());
  l_pivot_row_.push_back(pivot_row);
  for (int32_t k = 0; k < cols.length[pivot_col]; k++) {
    int64_t at = cols.start[pivot_col] + k;
    int32_t i = cols.index[at];
    if (i == pivot_row) continue;
    double l = cols.value[at] / pivot;
    multiplier_[i] = l;
    seen_[i] = 1;
    l_index_.push_back(i);
    l_value_.push_back(l);
    bucket_remove_row(i);
    rows.erase(i, pivot_col);
  }
  const int32_t l_end = int32_t(l_index_.size());
  l_start_.push_back(l_end);
  cols.length[pivot_col] = 0;

  // Pivot row -> U row; its columns lose the pivot row.
  const int32_t u_begin = int32_t(urow_position_.size());
  for (int32_t k = 0; k < rows.length[pivot_row]; k++) {
    int32_t q = rows.index[rows.start[pivot_row] + k];
    if (q == pivot_col) continue;
    int32_t at = cols.find(q, pivot_row);
    urow_position_.push_back(q);
    urow_value_.push_back(cols.value[cols.start[q] + at]);
    bucket_remove_col(q);
    cols.remove_at(q, at);
  }
  const int32_t u_end = int32_t(urow_position_.size());
  rows.length[pivot_row] = 0;

  // Schur complement: column q -= (its pivot row entry) * multipliers.
  const int32_t multipliers = l_end - l_begin;
  for (int32_t u = u_begin; u < u_end; u++) {
    const int32_t q = urow_position_[u];
    const double a_rq = urow_value_[u];
    if (multipliers > 0) {
      cols.reserve(q, cols.length[q] + multipliers);
      // Existing entries first (backwards, so removals do not skip any).
      for (int32_t k = cols.length[q] - 1; k >= 0; k--) {
        int64_t at = cols.start[q] + k;
        int32_t i = cols.index[at];
        if (seen_[i] != 1) continue;
        seen_[i] = 2;
        double a = cols.value[at] - multiplier_[i] * a_rq;
        if (std::fabs(a) <= kDropTolerance) {
          cols.remove_at(q, k);
          rows.erase(i, q);
          kernel_entries_--;
        } else {
          cols.value[at] = a;
        }
      }
      // Then fill-in where q had no entry.
      for (int32_t k = l_begin; k < l_end; k++) {
        int32_t i = l_index_[k];
        if (seen_[i] == 2) {
          seen_[i] = 1;
          continue;
        }
        double a = -multiplier_[i] * a_rq;
        if (std::fabs(a) <= kDropTolerance) continue;
        cols.append(q, i, a);
        rows.append(i, q);
        kernel_entries_++;
      }
    }
    kernel_col_max_[q] = -1.0;
    bucket_insert_col(q);
  }
  for (int32_t k = l_begin; k < l_end; k++) {
    int32_t i = l_index_[k];
    seen_[i] = 0;
    bucket_insert_row(i);
  }
}

// The rest of the kernel as a dense matrix: Gaussian elimination with partial
// pivoting, columns taken sparsest first; a column whose largest remaining
// entry is negligible is dependent.
void BasisFactor::factorize_dense_tail() {
  dense_rows_.clear();
  dense_cols_.clear();
  std::vector<int32_t>& local_row = seen_;  // free now; all zero
  for (int32_t i = 0; i < m_; i++) {
    if (row_done_[i] || kernel_rows_.length[i] == 0) continue;
    local_row[i] = int32_t(dense_rows_.size());
    dense_rows_.push_back(i);
  }
  for (int32_t count = 0; count <= m_; count++)
    for (int32_t col = col_head_[count]; col >= 0; col = col_next_[col]) dense_cols_.push_back(col);
  const int32_t nr = int32_t(dense_rows_.size()), nc = int32_t(dense_cols_.size());
  dense_.assign(size_t(nr) * nc, 0.0);
  for (int32_t j = 0; j < nc; j++) {
    int32_t col = dense_cols_[j];
    int64_t start = kernel_cols_.start[col];
    for (int32_t k = 0; k < kernel_cols_.length[col]; k++)
      dense_[size_t(j) * nr + local_row[kernel_cols_.index[start + k]]] = kernel_cols_.value[start + k];
  }
  for (int32_t i : dense_rows_) local_row[i] = 0;

  int32_t k = 0;  // rows [0, k) of the dense matrix are pivoted
  for (int32_t j = 0; j < nc; j++) {
    double* column = dense_.data() + size_t(j) * nr;
    const int32_t position = dense_cols_[j];
    int32_t best = -1;
    double largest = 0.0;
    for (int32_t i = k; i < nr; i++) {
      if (std::fabs(column[i]) > largest) {
        largest = std::fabs(column[i]);
        best = i;
      }
    }
    col_done_[position] = 1;
    if (best < 0 || largest <= kSingularTolerance * bcol_max_[position]) {
      dependent_cols_.push_back(position);
      continue;
    }
    if (best != k) {  // swap rows k and best in the columns still to come
      std::swap(dense_rows_[k], dense_rows_[best]);
      for (int32_t jj = j; jj < nc; jj++) std::swap(dense_[size_t(jj) * nr + k], dense_[size_t(jj) * nr + best]);
    }
    const double pivot = column[k];
    const int32_t pivot_row = dense_rows_[k];
    record_pivot(pivot_row, position, pivot);
    row_done_[pivot_row] = 1;
    l_pivot_row_.push_back(pivot_row);
    for (int32_t i = k + 1; i < nr; i++) {
      double l = column[i] / pivot;
      column[i] = l;
      if (std::fabs(l) <= kDropTolerance) continue;
      l_index_.push_back(dense_rows_[i]);
      l_value_.push_back(l);
    }
    l_start_.push_back(int32_t(l_index_.size()));
    for (int32_t jj = j + 1; jj < nc; jj++) {
      double* target = dense_.data() + size_t(jj) * nr;
      const double u = target[k];
      if (std::fabs(u) <= kDropTolerance) continue;
      urow_position_.push_back(dense_cols_[jj]);
      urow_value_.push_back(u);
      for (int32_t i = k + 1; i < nr; i++) target[i] -= column[i] * u;
    }
    k++;
  }
  kernel_cols_left_ = 0;
}

// ------------------------------------------------------- repair & assembly

// Pair the dependent positions with the rows left without a pivot and put
// those rows' logicals in.
void BasisFactor::replace_dependent_columns(std::vector<int32_t>& basic) {
  std::vector<int32_t>& free_rows = stack_;
  free_rows.clear();
  for (int32_t i = 0; i < m_; i++)
    if (!row_done_[i]) free_rows.push_back(i);
  if (free_rows.size() != dependent_cols_.size())
    throw std::logic_error("BasisFactor: unpivoted rows and dependent columns do not pair up");
  std::sort(dependent_cols_.begin(), dependent_cols_.end());
  for (size_t k = 0; k < free_rows.size(); k++) {
    int32_t position = dependent_cols_[k];
    int32_t logical = n_ + free_rows[k];
    // A position replaced in an earlier pass keeps one entry, from its
    // original variable.
    auto earlier = std::find_if(replaced_.begin(), replaced_.end(),
                                [&](const Replaced& r) { return r.position == position; });
    if (earlier == replaced_.end()) {
      replaced_.push_back({position, basic[position], logical});
    } else if (earlier->old_var == logical) {
      replaced_.erase(earlier);
    } else {
      earlier->new_var = logical;
    }
    basic[position] = logical;
  }
}

void BasisFactor::assemble_factors() {
  urow_start_.push_back(int32_t(urow_position_.size()));
  row_of_position_.assign(m_, -1);
  position_of_row_.assign(m_, -1);
  u_pivot_.assign(m_, 0.0);
  u_order_.assign(pivot_row_.begin(), pivot_row_.end());
  u_order_.reserve(m_ + update_limit_);
  u_order_of_row_.assign(m_, -1);
  for (int32_t k = 0; k < m_; k++) {
    int32_t row = pivot_row_[k];
    row_of_position_[pivot_position_[k]] = row;
    position_of_row_[row] = pivot_position_[k];
    u_pivot_[row] = pivot_value_[k];
    u_order_of_row_[row] = k;
  }

  // U by rows and by columns, both keyed by pivot rows. Small spare room for
  // the entries that updates add.
  const int64_t u_hint = int64_t(urow_position_.size()) * 5 / 4 + 4 * int64_t(m_) + 1024;
  u_rows_.reset(m_, true, u_hint);
  u_cols_.reset(m_, true, u_hint);
  std::vector<int32_t>& col_length = stack_;
  col_length.assign(m_, 0);
  for (int32_t k = 0; k < m_; k++) {
    u_rows_.reserve(pivot_row_[k], urow_start_[k + 1] - urow_start_[k]);
    for (int32_t u = urow_start_[k]; u < urow_start_[k + 1]; u++) col_length[row_of_position_[urow_position_[u]]]++;
  }
  for (int32_t r = 0; r < m_; r++) u_cols_.reserve(r, col_length[r]);
  for (int32_t k = 0; k < m_; k++) {
    int32_t row = pivot_row_[k];
    for (int32_t u = urow_start_[k]; u < urow_start_[k + 1]; u++) {
      int32_t col_row = row_of_position_[urow_position_[u]];
      u_rows_.append(row, col_row, urow_value_[u]);
      u_cols_.append(col_row, row, urow_value_[u]);
    }
  }

  // L by rows, for BTRAN.
  const int32_t etas = int32_t(l_pivot_row_.size());
  l_order_of_row_.assign(m_, -1);
  for (int32_t k = 0; k < etas; k++) l_order_of_row_[l_pivot_row_[k]] = k;
  lrow_start_.assign(m_ + 1, 0);
  for (int32_t i : l_index_) lrow_start_[i + 1]++;
  for (int32_t i = 0; i < m_; i++) lrow_start_[i + 1] += lrow_start_[i];
  lrow_index_.resize(l_index_.size());
  lrow_value_.resize(l_index_.size());
  std::vector<int32_t>& fill = col_length;
  fill.assign(lrow_start_.begin(), lrow_start_.end() - 1);
  for (int32_t k = 0; k < etas; k++) {
    for (int32_t e = l_start_[k]; e < l_start_[k + 1]; e++) {
      int32_t at = fill[l_index_[e]]++;
      lrow_index_[at] = l_pivot_row_[k];
      lrow_value_[at] = l_value_[e];
    }
  }

  r_pivot_row_.clear();
  r_start_.assign(1, 0);
  r_index_.clear();
  r_value_.clear();
  updates_ = 0;
  spike_.clear();
  spike_valid_ = false;
  factorized_ = true;
}

}  // namespace satmip::lp
