// Two-watched-literal unit propagation with blocking literals; binary
// clauses are propagated from the watch alone.
#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::assign(Lit l, CRef reason, int level) {
  Var v = var_of(l);
  vals_[l] = 1;
  vals_[negate(l)] = -1;
  level_[v] = level;
  reason_[v] = reason;
  trail_pos_[v] = uint32_t(trail_.size());
  saved_[v] = is_negative(l) ? -1 : 1;
  trail_.push_back(l);
}

// After chronological backtracking an implied literal may belong to a lower
// level than the current one: the highest level among its reason's other
// literals (too high a level would only lose propagations; too low would be
// unsound, so it is computed exactly whenever that can happen).
int Internal::reason_level(const Clause& c, Lit implied) const {
  int level = 0;
  for (Lit l : c)
    if (l != implied && level_[var_of(l)] > level) level = level_[var_of(l)];
  return level;
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
        assign(w.blocker, w.ref(), chrono_dirty_ ? level_[var_of(false_lit)] : decision_level());
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
      assign(first, ref, chrono_dirty_ ? reason_level(c, first) : decision_level());
    }
    while (i != end) *j++ = *i++;
    ws.resize(size_t(j - ws.data()));
  }
  stats.propagations += qhead_ - start;
  return conflict;
}

}  // namespace satmip::sat
