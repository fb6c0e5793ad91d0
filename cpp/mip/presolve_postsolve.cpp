#include "mip/presolve_postsolve.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace satmip::mip {

void Postsolve::record_fixed(int32_t col, double value) {
  steps_.push_back({StepKind::kFixed, col, -1, value});
}

void Postsolve::record_merged(int32_t kept, int32_t removed, double ratio, double kept_lower, double kept_upper,
                              double removed_lower, double removed_upper) {
  steps_.push_back({StepKind::kMerged, kept, removed, ratio, kept_lower, kept_upper, removed_lower, removed_upper});
}

// The merged value y = x_kept + ratio * x_removed is split so that both parts
// lie within their bounds: x_removed must lie in [l_r, u_r] and in the range
// that leaves x_kept = y - ratio * x_removed within [l_k, u_k]; of that
// interval the point nearest zero is taken (finite whenever y is).
void Postsolve::split_merged(const Step& s, std::vector<double>& x) {
  const double y = x[s.col], r = s.value;
  double lo = (y - s.kept_upper) / r, hi = (y - s.kept_lower) / r;
  if (r < 0) std::swap(lo, hi);
  lo = std::max(lo, s.removed_lower);
  hi = std::min(hi, s.removed_upper);
  double removed = std::clamp(0.0, std::min(lo, hi), std::max(lo, hi));
  double kept = std::clamp(y - r * removed, s.kept_lower, s.kept_upper);
  x[s.other] = removed;
  x[s.col] = kept;
}

std::vector<double> Postsolve::primal(const std::vector<double>& x_reduced) const {
  if (x_reduced.size() != kept_columns_.size())
    throw std::invalid_argument("postsolve: the reduced solution has " + std::to_string(x_reduced.size()) +
                                " values, the reduced model " + std::to_string(kept_columns_.size()) + " columns");
  std::vector<double> x(size_t(original_cols_), 0.0);
  for (size_t k = 0; k < kept_columns_.size(); ++k) x[size_t(kept_columns_[k])] = x_reduced[k];
  for (auto step = steps_.rbegin(); step != steps_.rend(); ++step) {
    if (step->kind == StepKind::kFixed)
      x[size_t(step->col)] = step->value;
    else
      split_merged(*step, x);
  }
  return x;
}

std::vector<double> Postsolve::reduce(const std::vector<double>& x_original) const {
  if (x_original.size() != size_t(original_cols_))
    throw std::invalid_argument("presolve: the original solution has " + std::to_string(x_original.size()) +
                                " values, the model " + std::to_string(original_cols_) + " columns");
  std::vector<double> x = x_original;
  for (const Step& step : steps_)
    if (step.kind == StepKind::kMerged) x[size_t(step.col)] += step.value * x[size_t(step.other)];
  std::vector<double> reduced(kept_columns_.size());
  for (size_t k = 0; k < kept_columns_.size(); ++k) reduced[k] = x[size_t(kept_columns_[k])];
  return reduced;
}

}  // namespace satmip::mip
