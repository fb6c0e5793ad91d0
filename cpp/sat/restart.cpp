// Restarts and search modes. Focused mode restarts when the fast moving
// average of learned glue rises above the slow one (Glucose); stable mode
// restarts on a Luby / reluctant-doubling schedule. The two modes alternate
// in phases whose length (in conflicts) grows geometrically.
#include "sat/internal.hpp"

namespace satmip::sat {

bool Internal::restarting() {
  if (decision_level() <= int(assumptions_.size())) return false;
  uint64_t since = stats.conflicts - last_restart_conflicts_;
  if (stable_) return since >= reluctant_limit_;
  if (since < uint64_t(opts.restartint)) return false;
  return glue_fast_.value > (1.0 + opts.restartmargin / 100.0) * glue_slow_.value;
}

// Knuth's reluctant doubling generates the Luby sequence 1 1 2 1 1 2 4 ...
void Internal::update_reluctant() {
  if ((reluctant_u_ & (~reluctant_u_ + 1)) == reluctant_v_) {
    reluctant_u_++;
    reluctant_v_ = 1;
  } else {
    reluctant_v_ *= 2;
  }
  uint64_t limit = reluctant_v_ * uint64_t(opts.reluctant);
  if (limit > uint64_t(opts.reluctantmax)) limit = opts.reluctantmax;
  reluctant_limit_ = limit;
}

void Internal::notify_restart() {
  if (!callbacks.on_restart) return;
  RestartInfo info{stats.conflicts,  stats.decisions,  stats.propagations, stats.restarts,
                   stats.learned,    stats.fixed,      glue_fast_.value,   glue_slow_.value,
                   uint32_t(trail_.size()), uint32_t(decision_level()), stable_,
                   seconds_since(solve_start_)};
  if (callbacks.on_restart(info)) stop_requested_ = true;
}

void Internal::restart() {
  stats.restarts++;
  notify_restart();
  backtrack(0);
  last_restart_conflicts_ = stats.conflicts;
  target_assigned_ = 0;
  if (stable_) update_reluctant();
}

bool Internal::switching_mode() {
  return opts.stable == 1 && stats.conflicts >= next_switch_;
}

void Internal::switch_mode() {
  stats.mode_switches++;
  backtrack(0);
  stable_ = !stable_;
  // Each pair of phases is longer than the last.
  if (!stable_) switch_inc_ = switch_inc_ * uint64_t(opts.stabilizefactor) / 100;
  next_switch_ = stats.conflicts + switch_inc_;
  last_restart_conflicts_ = stats.conflicts;
  target_assigned_ = 0;
  if (stable_) {
    reluctant_u_ = reluctant_v_ = 1;
    reluctant_limit_ = opts.reluctant;
    rebuild_heap();
  } else {
    queue_.reset_search();
  }
}

}  // namespace satmip::sat
