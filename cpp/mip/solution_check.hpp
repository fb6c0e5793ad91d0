// Re-checks a candidate solution against the original model: column bounds,
// integrality and rows, each violation measured against tolerance * max(1, |bound|).
#pragma once
#include <string>
#include <vector>

#include "lp/model.hpp"

namespace satmip::mip {

struct SolutionCheck {
  bool feasible = false;
  double max_violation = 0;
  std::string reason;   // the first violation found, for diagnostics
};

SolutionCheck check_solution(const lp::Model& model, const std::vector<double>& x, double feasibility_tolerance,
                             double integrality_tolerance);

// c . x + offset, in the model's sense.
double model_objective(const lp::Model& model, const std::vector<double>& x);

}  // namespace satmip::mip
