// A cutting plane  sum_k value[k] * x[index[k]] <= rhs  over the structural
// columns of the model the search works on, and the measures the cut loop
// ranks cuts by. Separators (cuts_*.cpp) produce them; the cut pool
// (cut_pool.cpp) filters them and adds the chosen ones to the LP as rows.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

namespace satmip::mip {

struct Cut {
  std::vector<int32_t> index;   // distinct columns, any order
  std::vector<double> value;    // nonzero coefficients alongside
  double rhs = 0;
  const char* kind = "";        // separator name, for statistics ("gomory", "mir", "cover", ...)
};

// How far x violates the cut: sum value*x - rhs (positive: violated).
inline double cut_violation(const Cut& cut, const std::vector<double>& x) {
  double activity = 0;
  for (size_t k = 0; k < cut.index.size(); ++k) activity += cut.value[k] * x[cut.index[k]];
  return activity - cut.rhs;
}

// Euclidean distance from x to the cut's hyperplane (SCIP's efficacy).
inline double cut_efficacy(const Cut& cut, const std::vector<double>& x) {
  double norm2 = 0;
  for (double v : cut.value) norm2 += v * v;
  return norm2 > 0 ? cut_violation(cut, x) / std::sqrt(norm2) : 0.0;
}

}  // namespace satmip::mip
