// Undoes the column reductions of presolve for a primal solution: the kept
// columns are copied to their original positions, then the recorded steps are
// replayed in reverse (fixed columns get their values, merged duplicate
// columns are split again).
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

namespace satmip::mip {

class Postsolve {
 public:
  Postsolve() = default;
  explicit Postsolve(int32_t original_cols) : original_cols_(original_cols) {}

  // x_reduced has one value per column of the reduced model; the result one
  // per column of the original model.
  std::vector<double> primal(const std::vector<double>& x_reduced) const;
  // The other way: a point of the original model as the reduced model sees it
  // (merged columns summed, removed ones dropped). Feasibility is not implied:
  // presolve may have cut away points no better than others it kept.
  std::vector<double> reduce(const std::vector<double>& x_original) const;

  void record_fixed(int32_t col, double value);
  // Column `removed` was parallel to `kept` (removed's column = ratio * kept's
  // column, same for costs) and kept now stands for x_kept + ratio * x_removed.
  // The bounds are those of both columns just before the merge.
  void record_merged(int32_t kept, int32_t removed, double ratio, double kept_lower, double kept_upper,
                     double removed_lower, double removed_upper);
  void set_kept_columns(std::vector<int32_t> kept) { kept_columns_ = std::move(kept); }

  const std::vector<int32_t>& kept_columns() const { return kept_columns_; }
  int32_t original_cols() const { return original_cols_; }

 private:
  enum class StepKind : uint8_t { kFixed, kMerged };
  struct Step {
    StepKind kind;
    int32_t col;         // the fixed column, or the kept one of a merge
    int32_t other = -1;  // the removed column of a merge
    double value = 0.0;  // fixed value, or the merge ratio
    double kept_lower = 0.0, kept_upper = 0.0, removed_lower = 0.0, removed_upper = 0.0;
  };
  static void split_merged(const Step& step, std::vector<double>& x);

  int32_t original_cols_ = 0;
  std::vector<int32_t> kept_columns_;  // original index of each reduced column
  std::vector<Step> steps_;
};

}  // namespace satmip::mip
