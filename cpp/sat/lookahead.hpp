// Failed-literal lookahead on a clause list, for the phase model's input
// features (satmip.learn.features): a standalone pass over the raw formula,
// independent of the solver's state.
//
// Root unit propagation first; then each variable that is still open is probed
// once per sign: the literal is assumed and unit-propagated. A probe that ends
// in a conflict is a failed literal: its negation holds in every model (a
// backbone fact), so it is fixed at the root and propagated before the next
// probe. A probe that succeeds reports how many other literals it implied.
// Work (clause visits) is bounded per probe and in total, so the pass stays
// linear in the formula's size; probes past the total budget are not made.
// Propagation counts false literal occurrences per clause, so a clause that repeats
// a literal can miss its unit implication (never make a wrong one: a conflict or a
// failed literal is always real); the generated formulas repeat none.
#pragma once
#include <cstdint>
#include <vector>

namespace satmip::sat {

struct LookaheadResult {
  bool root_conflict = false;       // the formula is unsatisfiable by unit propagation
  std::vector<int8_t> root_value;   // [nvars]: +1 / -1 fixed by root unit propagation, else 0
  std::vector<int8_t> value;        // [nvars]: the same after the failed literals, else 0
  std::vector<int32_t> implied;     // [2 nvars]: literals implied by probing +v (2v) and -v (2v+1)
  std::vector<int8_t> probed;       // [2 nvars]: 1 where that probe ran to its end
  uint64_t failed_literals = 0;
  uint64_t work = 0;                // clause visits spent
};

// Clause c holds the literals var[k] (0-based variables) with signs sign[k]
// (+1 / -1) for k in [indptr[c], indptr[c + 1]).
LookaheadResult lookahead(int64_t nvars, const std::vector<int64_t>& indptr, const std::vector<int32_t>& var,
                          const std::vector<int8_t>& sign, uint64_t probe_work_limit, uint64_t total_work_limit);

}  // namespace satmip::sat
