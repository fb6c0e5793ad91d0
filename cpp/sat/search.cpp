// The CDCL main loop: a chain of predicate/action pairs (CaDiCaL style), the
// limits and termination checks, and the solve entry point.
#include "sat/internal.hpp"

namespace satmip::sat {

// Cheap checks every conflict; clock and callback at most every ~50 ms.
bool Internal::terminated() {
  if (stop_without_clock()) return true;
  if (stats.propagations + stats.conflicts * 64 < next_terminate_check_) return false;
  next_terminate_check_ = stats.propagations + stats.conflicts * 64 + 50000;
  return stop_by_clock();
}

// The same checks on the work-counter basis of the loops outside the search
// (work_done()), where propagations and conflicts may not advance at all.
bool Internal::work_check() {
  next_work_check_ = work_ticks_ + stats.propagations + kWorkCheck;
  return stop_without_clock() || stop_by_clock();
}

bool Internal::stop_without_clock() {
  if (stop_requested_) return true;
  if (interrupt_flag.load(std::memory_order_relaxed)) return stop_requested_ = true;
  if (limits.conflicts >= 0 && int64_t(stats.conflicts - conflicts_at_start_) >= limits.conflicts)
    return stop_requested_ = true;
  if (limits.propagations >= 0 && int64_t(stats.propagations - propagations_at_start_) >= limits.propagations)
    return stop_requested_ = true;
  return false;
}

bool Internal::stop_by_clock() {
  static thread_local auto last_poll = std::chrono::steady_clock::now();
  auto now = std::chrono::steady_clock::now();
  report_progress(now);
  if (stop_requested_) return true;  // the hook failed
  if (limits.seconds >= 0 && std::chrono::duration<double>(now - solve_start_).count() >= limits.seconds)
    return stop_requested_ = true;
  if (callbacks.terminate && std::chrono::duration<double>(now - last_poll).count() >= 0.05) {
    last_poll = now;
    if (callbacks.terminate()) return stop_requested_ = true;
  }
  return false;
}

int Internal::search() {
  for (;;) {
    CRef conflict = propagate();
    if (conflict != kNoRef) {
      analyze(conflict);
      if (inconsistent_) return kUnsat;
      if (terminated()) return kUnknown;
      continue;
    }
    no_conflict_until_ = uint32_t(trail_.size());
    if (decision_level() == 0) derive_root_units();
    if (terminated()) return kUnknown;
    if (restarting()) {
      restart();
    } else if (switching_mode()) {
      switch_mode();
    } else if (rephasing()) {
      rephase();
    } else if (reducing()) {
      reduce();
    } else if (simplifying()) {
      simplify();
    } else if (inprocessing()) {
      inprocess();
      if (inconsistent_) return kUnsat;
    } else {
      Lit next = kNoLit;
      int res = decide_assumptions(next);
      if (res != kUnknown) return res;
      if (next != kNoLit) {
        stats.decisions++;
        new_level();
        assign(next, kNoRef);
      } else if (!decide()) {
        return kSat;
      }
    }
  }
}

int Internal::solve(const std::vector<int>& assumptions) {
  const int res = solve_call(assumptions);
  progress_phase_ = "done";
  report_progress(std::chrono::steady_clock::now(), true);
  return res;
}

int Internal::solve_call(const std::vector<int>& assumptions) {
  stats.solves++;
  solve_start_ = std::chrono::steady_clock::now();
  conflicts_at_start_ = stats.conflicts;
  propagations_at_start_ = stats.propagations;
  next_terminate_check_ = 0;
  next_work_check_ = 0;
  stop_requested_ = false;
  progress_phase_ = "search";
  next_progress_ = callbacks.progress_interval;
  core_.clear();
  model_.clear();
  if (stats.solves == 1) {
    rng_.seed(uint64_t(opts.seed) * 0x9E3779B97F4A7C15ull + 1);
    glue_fast_.init(double(opts.emafast));
    glue_slow_.init(double(opts.emaslow));
    stable_ = opts.stable == 2;
    switch_inc_ = uint64_t(opts.stabilizeinit);
    next_switch_ = stats.conflicts + switch_inc_;
    reluctant_limit_ = uint64_t(opts.reluctant);
    next_rephase_ = uint64_t(opts.rephaseint);
    next_reduce_ = uint64_t(opts.reduceint);
    next_simplify_ = 0;
    next_inprocess_ = uint64_t(opts.inprocessint);
    if (stable_) rebuild_heap(); else queue_.reset_search();
  }
  if (inconsistent_ || !flush_pending_originals()) return kUnsat;
  if (heap_dirty_) {
    rebuild_heap();
    heap_dirty_ = false;
  }
  assumptions_.clear();
  for (int a : assumptions) {
    Lit l = from_dimacs(a);
    grow_to(var_of(l));
    if (eliminated_[var_of(l)]) restore_eliminated(var_of(l));
    assumptions_.push_back(l);
  }
  // Assumed variables must survive elimination.
  for (Lit l : assumptions_) frozen_[var_of(l)]++;
  int res = inconsistent_ ? int(kUnsat) : int(kUnknown);
  if (!inconsistent_) {
    // Preprocessing: one round before the first search.
    if (stats.solves == 1 && opts.inprocessing && !inprocessed_before_) {
      inprocessed_before_ = true;
      inprocess();
    }
    ScopedTimer timer(times.search);
    if (!inconsistent_) res = search();
    if (inconsistent_) res = kUnsat;
  }
  for (Lit l : assumptions_) frozen_[var_of(l)]--;
  if (res == kSat) {
    model_.assign(max_var_ + 1, 0);
    for (Var v = 1; v <= max_var_; v++) model_[v] = vals_[make_lit(v, false)];
    extend_model();
  }
  if (proof_) proof_->flush();
  backtrack(0);
  return res;
}

}  // namespace satmip::sat
