// Two-watched-literal unit propagation with blocking literals; binary
// clauses are propagated from the watch alone.
#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::assign(Lit l, CRef reason) {
  Var v = var_of(l);
  vals_[l] = 1;
  vals_[negate(l)] = -1;
  level_[v] = decision_level();
  reason_[v] = reason;
  trail_pos_[v] = uint32_t(trail_.size());
  saved_[v] = is_negative(l) ? -1 : 1;
  trail_.push_back(l);
}

CRef Internal::propagate() {
  CRef conflict = kNoRef;
  size_t start = qhead_;
  while (conflict == kNoRef && qhead_ < trail_.size()) {
    Lit false_lit = negate(trail_[qhead_++]);
    Watches& ws = watches_[false_lit];
    Watch* i = ws.data();
    Watch* j = i;
    Watch* end = i + ws.size();
    while (i != end) {
      Watch w = *i++;
      int8_t bv = vals_[w.blocker];
      if (bv > 0) {
        *j++ = w;
        continue;
      }
      if (w.binary()) {
        *j++ = w;
        if (bv < 0) {
          conflict = w.ref();
          break;
        }
        assign(w.blocker, w.ref());
        continue;
      }
      CRef ref = w.ref();
      Clause& c = arena_.at(ref);
      Lit* lits = c.lits();
      // Keep the false literal at position 1, the other watch at 0.
      if (lits[0] == false_lit) std::swap(lits[0], lits[1]);
      Lit first = lits[0];
      if (first != w.blocker && vals_[first] > 0) {
        *j++ = Watch(first, ref, false);
        continue;
      }
      const uint32_t size = c.size;
      uint32_t k = 2;
      for (; k < size; k++)
        if (vals_[lits[k]] >= 0) break;
      if (k < size) {
        lits[1] = lits[k];
        lits[k] = false_lit;
        watches_[lits[1]].emplace_back(first, ref, false);
        continue;
      }
      *j++ = Watch(first, ref, false);
      if (vals_[first] < 0) {
        conflict = ref;
        break;
      }
      assign(first, ref);
    }
    while (i != end) *j++ = *i++;
    ws.resize(size_t(j - ws.data()));
  }
  stats.propagations += qhead_ - start;
  return conflict;
}

}  // namespace satmip::sat
