// Hooks through which an outside model (Python, in satmip's case) guides or
// observes the search. The engine calls them at bounded points only; each is
// optional. They must not call back into the solver.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

namespace satmip::sat {

// What the restart hook sees: the counters of the search so far.
struct RestartInfo {
  uint64_t conflicts, decisions, propagations, restarts, learned, fixed;
  double glue_fast, glue_slow;  // moving averages of learned clause glue
  uint32_t trail;               // assigned variables before the restart
  uint32_t level;               // decision level before the restart
  bool stable;                  // in stable mode
  double seconds;               // since the solve started
};

struct Callbacks {
  // Each restart; return true to stop the solve (answer unknown).
  std::function<bool(const RestartInfo&)> on_restart;
  // Each learned clause with at most learned_max_size literals (DIMACS ints).
  std::function<void(const std::vector<int>&)> on_learned;
  uint32_t learned_max_size = 0;
  // Every decide_every-th decision: a DIMACS literal of an unassigned
  // variable to decide, or 0 to let the engine choose. The engine passes the
  // current values (per variable: -1, 0, 1; index 0 unused) and the scores.
  std::function<int(const int8_t* values, const double* scores, uint32_t nvars)> on_decide;
  uint64_t decide_every = 0;
  // Polled about every 50 ms of search; return true to stop (Ctrl-C checks).
  std::function<bool()> terminate;
};

}  // namespace satmip::sat
