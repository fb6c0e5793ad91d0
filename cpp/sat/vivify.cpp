// Vivification of learned clauses: assign the negation of a clause's
// literals one by one at the root; a conflict or a literal of the clause
// becoming true shows that a prefix of the clause is already implied, and
// the shorter clause replaces it.
#include <algorithm>

#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::vivify() {
  if (!opts.vivify) return;
  std::vector<CRef> candidates;
  for (CRef r : learnts_) {
    const Clause& c = arena_.at(r);
    if (!c.garbage && !c.vivified && c.size > 2 && c.glue <= opts.tier2) candidates.push_back(r);
  }
  std::sort(candidates.begin(), candidates.end(),
            [this](CRef a, CRef b) { return arena_.at(a).glue < arena_.at(b).glue; });
  uint64_t start = stats.propagations;
  uint64_t budget = std::max<uint64_t>(200000, (stats.propagations - vivify_propagations_mark_) / 10);
  std::vector<Lit> lits, shorter;
  for (CRef r : candidates) {
    if (stats.propagations - start > budget || inconsistent_) break;
    if (arena_.at(r).garbage) continue;
    arena_.at(r).vivified = true;
    lits.assign(arena_.at(r).begin(), arena_.at(r).end());
    shorter.clear();
    bool implied = false;
    for (Lit l : lits) {
      int8_t v = val(l);
      if (v < 0) continue;  // false: not needed
      shorter.push_back(l);
      if (v > 0) {  // true under the negated prefix: the prefix plus l is implied
        implied = true;
        break;
      }
      new_level();
      assign(negate(l), kNoRef);
      if (propagate() != kNoRef) {
        implied = true;
        break;
      }
    }
    backtrack(0);
    if (!implied || shorter.size() >= lits.size()) continue;
    stats.vivified++;
    uint64_t id = next_id();
    proof_add(id, shorter, {});
    uint32_t glue = std::min<uint32_t>(arena_.at(r).glue, uint32_t(shorter.size()));
    mark_garbage(r);
    if (shorter.size() == 1) {
      inprocess_units_.push_back(shorter[0]);
      continue;
    }
    // Watches must not be false: order unassigned literals first.
    std::stable_partition(shorter.begin(), shorter.end(), [this](Lit x) { return !val(x); });
    CRef n = new_clause(id, shorter, true, glue);
    arena_.at(n).vivified = true;
  }
  vivify_propagations_mark_ = stats.propagations;
}

}  // namespace satmip::sat
