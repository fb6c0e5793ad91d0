// Complemented mixed-integer rounding (c-MIR, Marchand & Wolsey 2001). A base
// inequality (one row, or a few rows aggregated to eliminate continuous
// columns strictly between their bounds) is brought to the form
//   sum a'_j z_j + sum c_k s_k <= beta,  z_j >= 0 integer, s_k >= 0,
// by complementing each integer column to a bound and substituting each
// continuous column by its closest finite bound; the MIR inequality for a
// divisor delta is then written back in the original columns.
#pragma once
#include <vector>

#include "lp/model.hpp"
#include "mip/cut.hpp"
#include "mip/cut_rows.hpp"

namespace satmip::mip {

// Appends cuts (kind "mir") violated by x, valid for the given column bounds.
void separate_mir(const RowMatrix& rows, const lp::Model& model, const std::vector<double>& x,
                  const std::vector<double>& col_lower, const std::vector<double>& col_upper,
                  std::vector<Cut>& out);

}  // namespace satmip::mip
