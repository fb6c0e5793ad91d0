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

// What the progress hook sees: a snapshot of the solve, taken at a safe point.
struct ProgressInfo {
  // "search", or the inprocessing step running or just finished: "probe",
  // "subsume", "elim", "vivify"; "done" once when the solve call ends.
  const char* phase;
  double seconds;               // since this solve call started
  bool stable;                  // search mode: stable (true) or focused
  uint64_t conflicts, decisions, propagations, restarts, reductions;
  uint64_t learned;             // clauses learned so far (as RestartInfo)
  uint64_t redundant;           // learned clauses in the database now
  uint64_t irredundant;         // original (and resolvent) clauses now
  uint64_t variables;           // largest variable index
  uint64_t fixed;               // variables assigned at the root
  uint64_t eliminated;          // variables eliminated
  uint64_t memory_bytes;        // the engine's clause arena, watches and variable arrays
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
  // At most once per progress_interval seconds (checked where the engine
  // polls its clock: every ~50,000 propagations of the search, every few
  // thousand units of work inside the other steps, and between the
  // inprocessing steps), and once with phase "done" when the solve ends.
  std::function<void(const ProgressInfo&)> on_progress;
  double progress_interval = 1.0;
  // Polled about every 50 ms of search or of pre/inprocessing; return true to stop (Ctrl-C checks).
  std::function<bool()> terminate;
};

}  // namespace satmip::sat
