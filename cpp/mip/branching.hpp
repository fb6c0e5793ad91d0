// Branching candidates and the built-in rules that choose among them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "mip/pseudocosts.hpp"

namespace satmip::mip {

// Integer columns whose LP value is farther than the tolerance from an integer, ascending.
std::vector<int32_t> branching_candidates(const std::vector<double>& x, const std::vector<uint8_t>& integer,
                                          double integrality_tolerance);

// min(f, 1 - f) for the fractional part f of value.
double fractionality(double value);

// The rules' scores per candidate; select_highest_score returns a position in
// candidates, ties to the lowest position, so that a caller reproducing a rule
// from the same numbers gets the same tree (Search perturbs the scores first
// only under a seed other than 0).
std::vector<double> most_fractional_scores(const std::vector<int32_t>& candidates, const std::vector<double>& x);
std::vector<double> pseudocost_scores(const std::vector<int32_t>& candidates, const std::vector<double>& x,
                                      const Pseudocosts& pseudocosts);
std::size_t select_highest_score(const std::vector<double>& scores);

// Strong branching's verdict on a candidate: the children's objective gains
// (1e12 for an infeasible or cut-off child; a child stopped by the iteration
// cap takes its pseudocost estimate) and SCIP's product score of the two.
struct StrongBranchScore {
  double down_gain = 0, up_gain = 0, score = 0;
};
std::size_t select_highest_score(const std::vector<StrongBranchScore>& scores);

}  // namespace satmip::mip
