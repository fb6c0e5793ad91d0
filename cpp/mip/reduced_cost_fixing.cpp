// Root reduced-cost fixing: a column nonbasic at a bound in the root LP with
// reduced cost d > 0 (minimisation form) moves the objective by at least d per
// unit away from that bound, so with an incumbent it can move at most
// (cutoff - root bound) / d units in any better solution. The bound is the one
// the root LP had (after root propagation), not the model's: measured from a
// looser model bound the new bound would cut off solutions. Integer columns get
// that as a global bound; branching bounds are intersected with it when a node
// is loaded.
#include <cmath>

#include "mip/search.hpp"

namespace satmip::mip {

void Search::reduced_cost_fixing() {
  if (!options_.reduced_cost_fixing || !root_basis_ || incumbent_.empty()) return;
  const double room = cutoff() - root_bound_;
  if (!(room >= 0) || !std::isfinite(room)) return;
  const double dual_tolerance = 1e-7, integral_slack = 1e-6;
  for (int32_t j = 0; j < model_.A.cols; ++j) {
    if (!model_.integer[j]) continue;
    const double d = root_reduced_cost_[j];
    const lp::BasisStatus status = root_basis_->cols[j];
    if (status == lp::BasisStatus::kAtLower && d > dual_tolerance && std::isfinite(root_lower_[j])) {
      double upper = root_lower_[j] + std::floor(room / d + integral_slack);
      if (upper < global_upper_[j]) {
        global_upper_[j] = std::max(upper, global_lower_[j]);
        loaded_changes_.push_back(j);
        pending_global_.push_back(j);
      }
    } else if (status == lp::BasisStatus::kAtUpper && d < -dual_tolerance && std::isfinite(root_upper_[j])) {
      double lower = root_upper_[j] - std::floor(room / -d + integral_slack);
      if (lower > global_lower_[j]) {
        global_lower_[j] = std::min(lower, global_upper_[j]);
        loaded_changes_.push_back(j);
        pending_global_.push_back(j);
      }
    }
  }
}

}  // namespace satmip::mip
