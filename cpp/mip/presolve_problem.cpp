#include "mip/presolve_problem.hpp"

#include <cmath>

namespace satmip::mip {

double RowActivity::min_without(double a, double lower, double upper) const {
  double own = a > 0 ? a * lower : a * upper;
  if (std::isinf(own)) return min_infinite == 1 ? min_finite : -kInf;
  return min_infinite ? -kInf : min_finite - own;
}

double RowActivity::max_without(double a, double lower, double upper) const {
  double own = a > 0 ? a * upper : a * lower;
  if (std::isinf(own)) return max_infinite == 1 ? max_finite : kInf;
  return max_infinite ? kInf : max_finite - own;
}

PresolveProblem::PresolveProblem(const lp::Model& m)
    : sense(m.sense),
      offset(m.offset),
      cost(m.cost),
      col_lower(m.col_lower),
      col_upper(m.col_upper),
      row_lower(m.row_lower),
      row_upper(m.row_upper),
      postsolve(m.A.cols) {
  const size_t nrows = size_t(m.A.rows), ncols = size_t(m.A.cols);
  integer = m.integer;
  integer.resize(ncols, 0);
  by_row.resize(nrows);
  by_col.resize(ncols);
  for (size_t j = 0; j < ncols; ++j)
    for (int64_t p = m.A.start[j]; p < m.A.start[j + 1]; ++p) {
      if (m.A.value[size_t(p)] == 0.0) continue;
      by_col[j].push_back({m.A.index[size_t(p)], m.A.value[size_t(p)]});
      by_row[size_t(m.A.index[size_t(p)])].push_back({int32_t(j), m.A.value[size_t(p)]});
    }
  row_active.assign(nrows, 1);
  col_active.assign(ncols, 1);
  row_size.resize(nrows);
  col_size.resize(ncols);
  for (size_t i = 0; i < nrows; ++i) row_size[i] = int32_t(by_row[i].size());
  for (size_t j = 0; j < ncols; ++j) col_size[j] = int32_t(by_col[j].size());
  // Integer columns start with integral bounds so that every rule can rely on it.
  for (size_t j = 0; j < ncols; ++j) {
    if (!integer[j]) continue;
    if (std::isfinite(col_lower[j])) col_lower[j] = std::ceil(col_lower[j] - kIntegralityTolerance);
    if (std::isfinite(col_upper[j])) col_upper[j] = std::floor(col_upper[j] + kIntegralityTolerance);
  }
  for (int32_t j = 0; j < cols(); ++j) {
    if (col_lower[size_t(j)] == kInf || col_upper[size_t(j)] == -kInf) infeasible = true;  // no value fits
    resolve_crossing(j);
  }
  // Row bounds crossing within tolerance meet in the middle, like column bounds.
  for (size_t i = 0; i < nrows; ++i) {
    if (row_lower[i] <= row_upper[i]) continue;
    if (row_lower[i] > row_upper[i] + feasibility_slack(row_upper[i])) infeasible = true;
    row_lower[i] = row_upper[i] = 0.5 * (row_lower[i] + row_upper[i]);
  }
}

RowActivity PresolveProblem::activity(int32_t row) const {
  RowActivity act;
  for (const MatrixEntry& e : by_row[size_t(row)]) {
    if (!col_active[size_t(e.index)]) continue;
    const double lo = col_lower[size_t(e.index)], up = col_upper[size_t(e.index)];
    const double at_min = e.value > 0 ? lo : up, at_max = e.value > 0 ? up : lo;
    if (std::isinf(at_min)) {
      ++act.min_infinite;
    } else {
      act.min_finite += e.value * at_min;
      act.magnitude += std::abs(e.value * at_min);
    }
    if (std::isinf(at_max)) {
      ++act.max_infinite;
    } else {
      act.max_finite += e.value * at_max;
      act.magnitude += std::abs(e.value * at_max);
    }
  }
  return act;
}

void PresolveProblem::fix_column(int32_t j, double value) {
  for (const MatrixEntry& e : by_col[size_t(j)]) {
    const size_t i = size_t(e.index);
    if (!row_active[i]) continue;
    const double shift = e.value * value;
    if (std::isfinite(row_lower[i])) row_lower[i] -= shift;
    if (std::isfinite(row_upper[i])) row_upper[i] -= shift;
    --row_size[i];
  }
  offset += cost[size_t(j)] * value;
  col_active[size_t(j)] = 0;
  postsolve.record_fixed(j, value);
  ++stats.cols_removed;
}

void PresolveProblem::remove_row(int32_t i) {
  for (const MatrixEntry& e : by_row[size_t(i)])
    if (col_active[size_t(e.index)]) --col_size[size_t(e.index)];
  row_active[size_t(i)] = 0;
  ++stats.rows_removed;
}

void PresolveProblem::remove_merged_column(int32_t removed) {
  for (const MatrixEntry& e : by_col[size_t(removed)])
    if (row_active[size_t(e.index)]) --row_size[size_t(e.index)];
  col_active[size_t(removed)] = 0;
  ++stats.cols_removed;
}

// Bounds that cross by less than the feasibility tolerance meet in the middle
// (integer columns keep integral bounds); a larger crossing is infeasibility.
bool PresolveProblem::resolve_crossing(int32_t j) {
  double& lo = col_lower[size_t(j)];
  double& up = col_upper[size_t(j)];
  if (lo <= up) return true;
  if (is_integer(j) || lo > up + feasibility_slack(up)) {
    infeasible = true;
    return false;
  }
  lo = up = 0.5 * (lo + up);
  return true;
}

bool PresolveProblem::tighten_lower(int32_t j, double value) {
  if (is_integer(j)) value = std::ceil(value - kIntegralityTolerance);
  if (!(value > col_lower[size_t(j)])) return false;
  col_lower[size_t(j)] = value;
  ++stats.bounds_tightened;
  resolve_crossing(j);
  return true;
}

bool PresolveProblem::tighten_upper(int32_t j, double value) {
  if (is_integer(j)) value = std::floor(value + kIntegralityTolerance);
  if (!(value < col_upper[size_t(j)])) return false;
  col_upper[size_t(j)] = value;
  ++stats.bounds_tightened;
  resolve_crossing(j);
  return true;
}

void PresolveProblem::set_coefficient(int32_t row, int32_t col, double value) {
  for (MatrixEntry& e : by_row[size_t(row)])
    if (e.index == col) e.value = value;
  for (MatrixEntry& e : by_col[size_t(col)])
    if (e.index == row) e.value = value;
}

lp::Model PresolveProblem::reduced_model(const lp::Model& original) const {
  lp::Model m;
  m.name = original.name;
  m.objective_name = original.objective_name;
  m.sense = sense;
  m.offset = offset;
  std::vector<int32_t> new_row(size_t(rows()), -1);
  for (int32_t i = 0; i < rows(); ++i) {
    if (!row_active[size_t(i)]) continue;
    new_row[size_t(i)] = int32_t(m.row_lower.size());
    m.row_lower.push_back(row_lower[size_t(i)]);
    m.row_upper.push_back(row_upper[size_t(i)]);
    if (size_t(i) < original.row_names.size()) m.row_names.push_back(original.row_names[size_t(i)]);
  }
  m.A.start.push_back(0);
  for (int32_t j = 0; j < cols(); ++j) {
    if (!col_active[size_t(j)]) continue;
    m.cost.push_back(cost[size_t(j)]);
    m.col_lower.push_back(col_lower[size_t(j)]);
    m.col_upper.push_back(col_upper[size_t(j)]);
    m.integer.push_back(integer[size_t(j)]);
    if (size_t(j) < original.col_names.size()) m.col_names.push_back(original.col_names[size_t(j)]);
    for (const MatrixEntry& e : by_col[size_t(j)]) {
      if (!row_active[size_t(e.index)]) continue;
      m.A.index.push_back(new_row[size_t(e.index)]);
      m.A.value.push_back(e.value);
    }
    m.A.start.push_back(int64_t(m.A.index.size()));
  }
  m.A.rows = int32_t(m.row_lower.size());
  m.A.cols = int32_t(m.cost.size());
  return m;
}

}  // namespace satmip::mip
