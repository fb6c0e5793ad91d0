// Re-checks a candidate solution against the original model: column bounds,
// integrality and rows, each violation measured absolutely (as HiGHS's
// mip_feasibility_tolerance): a row of activity 149.00008 breaks a bound of
// 149 by 8e-5 whatever the bound's size. The caller's tolerance must hold for
// every point the MILP engine returns.
#pragma once
#include <string>
#include <vector>

#include "lp/model.hpp"

namespace satmip::mip {

struct SolutionCheck {
  bool feasible = false;
  bool integral = false;         // integer columns within the integrality tolerance, all values finite
  double max_violation = 0;      // largest absolute violation of a bound or row
  double max_scaled_violation = 0;   // the same, each relative to max(1, |bound|): near misses worth repairing
  double max_fractionality = 0;  // largest distance of an integer column from an integer
  std::string reason;   // the first violation found, for diagnostics
};

SolutionCheck check_solution(const lp::Model& model, const std::vector<double>& x, double feasibility_tolerance,
                             double integrality_tolerance);

// c . x + offset, in the model's sense.
double model_objective(const lp::Model& model, const std::vector<double>& x);

}  // namespace satmip::mip
