#include "mip/node_state.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace satmip::mip {
namespace {

bool at(double value, double bound) {
  return std::isfinite(bound) && std::fabs(value - bound) <= 1e-6 * std::max(1.0, std::fabs(bound));
}

// The buffer to fill: reused unless someone else still holds it (then its
// memory and values stay theirs).
template <class T>
std::vector<T>& writable(std::shared_ptr<std::vector<T>>& buffer, std::size_t size) {
  if (!buffer || buffer.use_count() > 1) buffer = std::make_shared<std::vector<T>>();
  buffer->resize(size);
  return *buffer;
}

}  // namespace

void NodeState::record_incumbent(const std::vector<double>& x) {
  if (incumbent_sum_.size() < x.size()) incumbent_sum_.resize(x.size(), 0.0);
  for (std::size_t j = 0; j < x.size(); ++j) incumbent_sum_[j] += x[j];
  ++incumbents_;
}

void NodeState::hold_solution(const lp::LpSolver& lp) {
  held_x_ = lp.x();
  held_reduced_cost_ = lp.reduced_cost();
  held_activity_ = lp.row_activity();
  held_dual_ = lp.row_dual();
  lp.get_basis(held_basis_cols_, basis_rows_);
}

NodeStateArrays NodeState::snapshot() const {
  return {rows_, cols_, static_builds_, row_features_, edge_row_ptr_, edge_col_, edge_values_, col_features_};
}

void NodeState::build_static(const NodeStateInput& in) {
  const lp::Model& lp_model = in.lp.model();
  const lp::SparseMatrix& A = lp_model.A;
  const int32_t m = A.rows, n = A.cols;
  const int64_t nnz = A.start[n];
  double objective_norm = 0;
  for (int32_t j = 0; j < n; ++j) objective_norm += lp_model.cost[j] * lp_model.cost[j];
  objective_norm_ = std::sqrt(objective_norm);
  const double objective_scale = objective_norm_ > 0 ? 1.0 / objective_norm_ : 1.0;

  // CSR of the LP's rows (it stores columns), with row norms and row . c on the
  // way. New buffers each time: the old ones stay with the snapshots holding them.
  auto row_ptr = std::make_shared<std::vector<int64_t>>(std::size_t(m) + 1, 0);
  auto edge_col = std::make_shared<std::vector<int32_t>>(std::size_t(nnz));
  auto edge_values = std::make_shared<std::vector<double>>(std::size_t(nnz) * kEdgeFeatureCount);
  std::vector<double> row_norm(m, 0.0), row_objective_dot(m, 0.0);
  std::vector<int64_t> fill(std::size_t(m) + 1, 0);
  for (int64_t k = 0; k < nnz; ++k) ++fill[A.index[k] + 1];
  for (int32_t i = 0; i < m; ++i) fill[i + 1] += fill[i];
  std::copy(fill.begin(), fill.end(), row_ptr->begin());
  for (int32_t j = 0; j < n; ++j) {
    const double c = in.sense * lp_model.cost[j];
    for (int64_t k = A.start[j]; k < A.start[j + 1]; ++k) {
      const int32_t i = A.index[k];
      const double a = A.value[k];
      const int64_t slot = fill[i]++;
      (*edge_col)[slot] = j;
      (*edge_values)[slot] = a;
      row_norm[i] += a * a;
      row_objective_dot[i] += a * c;
    }
  }
  row_static_.assign(std::size_t(m) * kRowStaticCount, 0.0);
  row_scale_.assign(m, 1.0);
  for (int32_t i = 0; i < m; ++i) {
    const double norm = std::sqrt(row_norm[i]), scale = norm > 0 ? 1.0 / norm : 1.0;
    row_scale_[i] = scale;
    for (int64_t k = (*row_ptr)[i]; k < (*row_ptr)[i + 1]; ++k) (*edge_values)[k] *= scale;
    const double lower = lp_model.row_lower[i], upper = lp_model.row_upper[i];
    double* f = &row_static_[std::size_t(i) * kRowStaticCount];
    f[kRowObjCosine] = norm > 0 && objective_norm_ > 0 ? row_objective_dot[i] / (norm * objective_norm_) : 0.0;
    f[kRowHasLower] = std::isfinite(lower);
    f[kRowHasUpper] = std::isfinite(upper);
    f[kRowBiasLower] = std::isfinite(lower) ? lower * scale : 0.0;
    f[kRowBiasUpper] = std::isfinite(upper) ? upper * scale : 0.0;
  }
  col_static_.assign(std::size_t(n) * kColStaticCount, 0.0);
  for (int32_t j = 0; j < n; ++j) {
    double* f = &col_static_[std::size_t(j) * kColStaticCount];
    const bool integer = in.integer[j] != 0;
    const bool binary = integer && in.global_lower[j] >= 0 && in.global_upper[j] <= 1;
    f[kColBinary] = binary;
    f[kColInteger] = integer && !binary;
    f[kColContinuous] = !integer;
    f[kColObjective] = in.sense * lp_model.cost[j] * objective_scale;
  }
  edge_row_ptr_ = std::move(row_ptr);
  edge_col_ = std::move(edge_col);
  edge_values_ = std::move(edge_values);
  static_revision_ = in.lp.revision();
  ++static_builds_;
}

