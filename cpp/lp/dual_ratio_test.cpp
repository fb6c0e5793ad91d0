// Dual simplex ratio test: bound flipping ("long step") ratio test with
// Harris' two-pass tolerances (Koberstein 2005, Algorithm 4/5 in spirit).
//
// The leaving variable p (row r) is primal infeasible by delta > 0 and leaves
// at the violated bound; sign = +1 if it is above its upper bound, -1 below
// its lower bound. The dual step is theta_d = sign * t, t >= 0, and
// d_j(t) = d_j - t * sign * alpha_rj. Breakpoints are the t where a nonbasic
// d_j would change sign. Passing the breakpoint of a boxed column flips it to
// its other bound and lowers the slope of the dual objective by
// |alpha_rj| (u_j - l_j); the step goes on while the slope stays >= 0.
// Harris: among the breakpoints below the smallest "relaxed" ratio
// (d_j +- tol) / alpha_j, the one with the largest |alpha_rj| is taken.
#include <cmath>
#include <limits>

#include "lp/simplex_engine.hpp"

namespace satmip::lp {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

SimplexEngine::RatioResult SimplexEngine::dual_ratio_test(int32_t r, double sign, double delta) {
  RatioResult out;
  const double tol = options.dual_tol;
  const double ptol = options.pivot_tol;
  using Candidate = RatioCandidate;
  std::vector<Candidate>& q = candidates_;
  q.clear();
  for (int32_t j : alpha_touched_) {
    VarStatus s = status[j];
    if (s == VarStatus::kBasic || s == VarStatus::kFixed) continue;
    double a = sign * alpha_row_[j];
    double abs_a = std::fabs(a);
    if (abs_a <= ptol) continue;
    double dj = d[j];
    double range = work_upper[j] - work_lower[j];
    if (!(range < kInf)) range = kInf;
    bool inside = s != VarStatus::kFree && x[j] > work_lower[j] && x[j] < work_upper[j];
    if (s == VarStatus::kFree || inside) {
      q.push_back({j, std::fabs(dj) / abs_a, (std::fabs(dj) + tol) / abs_a, abs_a, kInf});
    } else if (s == VarStatus::kAtLower) {
      if (a > 0) q.push_back({j, dj / a, (dj + tol) / a, abs_a, range});
    } else if (s == VarStatus::kAtUpper) {
      if (a < 0) q.push_back({j, dj / a, (dj - tol) / a, abs_a, range});
    }
  }
  double slope = delta;
  std::vector<int32_t>& passed = out.flips;
  while (!q.empty()) {
    double theta_max = kInf;
    for (const Candidate& c : q) theta_max = std::min(theta_max, c.harris);
    double decrease = 0;
    for (const Candidate& c : q)
      if (c.ratio <= theta_max) decrease += c.abs_alpha * c.range;
    if (slope - decrease > options.primal_tol && decrease < kInf) {
      slope -= decrease;
      size_t keep = 0;
      for (size_t k = 0; k < q.size(); ++k) {
        if (q[k].ratio <= theta_max) passed.push_back(q[k].j);
        else q[keep++] = q[k];
      }
      q.resize(keep);
      continue;
    }
    // the step ends in this group: the largest |alpha| among it
    double best = -1;
    for (const Candidate& c : q)
      if (c.ratio <= theta_max && c.abs_alpha > best) { best = c.abs_alpha; out.entering = c.j; }
    break;
  }
  if (out.entering < 0) { out.unbounded = true; return out; }
  out.theta_d = d[out.entering] / alpha_row_[out.entering];
  return out;
}

}  // namespace satmip::lp
