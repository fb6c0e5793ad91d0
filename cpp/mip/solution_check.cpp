#include "mip/solution_check.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace satmip::mip {
namespace {

// How far value lies outside [lower, upper].
double violation(double value, double lower, double upper) {
  if (value < lower) return lower - value;
  if (value > upper) return value - upper;
  return 0;
}

double scale_of(double value, double lower, double upper) {
  return std::max(1.0, std::fabs(value < lower ? lower : upper));
}

}  // namespace

SolutionCheck check_solution(const lp::Model& model, const std::vector<double>& x, double feasibility_tolerance,
                             double integrality_tolerance) {
  SolutionCheck result;
  const int32_t n = model.A.cols, m = model.A.rows;
  if (int32_t(x.size()) != n) {
    result.reason = "wrong number of columns";
    return result;
  }
  result.integral = true;
  auto note = [&](double value, double lower, double upper, const std::string& what) {
    const double v = violation(value, lower, upper);
    if (v == 0) return;
    result.max_violation = std::max(result.max_violation, v);
    result.max_scaled_violation = std::max(result.max_scaled_violation, v / scale_of(value, lower, upper));
    if (v > feasibility_tolerance && result.reason.empty()) result.reason = what;
  };
  std::vector<double> activity(m, 0.0);
  for (int32_t j = 0; j < n; ++j) {
    if (!std::isfinite(x[j])) {
      result.reason = "column " + std::to_string(j) + " is not finite";
      result.max_violation = result.max_scaled_violation = std::numeric_limits<double>::infinity();
      result.integral = false;
      return result;
    }
    note(x[j], model.col_lower[j], model.col_upper[j], "column " + std::to_string(j) + " bound");
    const double fractionality = !model.integer.empty() && model.integer[j] ? std::fabs(x[j] - std::round(x[j])) : 0.0;
    result.max_fractionality = std::max(result.max_fractionality, fractionality);
    if (fractionality > integrality_tolerance) {
      if (result.reason.empty()) result.reason = "column " + std::to_string(j) + " integrality";
      result.integral = false;
    }
    for (int64_t k = model.A.start[j]; k < model.A.start[j + 1]; ++k) activity[model.A.index[k]] += model.A.value[k] * x[j];
  }
  for (int32_t i = 0; i < m; ++i) note(activity[i], model.row_lower[i], model.row_upper[i], "row " + std::to_string(i));
  result.feasible = result.reason.empty();
  return result;
}

double model_objective(const lp::Model& model, const std::vector<double>& x) {
  double value = model.offset;
  for (size_t j = 0; j < x.size(); ++j) value += model.cost[j] * x[j];
  return value;
}

}  // namespace satmip::mip
