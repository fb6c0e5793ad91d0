// Backtracking: unassign down to a level, saving phases and returning
// variables to the decision structures; target and best phases.
#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::backtrack(int level) {
  if (decision_level() <= level) return;
  update_target_and_best();
  uint32_t start = control_[level];
  // Literals of lower levels above 'start' (out of order, after
  // chronological backtracking) stay, in their order, and are propagated again.
  size_t kept = start;
  for (size_t i = start; i < trail_.size(); i++) {
    Lit l = trail_[i];
    Var v = var_of(l);
    if (level_[v] <= level) {
      trail_pos_[v] = uint32_t(kept);
      trail_[kept++] = l;
      continue;
    }
    vals_[l] = 0;
    vals_[negate(l)] = 0;
    reason_[v] = kNoRef;
    if (use_vmtf())
      queue_.on_unassign(v);
    else
      heap_.push(v);
  }
  trail_.resize(kept);
  control_.resize(level);
  if (qhead_ > start) qhead_ = start;
  if (level == 0) chrono_dirty_ = false;
  if (no_conflict_until_ > trail_.size()) no_conflict_until_ = uint32_t(trail_.size());
}

// Target phases: the assignment of the largest conflict-free trail since the
// last restart; best phases: the largest since the last rephase (both as in
// CaDiCaL and Kissat). Saved phases equal the current assignment for
// assigned variables, so copying them copies that assignment.
void Internal::update_target_and_best() {
  uint32_t assigned = no_conflict_until_;
  bool target_mode = opts.target == 2 || (opts.target == 1 && stable_);
  if (target_mode && assigned > target_assigned_) {
    target_ = saved_;
    target_assigned_ = assigned;
  }
  if (assigned > best_assigned_) {
    best_ = saved_;
    best_assigned_ = assigned;
  }
}

}  // namespace satmip::sat
