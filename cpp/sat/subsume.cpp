// Subsumption and self-subsuming resolution on the irredundant clauses:
// a clause contained in another deletes it; a clause that is contained but
// for one negated literal removes that literal from the other (strengthening).
// Stopped midway (work_done()), the step just ends: each deletion and each
// strengthening is complete on its own.
#include <algorithm>

#include "sat/internal.hpp"
#include "sat/occurrences.hpp"

namespace satmip::sat {

void Internal::subsume() {
  if (!opts.subsume) return;
  Occurrences occs;
  if (!occs.build(arena_, clauses_, 2 * (size_t(max_var_) + 1), [this](uint64_t w) { return work_done(w); }))
    return;
  std::vector<CRef> order;
  for (CRef r : clauses_)
    if (!arena_.at(r).garbage && arena_.at(r).size <= 64) order.push_back(r);
  std::sort(order.begin(), order.end(),
            [this](CRef a, CRef b) { return arena_.at(a).size < arena_.at(b).size; });
  if (work_done(order.size())) return;
  std::vector<int8_t>& mark = marks_;
  mark.assign(2 * (size_t(max_var_) + 1), 0);
  int64_t budget = 20 * int64_t(arena_.words()) + 1000000;
  std::vector<Lit> shorter;
  bool stopped = false;
  for (CRef cr : order) {
    if (budget < 0 || stopped || work_done()) break;
    Clause& c = arena_.at(cr);
    if (c.garbage) continue;
    Lit best = c[0];
    size_t best_count = SIZE_MAX;
    for (Lit l : c) {
      mark[l] = 1;
      size_t n = occs.lists[l].size() + occs.lists[negate(l)].size();
      if (n < best_count) best_count = n, best = l;
    }
    for (Lit probe : {best, negate(best)}) {
      if (stopped) break;
      const std::vector<CRef> candidates = occs.live(arena_, probe);
      for (CRef dr : candidates) {
        if (dr == cr) continue;
        Clause& d = arena_.at(dr);
        if (d.garbage || d.size < c.size) continue;
        budget -= d.size;
        if ((stopped = work_done(d.size))) break;
        uint32_t matched = 0, flipped = 0;
        Lit flip = kNoLit;
        for (Lit x : d) {
          if (mark[x]) matched++;
          else if (mark[negate(x)]) flipped++, flip = x;
        }
        if (matched == c.size) {
          stats.subsumed++;
          mark_garbage(dr);
        } else if (flipped == 1 && matched + 1 == c.size) {
          // d := d without 'flip' (resolvent of c and d on flip's variable).
          stats.strengthened++;
          shorter.clear();
          for (Lit x : d)
            if (x != flip) shorter.push_back(x);
          uint64_t id = next_id();
          proof_add(id, shorter, {c.id, d.id});  // c makes 'flip' false, d is then falsified
          proof_delete(d);
          for (size_t i = 0; i < shorter.size(); i++) d[uint32_t(i)] = shorter[i];
          d.size--;
          d.id = id;
          arena_.free_words(1);
          if (d.size == 1) {
            inprocess_units_.emplace_back(d[0], id);
            elim_blocked_[var_of(d[0])] = 1;
            d.garbage = true;  // the unit is added by the caller
            stats.deleted++;
          }
        }
      }
    }
    for (Lit l : c) mark[l] = 0;
  }
}

}  // namespace satmip::sat
