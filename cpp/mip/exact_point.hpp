// The point the MILP engine returns has its integer columns at exact integers.
// A search point may hold them up to the integrality tolerance away (1.8e-7
// from 0), and rows then hand the continuous columns slack that no integer
// point has: an objective better than the true optimum (the large cross-check's
// seed 20006, 2.6e-6 below HiGHS's). Rounding alone may break a row instead
// (7e-6 there): the continuous columns are then solved again for the rounded
// integers, in the caller's model, where no presolve or cut row blurs the rows.
#pragma once
#include <vector>

#include "lp/model.hpp"

namespace satmip::mip {

// x with its integer columns rounded to the nearest integer.
std::vector<double> with_exact_integers(const lp::Model& model, std::vector<double> x);

// True when some column of the model is continuous.
bool has_continuous_columns(const lp::Model& model);

// The integer columns of x rounded and fixed, the continuous ones the optimum
// of the LP over them in `model` (unscaled, tolerances 1e-9); empty when that
// LP has no optimum within the time limit (seconds).
std::vector<double> exact_continuous_completion(const lp::Model& model, const std::vector<double>& x,
                                                double time_limit);

}  // namespace satmip::mip
