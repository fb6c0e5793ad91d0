// Root-level clean-up: once new variables are fixed at the root, clauses
// they satisfy are deleted and their false literals removed.
#include "sat/internal.hpp"

namespace satmip::sat {

bool Internal::simplifying() {
  return decision_level() == 0 && stats.conflicts >= next_simplify_ &&
         uint64_t(trail_.size()) != fixed_at_simplify_;
}

void Internal::simplify() {
  ScopedTimer timer(times.simplify);
  next_simplify_ = stats.conflicts + uint64_t(opts.simplifyint);
  derive_root_units();
  stats.fixed = trail_.size();
  bool stopped = false;
  std::vector<Lit> old, kept;
  std::vector<uint64_t> hints;
  auto clean = [&](std::vector<CRef>& refs) {
    for (CRef r : refs) {
      if (stopped || (stopped = work_done())) return;
      Clause& c = arena_.at(r);
      if (c.garbage) continue;
      bool satisfied = false, shortened = false;
      for (Lit l : c) {
        if (vals_[l] > 0) satisfied = true;
        if (vals_[l] < 0) shortened = true;
      }
      if (satisfied) {
        mark_garbage(r);
        continue;
      }
      if (!shortened) continue;
      old.assign(c.begin(), c.end());
      drop_root_false(old, kept, hints);
      hints.push_back(c.id);
      uint64_t id = next_id();
      proof_add(id, kept, hints);
      if (proof_) proof_->remove(c.id, old.data(), old.size());
      // Watched literals are unassigned (full propagation, no conflict), so
      // they stay in front when false literals are dropped in order.
      for (size_t i = 0; i < kept.size(); i++) c[uint32_t(i)] = kept[i];
      arena_.free_words(c.size - kept.size());
      c.size = uint32_t(kept.size());
      c.id = id;
    }
  };
  clean(clauses_);
  clean(learnts_);
  // Stopped midway, the clauses left are still valid (root-false literals
  // are not watched), but not clean: the next simplify() does them.
  if (!stopped) fixed_at_simplify_ = trail_.size();
  collect_garbage();
}

}  // namespace satmip::sat
