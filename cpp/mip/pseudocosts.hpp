// Pseudocosts: the average objective gain per unit of change of a column's LP
// value, observed on the down and up children of branchings on it. Columns
// never branched on in a direction use the average over those that were
// (1 when nothing was observed yet), as SCIP does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace satmip::mip {

class Pseudocosts {
 public:
  explicit Pseudocosts(int32_t num_cols) : sum_(2 * std::size_t(num_cols), 0.0), count_(2 * std::size_t(num_cols), 0) {}
  void record(int32_t column, bool up, double objective_gain, double distance);
  double estimate(int32_t column, bool up) const;   // gain per unit
  bool initialised(int32_t column, bool up) const { return count_[slot(column, up)] > 0; }
  int64_t observations(int32_t column, bool up) const { return count_[slot(column, up)]; }
  // SCIP's product score of the two children's estimated gains.
  double score(int32_t column, double fractional_part) const;

 private:
  static std::size_t slot(int32_t column, bool up) { return 2 * std::size_t(column) + (up ? 1 : 0); }
  std::vector<double> sum_;
  std::vector<int64_t> count_;
  double total_sum_[2] = {0, 0};
  int64_t total_count_[2] = {0, 0};
};

}  // namespace satmip::mip
