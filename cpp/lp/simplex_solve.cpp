// SimplexEngine::solve: the strategy around the dual and primal loops.
//  1. start from the current basis (slack basis if none), refactorize,
//     recompute primal and dual values;
//  2. a basis that is primal but not dual feasible (e.g. after a cost change)
//     goes to the primal simplex;
//  3. otherwise: flips / artificial bounds make it dual feasible (dual_phase1.cpp),
//     costs are perturbed, the dual simplex runs;
//  4. an infeasibility proof that leans on an artificial bound is not trusted:
//     feasibility is decided by the dual simplex with zero costs instead;
//  5. perturbation and artificial bounds are removed and the primal simplex
//     cleans up the remaining dual infeasibilities;
//  6. a fresh factorisation checks the result; otherwise another round.
#include <cmath>
#include <limits>

#include "lp/simplex_engine.hpp"

namespace satmip::lp {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

// The last pivot row (alpha_row_, row ray_row) read with the real bounds: is
// x_p = -sum_N alpha_rj x_j out of reach of p's violated bound?
static bool farkas_valid(const SimplexEngine& e) {
  int32_t r = e.ray_row;
  if (r < 0) return false;
  int32_t p = e.basic[r];
  double sign = e.ray_sign;
  // sign < 0: need sup(-sum alpha x) < lower_p ; sign > 0: need inf(-sum alpha x) > upper_p
  double bound_sum = 0;
  for (int32_t j : e.alpha_touched_) {
    if (e.status[j] == VarStatus::kBasic) continue;
    double a = -e.alpha_row_[j];
    if (std::fabs(a) < 1e-12) continue;
    bool want_upper = (sign < 0) == (a > 0);
    double b = want_upper ? e.upper[j] : e.lower[j];
    if (!std::isfinite(b)) return false;
    bound_sum += a * b;
  }
  if (sign < 0) return bound_sum < e.lower[p] - e.options.primal_tol;
  return bound_sum > e.upper[p] + e.options.primal_tol;
}

static void normalise_nonbasic(SimplexEngine& e) {
  for (int32_t j = 0; j < e.n + e.m; ++j) {
    VarStatus& s = e.status[j];
    if (s == VarStatus::kBasic) continue;
    double lo = e.work_lower[j], up = e.work_upper[j];
    if (lo == up) s = VarStatus::kFixed;
    else if (s == VarStatus::kAtLower && lo > -kInf) {}
    else if (s == VarStatus::kAtUpper && up < kInf) {}
    else if (lo > -kInf) s = VarStatus::kAtLower;
    else if (up < kInf) s = VarStatus::kAtUpper;
    else s = VarStatus::kFree;
    e.set_nonbasic_value(j);
  }
}

// Updates after which the final optimality check refactorises first.
constexpr int32_t kFinalCheckUpdates = 20;

SimplexStatus SimplexEngine::solve() {
  start_time = std::chrono::steady_clock::now();
  start_iterations = iterations;
  next_progress = options.progress_interval;
  dual_ray.clear();
  primal_ray.clear();
  ray_row = -1;
  if (!have_basis || !basis_is_valid()) slack_basis();
  if (int32_t(dse.size()) != m) dse.assign(m, 1.0);
  work_lower = lower;
  work_upper = upper;
  work_cost = cost;
  has_artificial = false;
  artificial.assign(n + m, 0);
  cost_perturbed = false;
  x.resize(n + m, 0.0);
  normalise_nonbasic(*this);
  if (m == 0) {
    d = cost;
    for (int32_t j = 0; j < n; ++j) {
      if ((d[j] < 0 && upper[j] == kInf) || (d[j] > 0 && lower[j] == -kInf)) {
        primal_ray.assign(n, 0.0);
        primal_ray[j] = d[j] < 0 ? 1 : -1;
        return SimplexStatus::kUnbounded;
      }
      // d > 0: lower bound; d < 0: upper bound; d = 0: whichever bound is finite
      // (a column with only an upper bound, e.g. (-inf, -3], cannot sit at 0).
      if (lower[j] == upper[j]) status[j] = VarStatus::kFixed;
      else if (d[j] < 0 || (d[j] == 0 && lower[j] == -kInf && upper[j] < kInf)) status[j] = VarStatus::kAtUpper;
      else if (lower[j] > -kInf) status[j] = VarStatus::kAtLower;
      else status[j] = VarStatus::kFree;
      set_nonbasic_value(j);
    }
    y.clear();
    return SimplexStatus::kOptimal;
  }
  // Bound changes keep the basis: a warm re-solve (a B&B child) goes on with the
  // factorisation it has; a changed basis (set_basis, new rows) is factorised anew.
  if (!factor_valid) refactorize();
  compute_primal();
  compute_dual();
  for (int round = 0; round < 4; ++round) {
    int32_t pinf = 0, dinf = 0;
    primal_infeasibility(&pinf);
    dual_infeasibility(&dinf);
    SimplexStatus st;
    if (pinf == 0 && dinf > 0 && round == 0) {
      st = primal_simplex();
    } else {
      make_dual_feasible(true);
      compute_primal();
      if (options.perturb) perturb_costs();
      st = dual_simplex();
      if (st == SimplexStatus::kInfeasible) {
        if (!has_artificial || farkas_valid(*this)) return SimplexStatus::kInfeasible;
        // feasibility with zero costs: every basis is dual feasible
        remove_artificial_bounds();
        work_cost.assign(n + m, 0.0);
        compute_dual();
        make_dual_feasible(false);
        compute_primal();
        if (options.perturb) perturb_costs();
        st = dual_simplex();
        if (st == SimplexStatus::kInfeasible) return st;
      }
      if (st != SimplexStatus::kOptimal) return st;
      // clean-up: real costs and bounds
      work_cost = cost;
      remove_artificial_bounds();
      cost_perturbed = false;
      compute_dual();
      dual_infeasibility(&dinf);
      if (dinf > 0) st = primal_simplex();
    }
    if (st != SimplexStatus::kOptimal) return st;
    // Check the answer on fresh values: refactorised after many updates (or when a
    // first check failed), else recomputed with the factorisation as updated.
    if (round > 0 || factor.updates() > kFinalCheckUpdates) refactorize();
    compute_primal();
    compute_dual();
    primal_infeasibility(&pinf);
    dual_infeasibility(&dinf);
    if (pinf == 0 && dinf == 0) return SimplexStatus::kOptimal;
  }
  return SimplexStatus::kNumericalTrouble;
}

}  // namespace satmip::lp
