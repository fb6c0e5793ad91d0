// Search statistics (counters) and per-phase timers.
#pragma once
#include <chrono>
#include <cstdint>

namespace satmip::sat {

struct Stats {
#define STAT(N, HELP) uint64_t N = 0;
#include "sat/stats.def"
#undef STAT
};

// Seconds spent per phase of the solver.
struct PhaseTimes {
  double search = 0, walk = 0, reduce = 0, inprocess = 0, simplify = 0;
};

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Adds the elapsed time to a phase timer when it goes out of scope.
class ScopedTimer {
 public:
  explicit ScopedTimer(double& sink) : sink_(sink), t0_(std::chrono::steady_clock::now()) {}
  ~ScopedTimer() { sink_ += seconds_since(t0_); }
 private:
  double& sink_;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace satmip::sat
