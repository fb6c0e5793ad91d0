// BasisFactor: Forrest–Tomlin update (see basis_factor.hpp).
//
// With B = L R^-1 U (row space, R the product of earlier row etas), the
// entering column a_q replaces the leaving pivot's U column by the spike
// s = R L^-1 a_q. Moving that pivot (row r) to the end of the pivot sequence
// leaves U triangular except for row r, whose old off-diagonal entries are
// eliminated with the rows after it: row r -= sum eta_j * row j, where eta
// solves the partial system eta^T U_tail = (row r of U) — a U^T solve from row
// r. The new pivot is s_r - eta.s, which must equal u_rr * alpha with alpha
// the FTRAN'd column's entry at the leaving position (determinant identity);
// the mismatch is the accuracy check.
#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "lp/basis_factor.hpp"

namespace satmip::lp {
namespace {

constexpr double kKeptZero = 1e-50;  // see lu_solve.cpp

inline int64_t heap_entry(int32_t key, int32_t row) { return (int64_t(key) << 32) | uint32_t(row); }

}  // namespace

bool BasisFactor::update(int32_t pos, const SparseVector& column) {
  if (!factorized_) throw std::logic_error("BasisFactor::update without a factorisation");
  if (pos < 0 || pos >= m_ || column.dim != m_) throw std::invalid_argument("BasisFactor::update: bad position or column");
  const bool have_spike = spike_valid_;
  spike_valid_ = false;
  const double alpha = column.array[pos];
  if (updates_ >= update_limit_ || alpha == 0.0 || !std::isfinite(alpha)) {
    spike_.clear();
    return false;
  }
  const int32_t r = row_of_position_[pos];

  // Without a saved spike, rebuild it as U w (w = the column in row space):
  // the same vector up to the FTRAN's rounding.
  if (!have_spike) {
    spike_.clear();
    auto add_column = [&](int32_t p) {
      double w = column.array[p];
      if (w == 0.0) return;
      int32_t row = row_of_position_[p];
      double& diagonal = spike_.array[row];
      if (diagonal == 0.0) spike_.index[spike_.count++] = row;
      diagonal += u_pivot_[row] * w;
      if (diagonal == 0.0) diagonal = kKeptZero;
      const int64_t start = u_cols_.start[row];
      for (int32_t k = 0; k < u_cols_.length[row]; k++) {
        int32_t i = u_cols_.index[start + k];
        double& s = spike_.array[i];
        if (s == 0.0) spike_.index[spike_.count++] = i;
        s += u_cols_.value[start + k] * w;
        if (s == 0.0) s = kKeptZero;
      }
    };
    if (column.index_valid()) {
      for (int32_t k = 0; k < column.count; k++) add_column(column.index[k]);
    } else {
      for (int32_t p = 0; p < m_; p++) add_column(p);
    }
  }

  // Row eta: eliminate row r's off-diagonal U entries, in pivot order.
  eta_rows_.clear();
  eta_values_.clear();
  heap_.clear();
  {
    const int64_t start = u_rows_.start[r];
    for (int32_t k = 0; k < u_rows_.length[r]; k++) {
      int32_t j = u_rows_.index[start + k];
      eta_work_[j] = u_rows_.value[start + k];
      heap_.push_back(heap_entry(u_order_of_row_[j], j));
    }
  }
  std::make_heap(heap_.begin(), heap_.end(), std::greater<int64_t>());
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<int64_t>());
    int32_t j = int32_t(uint32_t(heap_.back()));
    heap_.pop_back();
    double eta = eta_work_[j] / u_pivot_[j];
    eta_work_[j] = 0.0;
    if (std::fabs(eta) <= kDropTolerance) continue;
    eta_rows_.push_back(j);
    eta_values_.push_back(eta);
    const int64_t start = u_rows_.start[j];
    for (int32_t k = 0; k < u_rows_.length[j]; k++) {
      int32_t target = u_rows_.index[start + k];
      double& y = eta_work_[target];
      if (y == 0.0) {
        heap_.push_back(heap_entry(u_order_of_row_[target], target));
        std::push_heap(heap_.begin(), heap_.end(), std::greater<int64_t>());
      }
      y -= eta * u_rows_.value[start + k];
      if (y == 0.0) y = kKeptZero;
    }
  }

  double new_pivot = spike_.array[r];
  double spike_max = 0.0;
  for (size_t k = 0; k < eta_rows_.size(); k++) new_pivot -= eta_values_[k] * spike_.array[eta_rows_[k]];
  for (int32_t k = 0; k < spike_.count; k++) spike_max = std::max(spike_max, std::fabs(spike_.array[spike_.index[k]]));
  const double expected = alpha * u_pivot_[r];
  const double mismatch = std::fabs(new_pivot - expected);
  if (!(mismatch <= kUpdateTolerance * std::max(std::fabs(new_pivot), std::fabs(expected))) ||
      std::fabs(new_pivot) <= kSingularTolerance * spike_max) {
    spike_.clear();
    return false;
  }

  // Old column r out of U (and out of the rows that held it).
  for (int32_t k = 0; k < u_cols_.length[r]; k++) u_rows_.erase(u_cols_.index[u_cols_.start[r] + k], r);
  u_cols_.length[r] = 0;
  // Old row r out of U (eliminated by the eta).
  for (int32_t k = 0; k < u_rows_.length[r]; k++) u_cols_.erase(u_rows_.index[u_rows_.start[r] + k], r);
  u_rows_.length[r] = 0;
  // The spike becomes column r, last in the pivot sequence.
  u_cols_.reserve(r, spike_.count);
  for (int32_t k = 0; k < spike_.count; k++) {
    int32_t i = spike_.index[k];
    double s = spike_.array[i];
    if (i == r || std::fabs(s) <= kDropTolerance) continue;
    u_cols_.append(r, i, s);
    u_rows_.append(i, r, s);
  }
  u_pivot_[r] = new_pivot;
  u_order_[u_order_of_row_[r]] = -1;
  u_order_of_row_[r] = int32_t(u_order_.size());
  u_order_.push_back(r);

  r_pivot_row_.push_back(r);
  r_index_.insert(r_index_.end(), eta_rows_.begin(), eta_rows_.end());
  r_value_.insert(r_value_.end(), eta_values_.begin(), eta_values_.end());
  r_start_.push_back(int32_t(r_index_.size()));

  spike_.clear();
  updates_++;
  return true;
}

double BasisFactor::fill_ratio() const {
  if (basis_entries_ == 0) return 1.0;
  double factor_entries =
      double(l_index_.size()) + double(u_cols_.entries()) + double(r_index_.size()) + double(m_);
  return factor_entries / double(basis_entries_);
}

}  // namespace satmip::lp
