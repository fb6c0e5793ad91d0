// Model reconstruction: clauses removed by variable elimination are replayed
// in reverse order; a clause the model falsifies is fixed by its pivot.
#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::extend_model() {
  for (size_t i = extension_.size(); i-- > 0;) {
    const Witness& w = extension_[i];
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
