// Progress reports: a snapshot of the solve handed to callbacks.on_progress at
// most once per interval. The clock is read only where the stop checks
// already read it (terminated(), every ~50,000 propagations of the search;
// work_done(), every 2048 units of work inside the loops of the other steps)
// and at the boundaries of the inprocessing steps, so an idle hook costs the
// hot loop nothing.
#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::report_progress(std::chrono::steady_clock::time_point now, bool force) {
  if (!callbacks.on_progress) return;
  const double seconds = std::chrono::duration<double>(now - solve_start_).count();
  if (!force && seconds < next_progress_) return;
  next_progress_ = seconds + callbacks.progress_interval;
  ProgressInfo info;
  info.phase = progress_phase_;
  info.seconds = seconds;
  info.stable = stable_;
  info.conflicts = stats.conflicts;
  info.decisions = stats.decisions;
  info.propagations = stats.propagations;
  info.restarts = stats.restarts;
  info.reductions = stats.reductions;
  info.learned = stats.learned;
  info.redundant = learnts_.size();
  info.irredundant = clauses_.size() + fixed_units_;
  info.variables = max_var_;
  // The root prefix of the trail: at a deeper level, where level 1 starts.
  info.fixed = decision_level() > 0 ? control_[0] : trail_.size();
  info.eliminated = stats.eliminated;
  info.memory_bytes = memory_bytes();
  callbacks.on_progress(info);
}

void Internal::progress_phase(const char* phase) {
  if (!callbacks.on_progress) return;
  report_progress(std::chrono::steady_clock::now());
  progress_phase_ = phase;
}

}  // namespace satmip::sat
