// The bounded dual simplex iteration loop (dual steepest-edge pricing in
// dual_pricing.cpp, bound-flipping ratio test in dual_ratio_test.cpp).
#include <algorithm>
#include <cmath>
#include <limits>

#include "lp/simplex_engine.hpp"

namespace satmip::lp {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

// Reduced costs that lost their sign (Harris steps, recomputation after a
// refactorisation): boxed columns are flipped (the flips are returned in
// `flips`), the others get a cost shift that makes d_j zero.
static void repair_dual(SimplexEngine& e, int32_t j, std::vector<int32_t>& flips) {
  const double tol = e.options.dual_tol;
  VarStatus s = e.status[j];
  double dj = e.d[j];
  bool bad = (s == VarStatus::kAtLower && dj < -tol) || (s == VarStatus::kAtUpper && dj > tol) ||
             (s == VarStatus::kFree && std::fabs(dj) > tol);
  if (!bad) return;
  bool boxed = e.work_lower[j] > -kInf && e.work_upper[j] < kInf;
  if (boxed && s != VarStatus::kFree) { flips.push_back(j); return; }
  e.work_cost[j] -= dj;
  e.d[j] = 0.0;
  e.cost_perturbed = true;
}

// Applies bound flips of nonbasic columns: x_B -= B^-1 sum a_j dx_j.
static void apply_flips(SimplexEngine& e, const std::vector<int32_t>& flips) {
  if (flips.empty()) return;
  SparseVector& rhs = e.rhs_;
  rhs.clear();
  for (int32_t j : flips) {
    double dx;
    if (e.status[j] == VarStatus::kAtLower) { e.status[j] = VarStatus::kAtUpper; dx = e.work_upper[j] - e.x[j]; e.x[j] = e.work_upper[j]; }
    else { e.status[j] = VarStatus::kAtLower; dx = e.work_lower[j] - e.x[j]; e.x[j] = e.work_lower[j]; }
    if (j >= e.n) {
      accumulate(rhs, j - e.n, -dx);
    } else {
      for (int64_t p = e.A.start[j]; p < e.A.start[j + 1]; ++p) accumulate(rhs, e.A.index[p], e.A.value[p] * dx);
    }
  }
  e.factor.ftran(rhs);
  for (int32_t k = 0; k < rhs.count; ++k) {
    int32_t i = rhs.index[k];
    e.x[e.basic[i]] -= rhs.array[i];
  }
  rhs.clear();
}

SimplexStatus SimplexEngine::dual_simplex() {
  std::vector<int32_t> flips;
  int trouble = 0;
  bool fresh = factor.updates() == 0;  // just refactorized: no accuracy doubt
  for (;;) {
    if (check_limits()) return limit_status;
    if (factor.updates() >= options.refactor_interval) {
      refactorize();
      compute_primal();
      compute_dual();
      flips.clear();
      for (int32_t j = 0; j < n + m; ++j)
        if (status[j] != VarStatus::kBasic) repair_dual(*this, j, flips);
      apply_flips(*this, flips);
      fresh = true;
    }
    int32_t r = dual_choose_row();
    if (r < 0) return SimplexStatus::kOptimal;
    int32_t p = basic[r];
    double sign, delta, bound;
    if (x[p] < work_lower[p]) { sign = -1; delta = work_lower[p] - x[p]; bound = work_lower[p]; }
    else { sign = 1; delta = x[p] - work_upper[p]; bound = work_upper[p]; }

    rho_.clear();
    rho_.set(r, 1.0);
    factor.btran(rho_);
    double rho_norm2 = 0;
    for (int32_t k = 0; k < rho_.count; ++k) rho_norm2 += rho_.array[rho_.index[k]] * rho_.array[rho_.index[k]];
    dse[r] = rho_norm2;
    pivot_row(rho_, alpha_row_, alpha_touched_);

    RatioResult rt = dual_ratio_test(r, sign, delta);
    if (rt.unbounded) {
      if (!fresh) {  // make sure with a fresh factorization
        refactorize(); compute_primal(); compute_dual(); fresh = true;
        flips.clear();
        for (int32_t j = 0; j < n + m; ++j)
          if (status[j] != VarStatus::kBasic) repair_dual(*this, j, flips);
        apply_flips(*this, flips);
        continue;
      }
      dual_ray.assign(m, 0.0);
      for (int32_t k = 0; k < rho_.count; ++k) dual_ray[rho_.index[k]] = -sign * rho_.array[rho_.index[k]];
      ray_row = r;
      ray_sign = sign;
      return SimplexStatus::kInfeasible;
    }
    int32_t q = rt.entering;
    column(q, col_);
    factor.ftran_for_update(col_);
    double alpha_rq = col_.array[r];
    double alpha_row_q = alpha_row_[q];
    if (std::fabs(alpha_rq - alpha_row_q) > 1e-8 * (1.0 + std::fabs(alpha_rq)) || std::fabs(alpha_rq) < 1e-11) {
      if (++trouble > 20) return SimplexStatus::kNumericalTrouble;
      if (fresh) factor.set_pivot_threshold(std::min(0.9, factor.pivot_threshold() * 3));  // more stable LU next time
      if (!fresh) {
        refactorize(); compute_primal(); compute_dual(); fresh = true;
        flips.clear();
        for (int32_t j = 0; j < n + m; ++j)
          if (status[j] != VarStatus::kBasic) repair_dual(*this, j, flips);
        apply_flips(*this, flips);
        continue;
      }
      if (std::fabs(alpha_rq) < 1e-11) return SimplexStatus::kNumericalTrouble;
    }
    fresh = false;
    if ((iterations & 1023) == 0) trouble = 0;  // count trouble per 1024 iterations

    // ---- dual update ----
    double theta_d = d[q] / alpha_rq;
    if (sign * theta_d < 0) {  // d_q of the wrong sign (within tolerance): shift it to zero
      work_cost[q] -= d[q];
      d[q] = 0;
      theta_d = 0;
      cost_perturbed = true;
    }
    flips.clear();
    if (theta_d != 0) {
      for (int32_t j : alpha_touched_) {
        if (status[j] == VarStatus::kBasic) continue;
        d[j] -= theta_d * alpha_row_[j];
      }
    }
    d[q] = 0;
    d[p] = -theta_d;
    if (int32_t(flip_mark_.size()) != n + m) flip_mark_.assign(n + m, 0);
    for (int32_t j : rt.flips) {
      if (j == q) continue;
      if ((status[j] == VarStatus::kAtLower && d[j] < 0) || (status[j] == VarStatus::kAtUpper && d[j] > 0)) {
        flips.push_back(j);
        flip_mark_[j] = 1;
      }
    }
    for (int32_t j : alpha_touched_) {
      if (j == q || status[j] == VarStatus::kBasic || flip_mark_[j]) continue;
      repair_dual(*this, j, flips);
    }
    for (int32_t j : flips) flip_mark_[j] = 0;
    apply_flips(*this, flips);

    // ---- primal update ----
    double theta_p = (x[p] - bound) / alpha_rq;
    for (int32_t k = 0; k < col_.count; ++k) {
      int32_t i = col_.index[k];
      x[basic[i]] -= theta_p * col_.array[i];
    }
    x[q] += theta_p;
    x[p] = bound;
    if (work_lower[p] == work_upper[p]) status[p] = VarStatus::kFixed;
    else status[p] = sign > 0 ? VarStatus::kAtUpper : VarStatus::kAtLower;

    // ---- steepest-edge weights ----
    tau_.clear();
    for (int32_t k = 0; k < rho_.count; ++k) tau_.set(rho_.index[k], rho_.array[rho_.index[k]]);
    factor.ftran(tau_);
    dual_update_weights(r, alpha_rq, col_, tau_, rho_norm2);

    // ---- basis change ----
    basic[r] = q;
    status[q] = VarStatus::kBasic;
    x[q] = x[q];
    ++iterations;
    ++dual_iterations;
    if (!factor.update(r, col_)) {
      refactorize();
      compute_primal();
      compute_dual();
      flips.clear();
      for (int32_t j = 0; j < n + m; ++j)
        if (status[j] != VarStatus::kBasic) repair_dual(*this, j, flips);
      apply_flips(*this, flips);
      fresh = true;
    }
  }
}

}  // namespace satmip::lp
