// Rephasing: every so often the saved phases are reset to the original
// (initial) phases, their inverse, the best phases seen, or the result of a
// local-search walk, in the cycle B W O B W I (Kissat's stable schedule).
#include "sat/internal.hpp"

namespace satmip::sat {

bool Internal::rephasing() {
  return opts.rephase && stats.conflicts >= next_rephase_;
}

void Internal::rephase() {
  stats.rephases++;
  rephase_count_++;
  next_rephase_ = stats.conflicts + uint64_t(opts.rephaseint) * rephase_count_;
  backtrack(0);
  static const char kCycle[] = "BWOBWI";
  char kind = kCycle[(rephase_count_ - 1) % 6];
  if (kind == 'W' && !opts.walk) kind = 'B';
  int8_t def = opts.phase ? 1 : -1;
  switch (kind) {
    case 'O':
      for (Var v = 1; v <= max_var_; v++) saved_[v] = initial_[v] ? initial_[v] : def;
      break;
    case 'I':
      for (Var v = 1; v <= max_var_; v++) saved_[v] = initial_[v] ? -initial_[v] : -def;
      break;
    case 'B':
      for (Var v = 1; v <= max_var_; v++)
        if (best_[v]) saved_[v] = best_[v];
      break;
    case 'W':
      walk();
      break;
  }
  // The new phases become the target; best starts afresh.
  target_ = saved_;
  target_assigned_ = 0;
  best_assigned_ = 0;
}

}  // namespace satmip::sat
