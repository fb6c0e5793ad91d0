// Vivification of learned clauses: assign the negation of a clause's
// literals one by one at the root; a conflict or a literal of the clause
// becoming true shows that a prefix of the clause is already implied, and
// the shorter clause replaces it.
#include <algorithm>

#include "sat/internal.hpp"

namespace satmip::sat {

// LRAT hints of a vivified clause: the reasons of the implications that led
// from the negated literals to the conflict (or to the true literal), in
// trail order, root units first.
void Internal::vivify_chain(CRef conflict, Lit implied, std::vector<uint64_t>& hints) {
  std::vector<Var> marked;
  std::vector<std::pair<uint32_t, uint64_t>> reasons;
  std::vector<Var> units;
  auto mark = [&](Var v) {
    if (flags_[v]) return;
    flags_[v] = kSeen;
    marked.push_back(v);
  };
  if (conflict != kNoRef) {
    for (Lit l : arena_.at(conflict)) mark(var_of(l));
  } else {
    mark(var_of(implied));
  }
  for (size_t i = trail_.size(); i-- > 0;) {
    Var v = var_of(trail_[i]);
    if (!(flags_[v] & kSeen)) continue;
    if (level_[v] == 0) {
      units.push_back(v);
      continue;
    }
    CRef r = reason_[v];
    if (r == kNoRef) continue;  // a negated literal of the clause
    reasons.emplace_back(trail_pos_[v], arena_.at(r).id);
    for (Lit o : arena_.at(r)) mark(var_of(o));
  }
  for (Var v : marked) flags_[v] = 0;
  for (Var v : units) ensure_unit_id(v);
  for (Var v : units) hints.push_back(unit_id_[v]);
  std::sort(reasons.begin(), reasons.end());
  for (const auto& r : reasons) hints.push_back(r.second);
  if (conflict != kNoRef) hints.push_back(arena_.at(conflict).id);
}

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
  // Replaced clauses stay until the round ends: they are still watched and
  // may be reasons in later chains, so the proof must not lose them earlier.
  std::vector<CRef> replaced;
  for (CRef r : candidates) {
    if (stats.propagations - start > budget || inconsistent_ || work_done()) break;
    if (arena_.at(r).garbage) continue;
    arena_.at(r).vivified = true;
    lits.assign(arena_.at(r).begin(), arena_.at(r).end());
    shorter.clear();
    bool implied = false;
    CRef conflict = kNoRef;
    Lit true_lit = kNoLit;
    for (Lit l : lits) {
      int8_t v = val(l);
      if (v < 0) continue;  // false: not needed
      shorter.push_back(l);
      if (v > 0) {  // true under the negated prefix: the prefix plus l is implied
        implied = true;
        true_lit = l;
        break;
      }
      new_level();
      assign(negate(l), kNoRef);
      conflict = propagate();
      if (conflict != kNoRef) {
        implied = true;
        break;
      }
    }
    if (!implied || shorter.size() >= lits.size()) {
      backtrack(0);
      continue;
    }
    hints_.clear();
    if (lrat()) vivify_chain(conflict, true_lit, hints_);
    backtrack(0);
    stats.vivified++;
    uint64_t id = next_id();
    proof_add(id, shorter, hints_);
    uint32_t glue = std::min<uint32_t>(arena_.at(r).glue, uint32_t(shorter.size()));
    replaced.push_back(r);
    if (shorter.size() == 1) {
      inprocess_units_.emplace_back(shorter[0], id);
      continue;
    }
    // Watches must not be false: order unassigned literals first.
    std::stable_partition(shorter.begin(), shorter.end(), [this](Lit x) { return !val(x); });
    CRef n = new_clause(id, shorter, true, glue);
    arena_.at(n).vivified = true;
  }
  for (CRef r : replaced) mark_garbage(r);
  vivify_propagations_mark_ = stats.propagations;
}

}  // namespace satmip::sat
