// Variables, clause storage and the proof hooks shared by all techniques.
#include "sat/internal.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace satmip::sat {

Internal::Internal() {
  grow_to(0);
}

Internal::~Internal() = default;

// The arrays are dense in the variable index, so one huge index costs
// memory for every index below it: refuse it (the option maxvar) rather than
// allocate gigabytes for a single literal.
void Internal::grow_to(Var v) {
  if (v <= max_var_ && !vals_.empty()) return;
  if (v > Var(opts.maxvar))
    throw std::invalid_argument("variable " + std::to_string(v) + " exceeds the limit maxvar=" +
                                std::to_string(opts.maxvar) +
                                " (memory is sized by the largest variable index, ~150 bytes per variable;"
                                " raise the option maxvar to allow it)");
  size_t n = size_t(v) + 1;
  size_t old_cap = vals_.size() / 2;
  try {
    if (n > old_cap) resize_variable_arrays(std::max(n, old_cap * 3 / 2));  // geometric: linear growth
    queue_.resize(size_t(v) + 1);
  } catch (...) {  // std::bad_alloc: back to the old sizes, so the solver stays usable
    resize_variable_arrays(old_cap);
    queue_.resize(size_t(max_var_) + 1);
    throw;
  }
  Var old_max = max_var_;
  max_var_ = std::max(max_var_, v);
  for (Var w = old_max + 1; w <= max_var_; w++) heap_.push(w);
}

// Shrinking (after a failed growth) cannot throw.
void Internal::resize_variable_arrays(size_t cap) {
  vals_.resize(2 * cap, 0);
  watches_.resize(2 * cap);
  level_.resize(cap, 0);
  reason_.resize(cap, kNoRef);
  trail_pos_.resize(cap, 0);
  flags_.resize(cap, 0);
  unit_id_.resize(cap, 0);
  frozen_.resize(cap, 0);
  eliminated_.resize(cap, 0);
  elim_blocked_.resize(cap, 0);
  saved_.resize(cap, opts.phase ? 1 : -1);
  target_.resize(cap, 0);
  best_.resize(cap, 0);
  initial_.resize(cap, 0);
  forced_.resize(cap, 0);
  score_.resize(cap, 0.0);
  unit_in_chain_.resize(cap, 0);
  glue_stamp_.resize(cap + 1, 0);
  level_info_.resize(cap + 1);
  heap_.resize(cap);
}

void Internal::reserve_vars(Var v) { grow_to(v); }

void Internal::set_proof(std::unique_ptr<ProofWriter> proof) { proof_ = std::move(proof); }

void Internal::proof_add(uint64_t id, const std::vector<Lit>& lits, const std::vector<uint64_t>& hints) {
  if (proof_) proof_->add(id, lits.data(), lits.size(), hints);
}

void Internal::proof_delete(const Clause& c) {
  if (proof_) proof_->remove(c.id, c.lits(), c.size);
}

void Internal::learn_empty(const std::vector<uint64_t>& hints) {
  if (inconsistent_) return;
  inconsistent_ = true;
  proof_add(next_id(), {}, hints);
  if (proof_) proof_->flush();
}

CRef Internal::new_clause(uint64_t id, const std::vector<Lit>& lits, bool learnt, uint32_t glue) {
  CRef ref = arena_.alloc(id, lits.data(), uint32_t(lits.size()), learnt, glue);
  (learnt ? learnts_ : clauses_).push_back(ref);
  watch_clause(ref);
  return ref;
}

void Internal::watch_clause(CRef ref) {
  const Clause& c = arena_.at(ref);
  bool binary = c.size == 2;
  watches_[c[0]].emplace_back(c[1], ref, binary);
  watches_[c[1]].emplace_back(c[0], ref, binary);
}

// keep_in_proof: the clause leaves the solver but not the proof, because it
// may come back under the same id (eliminated clauses, restore_eliminated).
void Internal::mark_garbage(CRef ref, bool keep_in_proof) {
  Clause& c = arena_.at(ref);
  if (c.garbage) return;
  c.garbage = true;
  if (!keep_in_proof) proof_delete(c);
  arena_.free_words(Arena::words_of(c));
  stats.deleted++;
}

// Original clause: the id is its position in the input, whatever happens to
// it, so that LRAT hints match the numbering of the DIMACS file. With an
// LRAT proof nothing is derived while clauses are added (a derived clause
// would take an id that a later original clause needs): units are assigned
// without propagation and clauses with root-false literals wait in
// pending_originals_ until the next solve.
bool Internal::add_original(const int* ext, size_t size) {
  uint64_t id = next_id();
  original_count_++;
  if (proof_) proof_->input(id);
  if (inconsistent_) return false;
  if (decision_level() > 0) backtrack(0);
  std::vector<Lit> lits;
  lits.reserve(size);
  Var maxv = 0;
  for (size_t i = 0; i < size; i++) {
    if (ext[i] == 0) throw std::invalid_argument("literal 0 inside a clause");
    Lit l = from_dimacs(ext[i]);
    maxv = std::max(maxv, var_of(l));
    lits.push_back(l);
  }
  grow_to(maxv);
  std::sort(lits.begin(), lits.end());
  lits.erase(std::unique(lits.begin(), lits.end()), lits.end());
  bool has_false = false;
  for (size_t i = 0; i < lits.size(); i++) {
    Lit l = lits[i];
    if (i + 1 < lits.size() && lits[i + 1] == negate(l)) return true;  // tautology
    if (eliminated_[var_of(l)]) restore_eliminated(var_of(l));
    if (val(l) > 0) return true;  // satisfied at the root
    if (val(l) < 0) has_false = true;
  }
  if (lrat() && (has_false || lits.empty())) {
    pending_originals_.push_back({id, std::move(lits)});
    return true;
  }
  return add_simplified(id, lits, !lrat());
}

