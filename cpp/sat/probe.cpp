// Failed-literal probing: a literal whose propagation at level 1 conflicts
// is false. Conflict analysis at level 1 learns the unit (with its LRAT
// chain, as for any learned clause).
#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::probe() {
  if (!opts.probe) return;
  // Probe the roots of the binary implication graph: literals that imply
  // something through a binary clause and are implied by none (probing an
  // implied literal repeats part of its root's propagation).
  std::vector<uint32_t> in_binary(2 * (size_t(max_var_) + 1), 0);
  for (CRef r : clauses_) {
    if (work_done()) return;
    const Clause& c = arena_.at(r);
    if (c.garbage || c.size != 2) continue;
    in_binary[c[0]]++, in_binary[c[1]]++;
  }
  auto is_root = [&](Lit l) { return in_binary[negate(l)] > 0 && in_binary[l] == 0; };
  uint64_t start = stats.propagations;
  uint64_t budget = std::max<uint64_t>(200000, (stats.propagations - probe_propagations_mark_) / 20);
  for (Var v = 1; v <= max_var_ && !inconsistent_; v++) {
    if (eliminated_[v]) continue;
    if (stats.propagations - start > budget || work_done()) break;
    for (bool negative : {false, true}) {
      Lit l = make_lit(v, negative);
      if (val(l)) break;
      if (!is_root(l)) continue;
      stats.probed++;
      new_level();
      assign(l, kNoRef);
      CRef conflict = propagate();
      if (conflict == kNoRef) {
        backtrack(0);
        continue;
      }
      stats.failed_literals++;
      analyze(conflict);  // learns a unit and backtracks to the root
      if (!propagate_root()) return;
    }
  }
  probe_propagations_mark_ = stats.propagations;
}

}  // namespace satmip::sat
