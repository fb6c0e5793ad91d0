// Certificates behind the LP engine's definite answers, checked in the
// unscaled model (issue 11: a badly scaled model can end the scaled simplex
// 'optimal', 'infeasible' or 'unbounded' with an answer the real model does
// not support). Each check returns an empty string when the certificate
// holds, else what is wrong with it.
#pragma once
#include <string>
#include <vector>

#include "lp/model.hpp"

namespace satmip::lp {

// Relative tolerance of the checks: a bound b is met within kCertificateTol * (1 + |b|).
constexpr double kCertificateTol = 1e-6;

// 'optimal': x (with activities A x) primal feasible, and the row duals y (the
// model's sense, cost - A^T y = reduced cost) dual feasible and complementary to x.
std::string check_optimal(const Model& model, const std::vector<double>& x, const std::vector<double>& activity,
                          const std::vector<double>& row_dual);

// 'infeasible': the row multipliers y give an implied row y^T A x that the
// column box cannot bring into the range the row box allows.
std::string check_farkas(const Model& model, const std::vector<double>& dual_ray);

// 'unbounded': x is feasible and the ray r (columns) keeps it feasible while
// the objective improves without end.
std::string check_unbounded(const Model& model, const std::vector<double>& x, const std::vector<double>& activity,
                            const std::vector<double>& primal_ray);

}  // namespace satmip::lp
