// Finding parallel vectors (rows of the matrix, or columns): each vector is
// normalised by its first entry, hashed on pattern and rounded ratios, and
// candidates in one bucket are compared exactly (within a relative tolerance).
#pragma once
#include <cstdint>
#include <vector>

#include "mip/presolve_problem.hpp"

namespace satmip::mip {

struct ParallelPair {
  int32_t first, second;  // second = ratio * first
  double ratio;
};

// lists[k] holds the active entries of vector k (any order; empty lists and
// those with `skip[k]` set are ignored). Each vector appears in at most one pair.
std::vector<ParallelPair> find_parallel(const std::vector<std::vector<MatrixEntry>>& lists,
                                        const std::vector<uint8_t>& skip);

}  // namespace satmip::mip
