// Conflict analysis: first-UIP learning, minimisation, glue, the
// LRAT chain of the learned clause, and the backjump.
#include <algorithm>

#include "sat/internal.hpp"

namespace satmip::sat {

// A root-level literal assigned out of order (chronological backtracking)
// gets its unit clause when a chain first needs it.
void Internal::ensure_unit_id(Var v) {
  if (unit_id_[v] || !lrat()) return;
  std::vector<Var> stack{v};
  std::vector<uint64_t> hints;
  std::vector<Lit> unit(1);
  while (!stack.empty()) {
    Var u = stack.back();
    if (unit_id_[u]) {
      stack.pop_back();
      continue;
    }
    const Clause& c = arena_.at(reason_[u]);
    bool ready = true;
    for (Lit o : c)
      if (var_of(o) != u && !unit_id_[var_of(o)]) stack.push_back(var_of(o)), ready = false;
    if (!ready) continue;
    stack.pop_back();
    hints.clear();
    for (Lit o : c)
      if (var_of(o) != u) hints.push_back(unit_id_[var_of(o)]);
    hints.push_back(c.id);
    unit[0] = vals_[make_lit(u, false)] > 0 ? make_lit(u, false) : make_lit(u, true);
    unit_id_[u] = next_id();
    proof_add(unit_id_[u], unit, hints);
  }
}

void Internal::derive_all_root_units() {
  if (!lrat()) return;
  for (Lit l : trail_)
    if (level_[var_of(l)] == 0) ensure_unit_id(var_of(l));
}

void Internal::add_unit_hint(Var v) {
  ensure_unit_id(v);
  if (unit_in_chain_[v]) return;
  unit_in_chain_[v] = 1;
  chain_units_.push_back(v);
}

void Internal::bump_clause(Clause& c) {
  if (!c.learnt || c.glue <= opts.tier1) return;
  c.used = c.glue <= opts.tier2 ? 2 : 1;
}

// Every root-level implied literal gets a unit clause of its own in the
// proof, so that later LRAT chains can name it by one id.
void Internal::derive_root_units() {
  if (decision_level() > 0) return;
  for (; root_units_done_ < trail_.size(); root_units_done_++)
    ensure_unit_id(var_of(trail_[root_units_done_]));
}

void Internal::analyze_root_conflict(CRef conflict) {
  derive_root_units();
  std::vector<uint64_t> hints;
  const Clause& c = arena_.at(conflict);
  if (lrat()) {
    for (Lit l : c) ensure_unit_id(var_of(l));
    for (Lit l : c) hints.push_back(unit_id_[var_of(l)]);
    hints.push_back(c.id);
  }
  learn_empty(hints);
}

uint32_t Internal::compute_glue(const std::vector<Lit>& lits) {
  if (++glue_stamp_counter_ == 0) {
    std::fill(glue_stamp_.begin(), glue_stamp_.end(), 0);
    glue_stamp_counter_ = 1;
  }
  uint32_t glue = 0;
  for (Lit l : lits) {
    int lv = level_of(l);
    if (glue_stamp_[lv] != glue_stamp_counter_) {
      glue_stamp_[lv] = glue_stamp_counter_;
      glue++;
    }
  }
  return glue;
}

// A literal of the learned clause (false now) is redundant if the other
// literals of its reason are in the clause, redundant themselves, or fixed
// at the root. Levels with fewer than two clause literals, and literals
// assigned before the first clause literal of their level, cannot be
// redundant (the implication chain would reach that level's decision).
//
// The test is a depth-first search over reasons. It keeps its own stack
// (minimize_stack_) rather than recursing: a chain of implications is as
// deep as the trail, and minimizedepth may be 100000, which would overflow
// a thread's stack.

// The verdict on v without looking at its reason: kRedundant, kKept, or
// kExpand when the literals of its reason decide.
Internal::MinimizeVerdict Internal::minimize_shortcut(Var v, int depth) {
  int lv = level_[v];
  if (lv == 0) {
    if (lrat()) add_unit_hint(v);
    return kRedundant;
  }
  uint8_t f = flags_[v];
  if (f & kRemovable) return kRedundant;
  if (depth && (f & kKeep)) return kRedundant;
  if (f & kPoison) return kKept;
  if (reason_[v] == kNoRef || lv == conflict_level_ || depth > opts.minimizedepth) return kKept;
  const LevelInfo& info = level_info_[lv];
  if ((!depth && info.seen < 2) || trail_pos_[v] <= info.first_pos) return kKept;
  return kExpand;
}

void Internal::minimize_record(Var v, bool removable) {
  if (!flags_[v]) minimized_.push_back(v);
  flags_[v] |= removable ? kRemovable : kPoison;
  if (removable && lrat()) chain_reasons_.emplace_back(trail_pos_[v], arena_.at(reason_[v]).id);
}

bool Internal::minimize_literal(Lit lit) {
  MinimizeVerdict first = minimize_shortcut(var_of(lit), 0);
  if (first != kExpand) return first == kRedundant;
  std::vector<MinimizeFrame>& stack = minimize_stack_;
  stack.clear();
  stack.push_back({var_of(lit), 0});
  bool child_kept = false;  // the frame just popped was not redundant
  while (!stack.empty()) {
    MinimizeFrame& top = stack.back();
    const Var v = top.var;
    bool removable = !child_kept;
    Var expand = 0;
    if (removable) {
      const Clause& c = arena_.at(reason_[v]);
      const int depth = int(stack.size());  // of the literals of v's reason
      while (top.next < c.size) {
        Var u = var_of(c[top.next++]);
        if (u == v) continue;
        MinimizeVerdict verdict = minimize_shortcut(u, depth);
        if (verdict == kRedundant) continue;
        if (verdict == kKept) removable = false;
        else expand = u;
        break;
      }
    }
    if (expand) {
      stack.push_back({expand, 0});  // invalidates `top`
      continue;
    }
    minimize_record(v, removable);
    stack.pop_back();
    child_kept = !removable;
  }
  return !child_kept;
}

void Internal::minimize_clause() {
  for (size_t i = 1; i < learnt_.size(); i++) flags_[var_of(learnt_[i])] |= kKeep;
  size_t j = 1;
  for (size_t i = 1; i < learnt_.size(); i++) {
    Lit l = learnt_[i];
    if (!minimize_literal(l)) learnt_[j++] = l;
  }
  stats.minimized_literals += learnt_.size() - j;
  learnt_.resize(j);
}

// Variables in the reasons of the learned clause's literals get bumped too
// (as in CaDiCaL's bumpreason): they are close to the conflict without
// being in it. Bounded so that long reasons do not flood the queue.
void Internal::bump_reason_literals() {
  size_t limit = analyzed_.size() + size_t(opts.bumpreasonlimit) * learnt_.size();
  for (size_t i = 1; i < learnt_.size() && analyzed_.size() < limit; i++) {
    CRef r = reason_[var_of(learnt_[i])];
    if (r == kNoRef) continue;
    for (Lit l : arena_.at(r)) {
      Var u = var_of(l);
      if (flags_[u] || !level_[u]) continue;
      flags_[u] = kSeen;
      analyzed_.push_back(u);
      if (analyzed_.size() >= limit) break;
    }
  }
}

void Internal::clear_analyzed() {
  for (Var v : analyzed_) flags_[v] = 0;
  for (Var v : minimized_) flags_[v] = 0;
  analyzed_.clear();
  minimized_.clear();
  for (int lv : levels_touched_) level_info_[lv] = LevelInfo();
  levels_touched_.clear();
  for (Var v : chain_units_) unit_in_chain_[v] = 0;
}

// The hints of a learned clause: root units first, then the reasons in
// trail order (each becomes unit once the earlier ones are applied), the
// conflict last.
void Internal::collect_lrat_chain(CRef conflict) {
  chain_.clear();
  for (Var v : chain_units_) chain_.push_back(unit_id_[v]);
  std::sort(chain_reasons_.begin(), chain_reasons_.end());
  for (const auto& pr : chain_reasons_) chain_.push_back(pr.second);
  chain_.push_back(arena_.at(conflict).id);
}

// With out-of-order assignments the conflict may belong to a lower level
// than the current one. Returns that level after backtracking to it, or -1
// when the clause has a single literal there: then it was a missed
// implication, which is assigned instead of learning.
int Internal::find_conflict_level(CRef conflict) {
  if (!chrono_dirty_) return decision_level();
  const Clause& c = arena_.at(conflict);
  int highest = 0, second = 0, count = 0;
  Lit forced = kNoLit;
  for (Lit l : c) {
    int lv = level_of(l);
    if (lv > highest) {
      second = highest;
      highest = lv, count = 1, forced = l;
    } else if (lv == highest) {
      count++;
    } else if (lv > second) {
      second = lv;
    }
  }
  if (count == 1 && highest > 0) {
    backtrack(highest - 1);
    assign(forced, conflict, second);
    return -1;
  }
  backtrack(highest);
  return highest;
}

void Internal::analyze(CRef conflict) {
  stats.conflicts++;
  if (stable_) stats.stable_conflicts++;
  const int conflict_level = find_conflict_level(conflict);
  if (conflict_level < 0) return;
  if (conflict_level == 0) {
    analyze_root_conflict(conflict);
    return;
  }
  conflict_level_ = conflict_level;
  const bool with_chain = lrat();
  learnt_.clear();
  learnt_.push_back(kNoLit);
  chain_reasons_.clear();
  chain_units_.clear();

  Lit uip = kNoLit;
  int open = 0;
  size_t idx = trail_.size();
  CRef reason = conflict;
  for (;;) {
    Clause& c = arena_.at(reason);
    bump_clause(c);
    if (with_chain && reason != conflict) chain_reasons_.emplace_back(trail_pos_[var_of(uip)], c.id);
    for (Lit q : c) {
      Var v = var_of(q);
      if (flags_[v] & kSeen) continue;
      int lv = level_[v];
      if (lv == 0) {
        if (with_chain) add_unit_hint(v);
        continue;
      }
      flags_[v] = kSeen;
      analyzed_.push_back(v);
      if (lv == conflict_level) {
        open++;
      } else {
        learnt_.push_back(q);
        LevelInfo& info = level_info_[lv];
        if (!info.seen) levels_touched_.push_back(lv);
        info.seen++;
        info.first_pos = std::min(info.first_pos, trail_pos_[v]);
      }
    }
    do {
      uip = trail_[--idx];
    } while (!(flags_[var_of(uip)] & kSeen) || level_[var_of(uip)] != conflict_level);
    if (--open == 0) break;
    reason = reason_[var_of(uip)];
  }
  learnt_[0] = negate(uip);

  if (opts.minimize && learnt_.size() > 1) minimize_clause();
  if (with_chain) collect_lrat_chain(conflict);

  // Second watch: the literal of the highest level below the conflict level.
  int jump = 0;
  if (learnt_.size() > 1) {
    size_t best = 1;
    for (size_t i = 2; i < learnt_.size(); i++)
      if (level_of(learnt_[i]) > level_of(learnt_[best])) best = i;
    std::swap(learnt_[1], learnt_[best]);
    jump = level_of(learnt_[1]);
  }
  if (opts.bumpreason) bump_reason_literals();
  uint32_t glue = compute_glue(learnt_);
  glue_fast_.update(glue);
  glue_slow_.update(glue);

  bump_variables();
  clear_analyzed();

  stats.learned++;
  stats.learned_literals += learnt_.size();
  uint64_t id = next_id();
  proof_add(id, learnt_, chain_);
  if (callbacks.on_learned && learnt_.size() <= callbacks.learned_max_size) {
    std::vector<int> ext;
    ext.reserve(learnt_.size());
    for (Lit l : learnt_) ext.push_back(to_dimacs(l));
    callbacks.on_learned(ext);
  }

  if (learnt_.size() == 1) {
    backtrack(0);
    stats.learned_units++;
    unit_id_[var_of(learnt_[0])] = id;
    assign(learnt_[0], kNoRef);
    root_units_done_ = trail_.size();
  } else {
    // Chronological backtracking: a long jump goes back one level only and
    // the asserted literal is placed out of order at the jump level.
    int target = jump;
    if (opts.chrono == 2 || (opts.chrono == 1 && conflict_level - jump > opts.chronolevels)) {
      target = conflict_level - 1;
      if (target > jump) {
        stats.chrono_backtracks++;
        chrono_dirty_ = true;
      }
    }
    backtrack(target);
    if (learnt_.size() == 2) stats.learned_binary++;
    CRef ref = new_clause(id, learnt_, true, glue);
    Clause& c = arena_.at(ref);
    c.used = glue <= opts.tier2 ? 2 : 1;
    assign(learnt_[0], ref, jump);
  }
  decay_scores();
}

}  // namespace satmip::sat
