// Model reconstruction: the clauses removed by eliminating a variable are
// replayed in reverse order of elimination. The variable first takes its
// preferred phase (forced, initial, saved); a clause that is then false is
// repaired by its pivot. One repair suffices: a false clause on each side
// would make their resolvent, which the model satisfies, false.
#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::extend_model() {
  for (size_t i = extension_.size(); i-- > 0;) {
    const Witness& w = extension_[i];
    if (w.is_default) {
      Var v = var_of(w.pivot);
      int8_t phase = forced_[v] ? forced_[v] : initial_[v] ? initial_[v] : saved_[v];
      model_[v] = phase ? phase : (opts.phase ? 1 : -1);
      continue;
    }
    bool satisfied = false;
    for (uint32_t k = 0; k < w.size && !satisfied; k++) {
      Lit l = extension_lits_[w.start + k];
      int8_t x = model_[var_of(l)];
      satisfied = is_negative(l) ? x < 0 : x > 0;
    }
    if (!satisfied) model_[var_of(w.pivot)] = is_negative(w.pivot) ? -1 : 1;
  }
  // Unconstrained variables (eliminated without clauses) get their phase.
  for (Var v = 1; v <= max_var_; v++)
    if (!model_[v]) model_[v] = saved_[v] ? saved_[v] : 1;
}

}  // namespace satmip::sat

namespace satmip::sat {

// A clause arrived that mentions an eliminated variable: every clause removed
// by elimination is added back (as it is still in the proof, no proof line) (simple and sound; only happens when callers
// use variables they did not freeze) and all variables become active again.
void Internal::restore_eliminated(Var) {
  std::vector<Witness> witnesses;
  witnesses.swap(extension_);
  std::vector<Lit> lits_store;
  lits_store.swap(extension_lits_);
  for (Var v = 1; v <= max_var_; v++) {
    if (!eliminated_[v]) continue;
    eliminated_[v] = 0;
    heap_.push(v);
    queue_.bump(v);
  }
  queue_.reset_search();
  std::vector<Lit> lits;
  for (const Witness& w : witnesses) {
    if (w.is_default) continue;  // not a clause of the formula
    lits.assign(lits_store.begin() + w.start, lits_store.begin() + w.start + w.size);
    bool satisfied = false;
    for (Lit l : lits) satisfied |= val(l) > 0;
    // Under its old id: the proof never deleted it (eliminate keeps it there).
    if (!satisfied && !add_simplified(w.id, lits, true)) return;
  }
}

}  // namespace satmip::sat
