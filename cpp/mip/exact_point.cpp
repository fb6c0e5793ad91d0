#include "mip/exact_point.hpp"

#include <cmath>

#include "lp/lp_solver.hpp"

namespace satmip::mip {
namespace {

bool is_integer(const lp::Model& model, int32_t j) { return !model.integer.empty() && model.integer[size_t(j)]; }

}  // namespace

std::vector<double> with_exact_integers(const lp::Model& model, std::vector<double> x) {
  for (int32_t j = 0; j < model.A.cols; ++j)
    if (is_integer(model, j)) x[size_t(j)] = std::round(x[size_t(j)]);
  return x;
}

bool has_continuous_columns(const lp::Model& model) {
  for (int32_t j = 0; j < model.A.cols; ++j)
    if (!is_integer(model, j)) return true;
  return false;
}

std::vector<double> exact_continuous_completion(const lp::Model& model, const std::vector<double>& x,
                                                double time_limit) {
  lp::Model fixed = model;
  for (int32_t j = 0; j < model.A.cols; ++j)
    if (is_integer(model, j)) fixed.col_lower[size_t(j)] = fixed.col_upper[size_t(j)] = std::round(x[size_t(j)]);
  fixed.integer.clear();
  // Unscaled with tight tolerances: the scaled simplex's 1e-7 can grow to a few
  // 1e-6 in the caller's rows, the very slack this completion must not use.
  lp::LpOptions options;
  options.scale = false;
  options.primal_feasibility_tolerance = 1e-9;
  options.dual_feasibility_tolerance = 1e-9;
  options.time_limit = time_limit;
  lp::LpSolver solver(std::move(fixed), options);
  if (solver.solve() != lp::LpStatus::kOptimal) return {};
  std::vector<double> exact = solver.x();
  for (int32_t j = 0; j < model.A.cols; ++j)
    if (is_integer(model, j)) exact[size_t(j)] = std::round(x[size_t(j)]);
  return exact;
}

}  // namespace satmip::mip
