// Scheduling of preprocessing and inprocessing rounds at the root.
#include "sat/internal.hpp"

namespace satmip::sat {

// Elimination and strengthening produce clauses whose LRAT chains this
// engine does not write yet; with an LRAT proof those techniques are off
// (DRAT covers them all).
bool Internal::proof_allows_inprocessing() const { return !lrat(); }

bool Internal::inprocessing() {
  return opts.inprocessing && stats.conflicts >= next_inprocess_;
}

void Internal::inprocess() {
  ScopedTimer timer(times.inprocess);
  stats.inprocessings++;
  next_inprocess_ = stats.conflicts + uint64_t(opts.inprocessint) * (stats.inprocessings + 1);
  backtrack(0);
  // Techniques are added in the following files as they are written.
}

}  // namespace satmip::sat
