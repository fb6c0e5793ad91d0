// Lifted knapsack cover cuts. Each base inequality of each row is relaxed to
// a 0-1 knapsack over its binary columns (negative coefficients complemented;
// other columns moved to their bound that weakens the row); a minimal cover C
// is found greedily from the LP point and the cover inequality
// sum_C y <= |C| - 1 is strengthened by sequential up-lifting, each lifting
// coefficient from an exact knapsack DP over the (integer) profits.
#pragma once
#include <vector>

#include "lp/model.hpp"
#include "mip/cut.hpp"
#include "mip/cut_rows.hpp"

namespace satmip::mip {

// Appends cuts (kind "cover") violated by x, valid for the given column bounds.
void separate_knapsack_covers(const RowMatrix& rows, const lp::Model& model, const std::vector<double>& x,
                              const std::vector<double>& col_lower, const std::vector<double>& col_upper,
                              std::vector<Cut>& out);

}  // namespace satmip::mip
