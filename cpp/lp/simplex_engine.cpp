// Shared pieces of the simplex engine: loading, the slack basis, refactorisation
// with recomputation of primal and dual values, pivot rows, limits.
#include "lp/simplex_engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace satmip::lp {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

void SimplexEngine::load(const SparseMatrix& a, const std::vector<double>& c, const std::vector<double>& cl,
                         const std::vector<double>& cu, const std::vector<double>& rl,
                         const std::vector<double>& ru) {
  A = a;
  m = a.rows;
  n = a.cols;
  cost.assign(n + m, 0.0);
  lower.assign(n + m, 0.0);
  upper.assign(n + m, 0.0);
  for (int32_t j = 0; j < n; ++j) { cost[j] = c[j]; lower[j] = cl[j]; upper[j] = cu[j]; }
  for (int32_t i = 0; i < m; ++i) { lower[n + i] = rl[i]; upper[n + i] = ru[i]; }
  build_row_copy();
  factor.setup(A);
  factor_valid = false;
  rng_.seed(options.seed);
}

void SimplexEngine::build_row_copy() {
  row_start.assign(m + 1, 0);
  for (int64_t p = 0; p < A.start[n]; ++p) row_start[A.index[p] + 1]++;
  for (int32_t i = 0; i < m; ++i) row_start[i + 1] += row_start[i];
  row_col.resize(A.start[n]);
  row_val.resize(A.start[n]);
  std::vector<int64_t> fill(row_start.begin(), row_start.end() - 1);
  for (int32_t j = 0; j < n; ++j)
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
      int64_t q = fill[A.index[p]]++;
      row_col[q] = j;
      row_val[q] = A.value[p];
    }
}

void SimplexEngine::slack_basis() {
  basic.resize(m);
  status.assign(n + m, VarStatus::kAtLower);
  for (int32_t i = 0; i < m; ++i) { basic[i] = n + i; status[n + i] = VarStatus::kBasic; }
  for (int32_t j = 0; j < n; ++j) {
    if (lower[j] == upper[j]) status[j] = VarStatus::kFixed;
    else if (lower[j] > -kInf) status[j] = VarStatus::kAtLower;
    else if (upper[j] < kInf) status[j] = VarStatus::kAtUpper;
    else status[j] = VarStatus::kFree;
  }
  dse.assign(m, 1.0);
  have_basis = true;
  factor_valid = false;
}

bool SimplexEngine::basis_is_valid() const {
  if (int32_t(basic.size()) != m || int32_t(status.size()) != n + m) return false;
  int32_t count = 0;
  for (int32_t j = 0; j < n + m; ++j) count += status[j] == VarStatus::kBasic;
  if (count != m) return false;
  for (int32_t i = 0; i < m; ++i)
    if (basic[i] < 0 || basic[i] >= n + m || status[basic[i]] != VarStatus::kBasic) return false;
  return true;
}

VarStatus SimplexEngine::nonbasic_status_for(int32_t j, double dj) const {
  double lo = work_lower[j], up = work_upper[j];
  if (lo == up) return VarStatus::kFixed;
  if (lo == -kInf && up == kInf) return VarStatus::kFree;
  if (lo == -kInf) return VarStatus::kAtUpper;
  if (up == kInf) return VarStatus::kAtLower;
  return dj >= 0 ? VarStatus::kAtLower : VarStatus::kAtUpper;
}

void SimplexEngine::set_nonbasic_value(int32_t j) {
  switch (status[j]) {
    case VarStatus::kAtLower: x[j] = work_lower[j]; break;
    case VarStatus::kAtUpper: x[j] = work_upper[j]; break;
    case VarStatus::kFixed: x[j] = work_lower[j]; break;
    case VarStatus::kFree: x[j] = 0.0; break;
    case VarStatus::kBasic: break;
  }
}

void SimplexEngine::column(int32_t j, SparseVector& out) const {
  out.clear();
  if (j >= n) { out.set(j - n, -1.0); return; }
  for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) out.set(A.index[p], A.value[p]);
}

bool SimplexEngine::refactorize() {
  if (col_.dim != m) { col_.resize(m); rho_.resize(m); tau_.resize(m); rhs_.resize(m); }
  int dependent = factor.factorize(basic);
  if (dependent > 0) {
    for (const auto& rep : factor.replaced()) {
      if (rep.old_var >= 0 && rep.old_var < n + m && status[rep.old_var] == VarStatus::kBasic) {
        bool still_basic = false;
        for (int32_t i = 0; i < m; ++i) still_basic |= basic[i] == rep.old_var;
        if (!still_basic) {
          double v = x.empty() ? 0.0 : x[rep.old_var];
          VarStatus s;
          if (work_lower[rep.old_var] == work_upper[rep.old_var]) s = VarStatus::kFixed;
          else if (work_lower[rep.old_var] > -kInf && (work_upper[rep.old_var] == kInf ||
                   std::fabs(v - work_lower[rep.old_var]) <= std::fabs(v - work_upper[rep.old_var])))
            s = VarStatus::kAtLower;
          else if (work_upper[rep.old_var] < kInf) s = VarStatus::kAtUpper;
          else s = VarStatus::kFree;
          status[rep.old_var] = s;
          set_nonbasic_value(rep.old_var);
        }
      }
      status[rep.new_var] = VarStatus::kBasic;
      dse[rep.position] = 1.0;
    }
  }
  factor_valid = true;
  return true;
}

