// Dual phase 1 by artificial bounding ("big box"): a nonbasic column that is
// dual infeasible and has no finite bound on the side the sign of its reduced
// cost asks for gets an artificial bound at distance options.artificial_bound
// from its other bound (or +-artificial_bound around 0 if free) and is put
// there. The boxed problem is then dual feasible and solved by the dual
// simplex. Afterwards the real bounds come back: a column left nonbasic at an
// artificial bound stays at that value (nonbasic "between bounds") and the
// primal simplex, which starts primal feasible, finishes (or finds the LP
// unbounded). If the dual simplex proves the boxed problem infeasible with a
// certificate that leans on an artificial bound, lp feasibility is decided
// again with zero costs (no boxes needed), see SimplexEngine::solve.
//
// Cost perturbation: nonbasic costs are moved away from zero reduced cost in
// the direction that keeps dual feasibility (Koberstein 2005, sec. 6.2 in
// spirit), removed before the primal clean-up.
#include <cmath>
#include <limits>

#include "lp/simplex_engine.hpp"

namespace satmip::lp {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

bool SimplexEngine::make_dual_feasible(bool allow_artificial) {
  const double tol = options.dual_tol;
  const double big = options.artificial_bound;
  bool ok = true;
  for (int32_t j = 0; j < n + m; ++j) {
    if (status[j] == VarStatus::kBasic) continue;
    double lo = work_lower[j], up = work_upper[j], dj = d[j];
    if (lo == up) { status[j] = VarStatus::kFixed; x[j] = lo; continue; }
    bool has_lo = lo > -kInf, has_up = up < kInf;
    if (has_lo && has_up) {
      if (status[j] == VarStatus::kAtLower && dj >= -tol) { x[j] = lo; continue; }
      if (status[j] == VarStatus::kAtUpper && dj <= tol) { x[j] = up; continue; }
      status[j] = dj >= 0 ? VarStatus::kAtLower : VarStatus::kAtUpper;
      set_nonbasic_value(j);
      continue;
    }
    if (has_lo && dj >= -tol) { status[j] = VarStatus::kAtLower; x[j] = lo; continue; }
    if (has_up && dj <= tol) { status[j] = VarStatus::kAtUpper; x[j] = up; continue; }
    if (!has_lo && !has_up && std::fabs(dj) <= tol) { status[j] = VarStatus::kFree; x[j] = 0; continue; }
    if (!allow_artificial) {
      ok = false;
      // leave it where a bound is; the caller decides
      status[j] = has_lo ? VarStatus::kAtLower : has_up ? VarStatus::kAtUpper : VarStatus::kFree;
      set_nonbasic_value(j);
      continue;
    }
    if (artificial.size() != size_t(n + m)) artificial.assign(n + m, 0);
    artificial[j] = 1;
    has_artificial = true;
    if (has_lo) { work_upper[j] = lo + big; status[j] = VarStatus::kAtUpper; }
    else if (has_up) { work_lower[j] = up - big; status[j] = VarStatus::kAtLower; }
    else {
      work_lower[j] = -big; work_upper[j] = big;
      status[j] = dj >= 0 ? VarStatus::kAtLower : VarStatus::kAtUpper;
    }
    set_nonbasic_value(j);
  }
  return ok;
}

int SimplexEngine::remove_artificial_bounds() {
  int at_artificial = 0;
  if (!has_artificial) return 0;
  for (int32_t j = 0; j < n + m; ++j) {
    if (!artificial[j]) continue;
    artificial[j] = 0;
    bool moved = false;
    if (work_lower[j] != lower[j]) { moved |= status[j] == VarStatus::kAtLower; work_lower[j] = lower[j]; }
    if (work_upper[j] != upper[j]) { moved |= status[j] == VarStatus::kAtUpper; work_upper[j] = upper[j]; }
    if (status[j] != VarStatus::kBasic && moved) {
      ++at_artificial;  // x[j] keeps its value: nonbasic between its real bounds
      if (lower[j] == -kInf && upper[j] == kInf) status[j] = VarStatus::kFree;
      else status[j] = lower[j] > -kInf ? VarStatus::kAtLower : VarStatus::kAtUpper;
    }
  }
  has_artificial = false;
  return at_artificial;
}

void SimplexEngine::perturb_costs() {
  double max_cost = 0;
  for (int32_t j = 0; j < n; ++j) max_cost = std::max(max_cost, std::fabs(cost[j]));
  if (max_cost == 0) max_cost = 1;
  // The random factors are drawn once and reused: drawing n + m numbers at every
  // warm re-solve (each B&B node) cost more than the re-solve itself on mitre.
  if (perturbation_noise_.size() != size_t(n + m)) {
    std::uniform_real_distribution<double> uni(0.0, 1.0);
    perturbation_noise_.resize(size_t(n + m));
    for (double& v : perturbation_noise_) v = uni(rng_);
  }
  const double base = 5e-7;
  for (int32_t j = 0; j < n + m; ++j) {
    VarStatus s = status[j];
    if (s == VarStatus::kBasic || s == VarStatus::kFixed || s == VarStatus::kFree) continue;
    if (j >= n && cost[j] == 0 && work_lower[j] == work_upper[j]) continue;
    double xi = base * (1.0 + std::fabs(cost[j])) * (1.0 + perturbation_noise_[size_t(j)]);
    if (j >= n) xi *= 0.5;
    if (s == VarStatus::kAtLower) { work_cost[j] += xi; d[j] += xi; }
    else { work_cost[j] -= xi; d[j] -= xi; }
  }
  cost_perturbed = true;
}

}  // namespace satmip::lp
