// The last step every separator's cut goes through before it is emitted:
// numerical clean-up that keeps the cut valid, then the violation test.
#pragma once
#include <vector>

#include "mip/cut.hpp"

namespace satmip::mip {

// Merges nothing (indices must be distinct). Rejects NaN/inf; drops
// coefficients with |v| < 1e-9 * max|v| by relaxing rhs with the column's
// bound that keeps the cut valid (rejects the cut if that bound is
// infinite); optionally scales to max|v| = 1; adds a safety margin to rhs.
// Appends the cut to out and returns true only if x violates it by more than
// 1e-6 with efficacy above 1e-4.
bool finish_cut(Cut cut, const std::vector<double>& x, const std::vector<double>& col_lower,
                const std::vector<double>& col_upper, bool scale, std::vector<Cut>& out);

}  // namespace satmip::mip
