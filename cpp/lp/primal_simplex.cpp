// Primal simplex (phase 2) for the clean-up after the dual simplex (removed
// perturbation, artificial bounds) and for warm starts that stay primal
// feasible (cost changes). Devex pricing (reference framework reset at every
// call, weights w_j >= 1, score d_j^2 / w_j) on the scaled problem, Harris'
// two-pass ratio test, bound flips of the entering column. Nonbasic columns
// may sit strictly between their bounds (left there by the dual phase 1) and
// then move in either direction.
#include <algorithm>
#include <cmath>
#include <limits>

#include "lp/simplex_engine.hpp"

namespace satmip::lp {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

SimplexStatus SimplexEngine::primal_simplex() {
  const double ptol = options.primal_tol;
  const double dtol = options.dual_tol;
  const double pivtol = options.pivot_tol;
  int trouble = 0;
  bool fresh = factor.updates() == 0;
  std::vector<double> devex(n + m, 1.0);
  for (;;) {
    if (check_limits()) return limit_status;
    if (factor.updates() >= options.refactor_interval) {
      refactorize(); compute_primal(); compute_dual(); fresh = true;
    }
    // ---- pricing ----
    int32_t q = -1;
    double best = 0, dir = 0;
    for (int32_t j = 0; j < n + m; ++j) {
      VarStatus s = status[j];
      if (s == VarStatus::kBasic || s == VarStatus::kFixed) continue;
      double dj = d[j];
      double score;
      if (dj < -dtol && x[j] < work_upper[j] - ptol) score = dj * dj / devex[j];
      else if (dj > dtol && x[j] > work_lower[j] + ptol) score = dj * dj / devex[j];
      else continue;
      if (score > best) { best = score; q = j; dir = dj < 0 ? 1.0 : -1.0; }
    }
    if (q < 0) return SimplexStatus::kOptimal;
    column(q, col_);
    factor.ftran_for_update(col_);
    // ---- ratio test (Harris, two passes) ----
    double t_max = kInf;
    for (int32_t k = 0; k < col_.count; ++k) {
      int32_t i = col_.index[k];
      double a = dir * col_.array[i];
      if (std::fabs(a) <= pivtol) continue;
      int32_t j = basic[i];
      if (a > 0 && work_lower[j] > -kInf) t_max = std::min(t_max, (x[j] - work_lower[j] + ptol) / a);
      if (a < 0 && work_upper[j] < kInf) t_max = std::min(t_max, (work_upper[j] - x[j] + ptol) / -a);
    }
    double own = dir > 0 ? work_upper[q] - x[q] : x[q] - work_lower[q];
    int32_t r = -1;
    double step = 0, best_a = 0;
    if (t_max < kInf) {
      for (int32_t k = 0; k < col_.count; ++k) {
        int32_t i = col_.index[k];
        double a = dir * col_.array[i];
        if (std::fabs(a) <= pivtol) continue;
        int32_t j = basic[i];
        double ratio;
        if (a > 0 && work_lower[j] > -kInf) ratio = (x[j] - work_lower[j]) / a;
        else if (a < 0 && work_upper[j] < kInf) ratio = (work_upper[j] - x[j]) / -a;
        else continue;
        if (ratio <= t_max && std::fabs(a) > best_a) { best_a = std::fabs(a); r = i; step = ratio; }
      }
    }
    if (r < 0 && !(own < kInf)) {
      if (!fresh) { refactorize(); compute_primal(); compute_dual(); fresh = true; continue; }
      primal_ray.assign(n + m, 0.0);
      primal_ray[q] = dir;
      for (int32_t k = 0; k < col_.count; ++k) primal_ray[basic[col_.index[k]]] = -dir * col_.array[col_.index[k]];
      return SimplexStatus::kUnbounded;
    }
    if (step < 0) step = 0;
    if (r < 0 || own <= step) {
      // bound flip of the entering column
      double t = own;
      for (int32_t k = 0; k < col_.count; ++k) {
        int32_t i = col_.index[k];
        x[basic[i]] -= dir * t * col_.array[i];
      }
      if (dir > 0) { x[q] = work_upper[q]; status[q] = VarStatus::kAtUpper; }
      else { x[q] = work_lower[q]; status[q] = VarStatus::kAtLower; }
      ++iterations;
      ++primal_iterations;
      continue;
    }
    // ---- pivot row for the dual update ----
    rho_.clear();
    rho_.set(r, 1.0);
    factor.btran(rho_);
    pivot_row(rho_, alpha_row_, alpha_touched_);
    double alpha_rq = col_.array[r];
    if (std::fabs(alpha_rq - alpha_row_[q]) > 1e-8 * (1.0 + std::fabs(alpha_rq))) {
      if (++trouble > 20) return SimplexStatus::kNumericalTrouble;
      if (fresh) factor.set_pivot_threshold(std::min(0.9, factor.pivot_threshold() * 3));  // more stable LU next time
      if (!fresh) { refactorize(); compute_primal(); compute_dual(); fresh = true; continue; }
    }
    fresh = false;
    if ((iterations & 1023) == 0) trouble = 0;  // count trouble per 1024 iterations
    int32_t p = basic[r];
    double theta_d = d[q] / alpha_rq;
    for (int32_t j : alpha_touched_) {
      if (status[j] == VarStatus::kBasic) continue;
      d[j] -= theta_d * alpha_row_[j];
    }
    d[q] = 0;
    d[p] = -theta_d;
    // ---- Devex weights ----
    {
      double wq = devex[q];
      for (int32_t j : alpha_touched_) {
        if (status[j] == VarStatus::kBasic || j == q) continue;
        double ratio = alpha_row_[j] / alpha_rq;
        double w = ratio * ratio * wq;
        if (w > devex[j]) devex[j] = w;
      }
      devex[p] = std::max(wq / (alpha_rq * alpha_rq), 1.0);
    }
    // ---- primal update ----
    double a_r = dir * alpha_rq;
    for (int32_t k = 0; k < col_.count; ++k) {
      int32_t i = col_.index[k];
      x[basic[i]] -= dir * step * col_.array[i];
    }
    x[q] += dir * step;
    if (work_lower[p] == work_upper[p]) { status[p] = VarStatus::kFixed; x[p] = work_lower[p]; }
    else if (a_r > 0) { status[p] = VarStatus::kAtLower; x[p] = work_lower[p]; }
    else { status[p] = VarStatus::kAtUpper; x[p] = work_upper[p]; }
    basic[r] = q;
    status[q] = VarStatus::kBasic;
    dse[r] = 1.0;
    ++iterations;
    ++primal_iterations;
    if (!factor.update(r, col_)) { refactorize(); compute_primal(); compute_dual(); fresh = true; }
  }
}

}  // namespace satmip::lp