void NodeState::build(const NodeStateInput& in, bool held) {
  const auto start = std::chrono::steady_clock::now();
  const lp::Model& lp_model = in.lp.model();
  const int32_t m = lp_model.A.rows, n = lp_model.A.cols;
  // The matrix, row sides and costs change only when the LP's revision does
  // (root cuts, the pump's costs): until then the static part is reused.
  if (static_builds_ == 0 || in.lp.revision() != static_revision_ || m != rows_ || n != cols_) build_static(in);
  rows_ = m;
  cols_ = n;
  // A held solution of another LP shape (rows added since) cannot describe these rows.
  held = held && held_activity_.size() == std::size_t(m) && held_x_.size() == std::size_t(n);
  ++builds_;
  const double age_scale = 1.0 / double(builds_ + 5);
  const double objective_scale = objective_norm_ > 0 ? 1.0 / objective_norm_ : 1.0;

  if (held) basis_cols_ = held_basis_cols_;
  else in.lp.get_basis(basis_cols_, basis_rows_);

  // Rows added since the last build start at age 0 (cuts: "since added").
  row_age_.resize(m, 0);
  const std::vector<double>& activity = held ? held_activity_ : in.lp.row_activity();
  const std::vector<double>& dual = held ? held_dual_ : in.lp.row_dual();
  std::vector<double>& rf = writable(row_features_, std::size_t(m) * kRowFeatureCount);
  for (int32_t i = 0; i < m; ++i) {
    double* f = &rf[std::size_t(i) * kRowFeatureCount];
    std::copy_n(&row_static_[std::size_t(i) * kRowStaticCount], kRowStaticCount, f);
    const double scale = row_scale_[i];
    const double lower = lp_model.row_lower[i], upper = lp_model.row_upper[i];
    f[kRowTightLower] = at(activity[i], lower);
    f[kRowTightUpper] = at(activity[i], upper);
    f[kRowDual] = in.sense * dual[i] * scale * objective_scale;
    row_age_[i] = f[kRowTightLower] != 0 || f[kRowTightUpper] != 0 ? 0 : row_age_[i] + 1;
    f[kRowAge] = double(row_age_[i]) * age_scale;
  }

  col_age_.resize(n, 0);
  const std::vector<double>& x = held ? held_x_ : in.lp.x();
  const std::vector<double>& reduced_cost = held ? held_reduced_cost_ : in.lp.reduced_cost();
  const bool has_incumbent = !in.incumbent.empty();
  const double average_scale = incumbents_ > 0 ? 1.0 / double(incumbents_) : 0.0;
  std::vector<double>& cf = writable(col_features_, std::size_t(n) * kColFeatureCount);
  for (int32_t j = 0; j < n; ++j) {
    double* f = &cf[std::size_t(j) * kColFeatureCount];
    std::copy_n(&col_static_[std::size_t(j) * kColStaticCount], kColStaticCount, f);
    const bool integer = in.integer[j] != 0;
    const double lower = in.node_lower[j], upper = in.node_upper[j];
    f[kColHasLower] = std::isfinite(lower);
    f[kColHasUpper] = std::isfinite(upper);
    f[kColAtLower] = at(x[j], lower);
    f[kColAtUpper] = at(x[j], upper);
    const double fraction = x[j] - std::floor(x[j]);
    f[kColFractionality] = integer ? std::min(fraction, 1.0 - fraction) : 0.0;
    const lp::BasisStatus status = basis_cols_[j];
    f[kColBasisLower] = status == lp::BasisStatus::kAtLower || status == lp::BasisStatus::kFixed;
    f[kColBasisBasic] = status == lp::BasisStatus::kBasic;
    f[kColBasisUpper] = status == lp::BasisStatus::kAtUpper;
    f[kColBasisZero] = status == lp::BasisStatus::kFree;
    f[kColReducedCost] = in.sense * reduced_cost[j] * objective_scale;
    col_age_[j] = status == lp::BasisStatus::kBasic ? 0 : col_age_[j] + 1;
    f[kColAge] = double(col_age_[j]) * age_scale;
    f[kColLpValue] = x[j];
    f[kColIncumbent] = has_incumbent ? in.incumbent[j] : 0.0;
    f[kColAverageIncumbent] = j < int32_t(incumbent_sum_.size()) ? incumbent_sum_[j] * average_scale : 0.0;
    f[kColPseudocostDown] = integer ? in.pseudocosts.estimate(j, false) : 0.0;
    f[kColPseudocostUp] = integer ? in.pseudocosts.estimate(j, true) : 0.0;
    f[kColPseudocostCountDown] = integer ? double(in.pseudocosts.observations(j, false)) : 0.0;
    f[kColPseudocostCountUp] = integer ? double(in.pseudocosts.observations(j, true)) : 0.0;
  }
  build_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace satmip::mip