void SimplexEngine::compute_primal() {
  // B x_B = -N x_N
  rhs_.clear();
  std::vector<double>& r = rhs_.array;
  for (int32_t j = 0; j < n; ++j) {
    if (status[j] == VarStatus::kBasic || x[j] == 0.0) continue;
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) r[A.index[p]] -= A.value[p] * x[j];
  }
  for (int32_t i = 0; i < m; ++i)
    if (status[n + i] != VarStatus::kBasic) r[i] += x[n + i];
  for (int32_t i = 0; i < m; ++i) if (r[i] == 0.0) r[i] = 0.0;
  rhs_.rebuild_index();
  factor.ftran(rhs_);
  for (int32_t i = 0; i < m; ++i) x[basic[i]] = rhs_.array[i];
  rhs_.clear();
}

void SimplexEngine::compute_dual() {
  rhs_.clear();
  for (int32_t i = 0; i < m; ++i) rhs_.array[i] = work_cost[basic[i]];
  rhs_.rebuild_index();
  factor.btran(rhs_);
  y.assign(rhs_.array.begin(), rhs_.array.begin() + m);
  rhs_.clear();
  d.assign(n + m, 0.0);
  for (int32_t j = 0; j < n; ++j) {
    if (status[j] == VarStatus::kBasic) continue;
    double s = work_cost[j];
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) s -= A.value[p] * y[A.index[p]];
    d[j] = s;
  }
  for (int32_t i = 0; i < m; ++i)
    if (status[n + i] != VarStatus::kBasic) d[n + i] = work_cost[n + i] + y[i];
}

void SimplexEngine::pivot_row(const SparseVector& rho, std::vector<double>& alpha, std::vector<int32_t>& touched) {
  // alpha_j = rho . a_j for nonbasic j (logical n+i: -rho_i); dense alpha, touched lists the nonzeros
  for (int32_t j : touched) alpha[j] = 0.0;
  touched.clear();
  if (int32_t(alpha.size()) != n + m) alpha.assign(n + m, 0.0);
  if (rho.count * 4 < m) {
    for (int32_t k = 0; k < rho.count; ++k) {
      int32_t i = rho.index[k];
      double ri = rho.array[i];
      if (ri == 0.0) continue;
      for (int64_t p = row_start[i]; p < row_start[i + 1]; ++p) {
        int32_t j = row_col[p];
        if (alpha[j] == 0.0) touched.push_back(j);
        alpha[j] += ri * row_val[p];
        if (alpha[j] == 0.0) alpha[j] = 1e-300;
      }
      if (status[n + i] != VarStatus::kBasic) { alpha[n + i] = -ri; touched.push_back(n + i); }
    }
  } else {
    const std::vector<double>& r = rho.array;
    for (int32_t j = 0; j < n; ++j) {
      if (status[j] == VarStatus::kBasic) continue;
      double s = 0;
      for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) s += A.value[p] * r[A.index[p]];
      if (s != 0.0) { alpha[j] = s; touched.push_back(j); }
    }
    for (int32_t i = 0; i < m; ++i)
      if (status[n + i] != VarStatus::kBasic && r[i] != 0.0) { alpha[n + i] = -r[i]; touched.push_back(n + i); }
  }
}

double SimplexEngine::objective() const {
  double s = 0;
  for (int32_t j = 0; j < n; ++j) s += cost[j] * x[j];
  return s;
}

double SimplexEngine::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
}

bool SimplexEngine::check_limits() {
  if (iterations - start_iterations >= options.iteration_limit) { limit_status = SimplexStatus::kIterationLimit; return true; }
  if ((iterations & 15) == 0) {
    if (options.interrupt && options.interrupt->load(std::memory_order_relaxed)) {
      limit_status = SimplexStatus::kInterrupted; return true;
    }
    const double seconds = elapsed();
    if (seconds > options.time_limit) { limit_status = SimplexStatus::kTimeLimit; return true; }
    if (options.on_progress && seconds >= next_progress) {
      next_progress = seconds + options.progress_interval;
      if (options.on_progress(*this)) { limit_status = SimplexStatus::kInterrupted; return true; }
    }
  }
  return false;
}

double SimplexEngine::dual_infeasibility(int32_t* count) const {
  double sum = 0; int32_t c = 0;
  for (int32_t j = 0; j < n + m; ++j) {
    double v = 0;
    switch (status[j]) {
      case VarStatus::kAtLower: v = std::max(0.0, -d[j]); break;
      case VarStatus::kAtUpper: v = std::max(0.0, d[j]); break;
      case VarStatus::kFree: v = std::fabs(d[j]); break;
      default: break;
    }
    // a nonbasic value strictly inside its bounds (superbasic) must have d = 0
    if (status[j] == VarStatus::kAtLower && x[j] > work_lower[j]) v = std::fabs(d[j]);
    if (status[j] == VarStatus::kAtUpper && x[j] < work_upper[j]) v = std::fabs(d[j]);
    if (v > options.dual_tol) { sum += v; ++c; }
  }
  if (count) *count = c;
  return sum;
}

double SimplexEngine::primal_infeasibility(int32_t* count) const {
  double sum = 0; int32_t c = 0;
  for (int32_t i = 0; i < m; ++i) {
    int32_t j = basic[i];
    double v = std::max(work_lower[j] - x[j], x[j] - work_upper[j]);
    if (v > options.primal_tol) { sum += v; ++c; }
  }
  if (count) *count = c;
  return sum;
}

}  // namespace satmip::lp
