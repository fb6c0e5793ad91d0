// Bounded variable elimination (SatELite style): a variable whose
// non-tautological resolvents are no more numerous than the clauses they
// replace is removed; the removed clauses are kept on the extension stack to
// rebuild its value in models (extend.cpp). Stopped midway (work_done()),
// the step ends between two variables: one whose resolvents are being
// counted is left as it was.
#include <algorithm>

#include "sat/internal.hpp"
#include "sat/occurrences.hpp"

namespace satmip::sat {

namespace {

// Resolvent of a and b on pivot variable v; false if tautological.
bool resolve(const Clause& a, const Clause& b, Var v, std::vector<int8_t>& mark, std::vector<Lit>& out) {
  out.clear();
  for (Lit l : a)
    if (var_of(l) != v) mark[l] = 1, out.push_back(l);
  bool tautology = false;
  for (Lit l : b) {
    if (var_of(l) == v || mark[l]) continue;
    if (mark[negate(l)]) {
      tautology = true;
      break;
    }
    out.push_back(l);
  }
  for (Lit l : a) mark[l] = 0;
  return !tautology;
}

}  // namespace

bool Internal::eliminable(Var v) const {
  return !frozen_[v] && !eliminated_[v] && !vals_[make_lit(v, false)] && !elim_blocked_[v];
}

void Internal::eliminate() {
  if (!opts.elim) return;
  Occurrences occs;
  auto stopped = [this](uint64_t work) { return work_done(work); };
  if (!occs.build(arena_, clauses_, 2 * (size_t(max_var_) + 1), stopped)) return;
  std::vector<int8_t>& mark = marks_;
  mark.assign(2 * (size_t(max_var_) + 1), 0);
  std::vector<std::pair<size_t, Var>> candidates;
  for (Var v = 1; v <= max_var_; v++) {
    if (!eliminable(v)) continue;
    size_t n = occs.lists[make_lit(v, false)].size() + occs.lists[make_lit(v, true)].size();
    // Variables in no clause stay: a later clause on them would force a restore.
    if (n > 0 && n <= size_t(opts.elimocclim)) candidates.emplace_back(n, v);
  }
  std::sort(candidates.begin(), candidates.end());
  if (work_done(candidates.size())) return;
  int64_t budget = 10 * int64_t(arena_.words()) + 2000000;
  std::vector<Lit> resolvent;
  struct Resolvent { std::vector<Lit> lits; uint64_t a, b; };  // b falsified once a implies the pivot
  std::vector<Resolvent> resolvents;
  for (const auto& cand : candidates) {
    Var v = cand.second;
    if (budget < 0 || inconsistent_ || stopped(1)) break;
    if (!eliminable(v)) continue;
    Lit p = make_lit(v, false), n = make_lit(v, true);
    std::vector<CRef> pos = occs.live(arena_, p), neg = occs.live(arena_, n);
    size_t limit = pos.size() + neg.size() + size_t(opts.elimbound);
    if (pos.size() + neg.size() > size_t(opts.elimocclim)) continue;
    resolvents.clear();
    bool ok = true;
    for (CRef a : pos) {
      for (CRef b : neg) {
        budget -= arena_.at(a).size + arena_.at(b).size;
        if (stopped(arena_.at(a).size + arena_.at(b).size)) {
          ok = false;
          break;
        }
        if (!resolve(arena_.at(a), arena_.at(b), v, mark, resolvent)) continue;
        if (resolvent.size() > size_t(opts.elimclslim) || resolvents.size() + 1 > limit) {
          ok = false;
          break;
        }
        resolvents.push_back({resolvent, arena_.at(a).id, arena_.at(b).id});
      }
      if (!ok) break;
    }
    if (!ok) continue;
    // Eliminate: add the resolvents, keep the clauses of both sides for the
    // extension (so a model can give the variable its preferred phase when
    // the clauses allow it), delete them.
    for (auto& res : resolvents) {
      const std::vector<Lit>& r = res.lits;
      if (r.empty()) {
        learn_empty({res.a, res.b});
        return;
      }
      uint64_t id = next_id();
      proof_add(id, r, {res.a, res.b});
      if (r.size() == 1) {
        inprocess_units_.emplace_back(r[0], id);
        elim_blocked_[var_of(r[0])] = 1;
        continue;
      }
      CRef ref = arena_.alloc(id, r.data(), uint32_t(r.size()), false, 0);
      clauses_.push_back(ref);
      occs.add(arena_, ref);
    }
    for (CRef r : pos) push_witness(arena_.at(r), p);
    for (CRef r : neg) push_witness(arena_.at(r), n);
    push_witness_default(v);
    for (CRef r : pos) mark_garbage(r, true);
    for (CRef r : neg) mark_garbage(r, true);
    eliminated_[v] = 1;
    stats.eliminated++;
  }
  // Learned clauses on eliminated variables go too.
  for (CRef r : learnts_) {
    Clause& c = arena_.at(r);
    if (c.garbage) continue;
    for (Lit l : c)
      if (eliminated_[var_of(l)]) {
        mark_garbage(r);
        break;
      }
  }
}

void Internal::push_witness(const Clause& c, Lit pivot) {
  extension_.push_back({pivot, uint32_t(extension_lits_.size()), c.size, false, c.id});
  for (Lit l : c) extension_lits_.push_back(l);
}

// Pushed after the variable's clauses, so that extension (which goes
// backwards) sets the preferred phase first and then repairs it.
void Internal::push_witness_default(Var v) {
  extension_.push_back({make_lit(v, false), uint32_t(extension_lits_.size()), 0, true, 0});
}

}  // namespace satmip::sat
