// Decisions: VMTF (focused mode) or EVSIDS (stable mode) picks the variable,
// the phase comes from forced, target, saved phases in that order.
#include <algorithm>

#include "sat/internal.hpp"

namespace satmip::sat {

void Internal::bump_score(Var v) {
  score_[v] += score_inc_;
  if (score_[v] > 1e150) rescale_scores();
  heap_.increased(v);
}

void Internal::rescale_scores() {
  for (Var v = 1; v <= max_var_; v++) score_[v] *= 1e-150;
  score_inc_ *= 1e-150;
}

// Bump the variables seen in conflict analysis. VMTF moves them to the
// front in their old order, so recent relative order is preserved.
void Internal::bump_variables() {
  if (use_vmtf()) {
    std::sort(analyzed_.begin(), analyzed_.end(),
              [this](Var a, Var b) { return queue_.stamp(a) < queue_.stamp(b); });
    for (Var v : analyzed_) {
      queue_.bump(v);
      if (!vals_[make_lit(v, false)]) queue_.set_search(v);
    }
  } else {
    for (Var v : analyzed_) bump_score(v);
  }
}

void Internal::rebuild_heap() {
  heap_.clear();
  for (Var v = 1; v <= max_var_; v++)
    if (!vals_[make_lit(v, false)] && !eliminated_[v]) heap_.push(v);
}

Var Internal::next_decision_variable() {
  if (use_vmtf()) {
    Var v = queue_.search();
    while (v && (vals_[make_lit(v, false)] || eliminated_[v])) v = queue_.prev(v);
    queue_.set_search(v);
    return v;
  }
  while (!heap_.empty()) {
    Var v = heap_.top();
    if (!vals_[make_lit(v, false)] && !eliminated_[v]) return v;
    heap_.pop();
  }
  return 0;
}

Lit Internal::decide_phase(Var v) {
  int8_t phase = forced_[v];
  if (!phase && (opts.target == 2 || (opts.target == 1 && stable_))) phase = target_[v];
  if (!phase) phase = saved_[v];
  if (!phase) phase = opts.phase ? 1 : -1;
  return make_lit(v, phase < 0);
}

// Returns false when every variable is assigned (a model is found).
bool Internal::decide() {
  Lit lit = kNoLit;
  if (callbacks.on_decide && callbacks.decide_every &&
      ++decisions_since_callback_ >= callbacks.decide_every) {
    decisions_since_callback_ = 0;
    std::vector<int8_t> values(max_var_ + 1, 0);
    for (Var v = 1; v <= max_var_; v++) values[v] = vals_[make_lit(v, false)];
    int ext = callbacks.on_decide(values.data(), score_.data(), max_var_);
    if (ext) {
      Var v = Var(ext < 0 ? -ext : ext);
      // Ignore suggestions that are not free decisions (stale or invalid).
      if (v <= max_var_ && !eliminated_[v] && !vals_[make_lit(v, false)]) lit = from_dimacs(ext);
    }
  }
  if (lit == kNoLit) {
    Var v = next_decision_variable();
    if (!v) return false;
    lit = decide_phase(v);
  }
  stats.decisions++;
  new_level();
  assign(lit, kNoRef);
  return true;
}

}  // namespace satmip::sat
