// Simple rounding (SCIP's "simplerounding"): round each fractional integer
// column in a direction in which no row can become violated (no "locks");
// fails when a column has locks both ways. Nearest rounding is tried too:
// cheap, and the caller re-checks every candidate anyway.
#pragma once
#include <cstdint>
#include <optional>
#include <random>
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

// Randomised rounding: each fractional column goes up with probability equal
// to its fractional part (so a value near an integer almost always lands on
// it), independently, `tries` times. Points equal to nearest rounding or to
// an earlier try are left out. Deterministic for a given rng state.
std::vector<std::vector<double>> randomized_rounding_candidates(const lp::Model& model, const std::vector<double>& x,
                                                                const std::vector<int32_t>& fractional, int tries,
                                                                std::mt19937& rng);

}  // namespace satmip::mip
