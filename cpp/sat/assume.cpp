// Assumptions: taken as the first decisions, one level each; a false
// assumption ends the solve with the subset of assumptions that implies its
// negation (the failed-assumption core, as MiniSat's analyzeFinal).
#include <algorithm>

#include "sat/internal.hpp"

namespace satmip::sat {

int Internal::decide_assumptions(Lit& next) {
  while (decision_level() < int(assumptions_.size())) {
    Lit a = assumptions_[decision_level()];
    int8_t v = val(a);
    if (v > 0) {
      new_level();  // already true: an empty level keeps levels aligned
    } else if (v < 0) {
      analyze_final(a);
      return kUnsat;
    } else {
      next = a;
      return kUnknown;
    }
  }
  return kUnknown;
}

void Internal::analyze_final(Lit failed) {
  core_.clear();
  core_.push_back(to_dimacs(failed));
  Var fv = var_of(failed);
  if (level_[fv] == 0) return;
  std::vector<Var> marked;
  flags_[fv] = kSeen;
  marked.push_back(fv);
  for (size_t i = trail_.size(); i-- > control_[0];) {
    Var v = var_of(trail_[i]);
    if (!(flags_[v] & kSeen)) continue;
    CRef r = reason_[v];
    if (r == kNoRef) {
      core_.push_back(to_dimacs(trail_[i]));  // an assumption decision
    } else {
      for (Lit l : arena_.at(r)) {
        Var u = var_of(l);
        if (u != v && level_[u] > 0 && !flags_[u]) {
          flags_[u] = kSeen;
          marked.push_back(u);
        }
      }
    }
  }
  for (Var v : marked) flags_[v] = 0;
}

bool Internal::propagate_assumptions(const std::vector<int>& assumptions, std::vector<int>& implied) {
  implied.clear();
  // Propagation must see every clause: undo variable elimination first.
  if (!extension_.empty()) restore_eliminated(0);
  if (!flush_pending_originals()) return false;
  size_t start = trail_.size();
  bool ok = true;
  for (int a : assumptions) {
    Lit l = from_dimacs(a);
    grow_to(var_of(l));
    if (val(l) < 0) { ok = false; break; }
    if (val(l) > 0) continue;
    new_level();
    assign(l, kNoRef);
    if (propagate() != kNoRef) { ok = false; break; }
  }
  for (size_t i = start; i < trail_.size(); i++) implied.push_back(to_dimacs(trail_[i]));
  backtrack(0);
  return ok;
}

}  // namespace satmip::sat
