// Occurrence lists of the irredundant clauses, for subsumption and
// elimination (built at the root for one inprocessing round).
#pragma once
#include <vector>

#include "sat/clause.hpp"

namespace satmip::sat {

struct Occurrences {
  std::vector<std::vector<CRef>> lists;  // per literal
  // False when stopped(work) asks to stop midway (the lists are then
  // incomplete: the caller abandons its step).
  template <class Stopped>
  bool build(Arena& arena, const std::vector<CRef>& clauses, size_t nlits, Stopped&& stopped) {
    lists.assign(nlits, {});
    for (CRef r : clauses) {
      add(arena, r);
      if (stopped(1 + uint64_t(arena.at(r).size))) return false;
    }
    return true;
  }
  void add(Arena& arena, CRef r) {
    const Clause& c = arena.at(r);
    if (c.garbage) return;
    for (Lit l : c) lists[l].push_back(r);
  }
  // Live clauses containing l (drops garbage references on the way).
  const std::vector<CRef>& live(Arena& arena, Lit l) {
    auto& v = lists[l];
    size_t j = 0;
    for (CRef r : v)
      if (!arena.at(r).garbage) v[j++] = r;
    v.resize(j);
    return v;
  }
  void clear() { std::vector<std::vector<CRef>>().swap(lists); }
};

}  // namespace satmip::sat
