// Garbage collection of the clause arena: live clauses are copied into a
// fresh arena, reasons are forwarded, and the watch lists are rebuilt (the
// watched literals stay in positions 0 and 1, so the invariants survive).
#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::collect_garbage() {
  stats.collections++;
  derive_all_root_units();  // root reasons are dropped below
  Arena fresh;
  fresh.reserve(arena_.words() - arena_.wasted() + 16);
  auto move_all = [&](std::vector<CRef>& refs) {
    size_t j = 0;
    for (CRef r : refs) {
      Clause& c = arena_.at(r);
      if (c.garbage) continue;
      CRef n = fresh.alloc(c.id, c.lits(), c.size, c.learnt, c.glue);
      Clause& d = fresh.at(n);
      d.used = c.used;
      d.vivified = c.vivified;
      d.subsume = c.subsume;
      c.moved = true;
      c.id = n;  // forwarding reference, read below
      refs[j++] = n;
    }
    refs.resize(j);
  };
  // Remember the reasons' clauses before the ids are overwritten.
  for (Lit l : trail_) {
    Var v = var_of(l);
    CRef& r = reason_[v];
    if (r == kNoRef) continue;
    if (level_[v] == 0 || arena_.at(r).garbage) r = kNoRef;  // root reasons are no longer needed
  }
  move_all(clauses_);
  move_all(learnts_);
  for (Lit l : trail_) {
    CRef& r = reason_[var_of(l)];
    if (r != kNoRef) r = CRef(arena_.at(r).id);
  }
  arena_.swap(fresh);
  for (auto& ws : watches_) ws.clear();
  for (CRef r : clauses_) watch_clause(r);
  for (CRef r : learnts_) watch_clause(r);
}

}  // namespace satmip::sat
