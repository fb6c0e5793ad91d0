#include "mip/branching.hpp"

#include <cmath>

namespace satmip::mip {

std::vector<int32_t> branching_candidates(const std::vector<double>& x, const std::vector<uint8_t>& integer,
                                          double integrality_tolerance) {
  std::vector<int32_t> candidates;
  for (std::size_t j = 0; j < x.size(); ++j)
    if (integer[j] && std::fabs(x[j] - std::round(x[j])) > integrality_tolerance) candidates.push_back(int32_t(j));
  return candidates;
}

double fractionality(double value) {
  double f = value - std::floor(value);
  return std::min(f, 1.0 - f);
}

std::size_t select_highest_score(const std::vector<double>& scores) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < scores.size(); ++k)
    if (scores[k] > scores[best] || (std::isnan(scores[best]) && !std::isnan(scores[k]))) best = k;
  return best;
}

std::size_t select_highest_score(const std::vector<StrongBranchScore>& scores) {
  std::vector<double> values(scores.size());
  for (std::size_t k = 0; k < scores.size(); ++k) values[k] = scores[k].score;
  return select_highest_score(values);
}

std::vector<double> most_fractional_scores(const std::vector<int32_t>& candidates, const std::vector<double>& x) {
  std::vector<double> scores(candidates.size());
  for (std::size_t k = 0; k < candidates.size(); ++k) scores[k] = fractionality(x[candidates[k]]);
  return scores;
}

std::vector<double> pseudocost_scores(const std::vector<int32_t>& candidates, const std::vector<double>& x,
                                      const Pseudocosts& pseudocosts) {
  std::vector<double> scores(candidates.size());
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    double value = x[candidates[k]];
    scores[k] = pseudocosts.score(candidates[k], value - std::floor(value));
  }
  return scores;
}

}  // namespace satmip::mip
