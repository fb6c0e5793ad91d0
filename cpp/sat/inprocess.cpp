// Scheduling of preprocessing and inprocessing rounds at the root:
// root clean-up, failed-literal probing, subsumption with strengthening,
// bounded variable elimination and vivification of learned clauses.
#include "sat/internal.hpp"

namespace satmip::sat {

bool Internal::inprocessing() {
  return opts.inprocessing && stats.conflicts >= next_inprocess_;
}

// Units found by the techniques are assigned once the watches are rebuilt.
bool Internal::add_inprocess_units() {
  std::vector<std::pair<Lit, uint64_t>> units;
  units.swap(inprocess_units_);
  for (auto [l, id] : units) {
    if (val(l) > 0) continue;
    if (val(l) < 0) {
      if (lrat()) ensure_unit_id(var_of(l));
      learn_empty({unit_id_[var_of(l)], id});
      return false;
    }
    assign_root_unit(l, id);
  }
  return propagate_root();
}

void Internal::inprocess() {
  ScopedTimer timer(times.inprocess);
  stats.inprocessings++;
  next_inprocess_ = stats.conflicts + uint64_t(opts.inprocessint) * (stats.inprocessings + 1);
  backtrack(0);
  if (!propagate_root()) return;
  // Probing and vivification assign literals; the search's phases stay.
  const std::vector<int8_t> phases = saved_;
  progress_phase("probe");
  probe();
  // A stop request (time limit, interrupt()) skips the steps left. Probing
  // and simplify() leave the clauses watched; a step stopped midway leaves an
  // equivalent formula, which the clean-up below (watches, units found) completes.
  if (inconsistent_ || stop_requested_) return end_inprocess(&phases);
  simplify();  // subsumption and elimination expect root-clean clauses
  if (stop_requested_) return end_inprocess(&phases);
  std::fill(elim_blocked_.begin(), elim_blocked_.end(), 0);
  progress_phase("subsume");
  subsume();
  // Elimination only in the first solve call: incremental users add
  // clauses later, and a clause on an eliminated variable forces a restore.
  if (stats.solves == 1 && !stop_requested_) {
    progress_phase("elim");
    eliminate();
  }
  if (inconsistent_) return end_inprocess(nullptr);
  collect_garbage();  // also rebuilds the watches changed above
  if (!add_inprocess_units()) return end_inprocess(nullptr);

  if (!stop_requested_) {
    progress_phase("vivify");
    vivify();
    collect_garbage();
    add_inprocess_units();
  }
  end_inprocess(&phases);
}

void Internal::end_inprocess(const std::vector<int8_t>* phases) {
  if (phases) restore_phases(*phases);
  progress_phase("search");
}

void Internal::restore_phases(const std::vector<int8_t>& phases) {
  for (Var v = 1; v <= max_var_ && v < phases.size(); v++)
    if (!vals_[make_lit(v, false)]) saved_[v] = phases[v];
}

}  // namespace satmip::sat
