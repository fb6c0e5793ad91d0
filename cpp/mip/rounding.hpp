// Simple rounding (SCIP's "simplerounding"): round each fractional integer
// column in a direction in which no row can become violated (no "locks");
// fails when a column has locks both ways. Nearest rounding is tried too:
// cheap, and the caller re-checks every candidate anyway.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "lp/model.hpp"

namespace satmip::mip {

struct RowLocks {
  std::vector<int32_t> down, up;   // per column: rows that decreasing / increasing it may violate
};
RowLocks compute_locks(const lp::Model& model);

// Candidate solutions (integer columns integral); the caller checks them.
std::vector<std::vector<double>> rounding_candidates(const lp::Model& model, const RowLocks& locks,
                                                     const std::vector<double>& x, const std::vector<int32_t>& fractional);

}  // namespace satmip::mip