// The literals of a clause that are not false at the root, and (LRAT) the
// unit clauses that falsify the others: the hints of the shorter clause,
// before the id of the clause itself.
void Internal::drop_root_false(const std::vector<Lit>& lits, std::vector<Lit>& kept,
                               std::vector<uint64_t>& hints) {
  kept.clear();
  hints.clear();
  for (Lit l : lits) {
    if (val(l) < 0) {
      if (lrat()) hints.push_back(unit_id_[var_of(l)]);
    } else {
      kept.push_back(l);
    }
  }
}

// Adds a clause that is not satisfied at the root: false literals are
// removed (the shorter clause is derived from the units), a unit is
// assigned, and with 'propagate_now' the root is propagated.
bool Internal::add_simplified(uint64_t id, const std::vector<Lit>& lits, bool propagate_now) {
  std::vector<uint64_t> hints;
  std::vector<Lit> kept;
  drop_root_false(lits, kept, hints);
  if (kept.size() < lits.size() || kept.empty()) {
    uint64_t nid = next_id();
    hints.push_back(id);
    proof_add(nid, kept, hints);
    if (!kept.empty() && proof_) proof_->remove(id, lits.data(), lits.size());
    id = nid;
  }
  if (kept.empty()) {
    inconsistent_ = true;
    if (proof_) proof_->flush();
    return false;
  }
  if (kept.size() == 1) {
    assign_root_unit(kept[0], id);
    return !propagate_now || propagate_root();
  }
  new_clause(id, kept, false, 0);
  return true;
}

// Propagates at the root; a conflict derives the empty clause (false).
bool Internal::propagate_root() {
  CRef conflict = propagate();
  if (conflict != kNoRef) {
    analyze_root_conflict(conflict);
    return false;
  }
  derive_root_units();
  return true;
}

// A unit clause with proof id 'id' fixes its literal at the root.
void Internal::assign_root_unit(Lit l, uint64_t id) {
  fixed_units_++;
  unit_id_[var_of(l)] = id;
  assign(l, kNoRef);
}

// Before solving: propagate the units added since, then add the clauses
// that were waiting for their derivation.
bool Internal::flush_pending_originals() {
  if (inconsistent_) return false;
  if (decision_level() > 0) backtrack(0);
  if (!propagate_root()) return false;
  std::vector<std::pair<uint64_t, std::vector<Lit>>> pending;
  pending.swap(pending_originals_);
  for (auto& [id, lits] : pending) {
    bool satisfied = false;
    for (Lit l : lits) satisfied |= val(l) > 0;
    if (satisfied) continue;
    if (!add_simplified(id, lits, true)) return false;
  }
  return true;
}

void Internal::freeze(Var v) {
  grow_to(v);
  frozen_[v]++;
}

void Internal::melt(Var v) {
  if (v <= max_var_ && frozen_[v]) frozen_[v]--;
}

// Scores may go down, which the heap cannot follow one by one: it is
// rebuilt once before the next search instead (guidance sets all scores).
void Internal::set_initial_score(Var v, double s) {
  grow_to(v);
  score_[v] = s;
  heap_dirty_ = true;
}

int Internal::fixed_value(Var v) const {
  if (v > max_var_) return 0;
  Lit l = make_lit(v, false);
  if (vals_[l] != 0 && level_[v] == 0) return vals_[l];
  return 0;
}

int Internal::value(int dimacs_lit) const {
  Var v = Var(dimacs_lit < 0 ? -dimacs_lit : dimacs_lit);
  if (v >= model_.size()) return dimacs_lit < 0 ? 1 : -1;  // unknown variables are false
  int8_t x = model_[v];
  return dimacs_lit < 0 ? -x : x;
}

size_t Internal::memory_bytes() const {
  size_t bytes = arena_.bytes();
  for (const auto& w : watches_) bytes += w.capacity() * sizeof(Watch);
  bytes += vals_.capacity() + level_.capacity() * (sizeof(int) + sizeof(CRef) + 4 + 8 + 8 + 6);
  return bytes;
}

void Internal::export_irredundant(std::vector<int>& flat) const {
  flat.clear();
  for (Lit l : trail_)
    if (level_[var_of(l)] == 0) flat.push_back(to_dimacs(l)), flat.push_back(0);
  for (CRef r : clauses_) {
    const Clause& c = arena_.at(r);
    if (c.garbage) continue;
    for (Lit l : c) flat.push_back(to_dimacs(l));
    flat.push_back(0);
  }
  // With an LRAT proof, clauses with root-false literals wait until the next
  // solve (add_original); they belong to the formula already.
  for (const auto& pending : pending_originals_) {
    bool satisfied = false;
    for (Lit l : pending.second) satisfied |= val(l) > 0;
    if (satisfied) continue;
    for (Lit l : pending.second)
      if (val(l) == 0) flat.push_back(to_dimacs(l));
    flat.push_back(0);
  }
}

}  // namespace satmip::sat
