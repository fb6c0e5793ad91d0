// Gomory mixed-integer (GMI) cuts from the rows of the optimal simplex
// tableau whose basic variable is an integer column with a fractional value.
#pragma once
#include <cstdint>
#include <vector>

#include "lp/lp_solver.hpp"
#include "mip/cut.hpp"

namespace satmip::mip {

struct GomoryOptions {
  int32_t max_cuts = 200;            // rows tried, most fractional basic values first
  double min_fraction = 0.01;        // skip rows whose basic value is this close to an integer
  double max_tableau_coefficient = 1e6;
  double max_dynamism = 1e6;         // largest / smallest |coefficient| of a cut
  int32_t max_support = 0;           // most nonzeros of a cut; 0: 500 + num_cols / 10
};

// Cuts valid for every x within the LP's current column and row bounds with
// the columns flagged in `integer` integral. `lp` must hold an optimal basis.
void separate_gomory(lp::LpSolver& lp, const std::vector<uint8_t>& integer, const GomoryOptions& options,
                     std::vector<Cut>& out);

}  // namespace satmip::mip
