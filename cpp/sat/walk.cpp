// Local search for rephasing: ProbSAT on the irredundant clauses under the
// root assignment, started from the saved phases. The assignment with the
// fewest falsified clauses becomes the new saved phases. A stop request
// (work_done()) ends the walk early, at the best assignment so far.
#include <algorithm>
#include <cmath>

#include "sat/internal.hpp"

namespace satmip::sat {

class Walker {
 public:
  explicit Walker(Internal& s) : s_(s) {}

  void run(uint64_t tick_limit) {
    build();
    if (unsat_.empty()) {
      save();
      return;
    }
    size_t best = unsat_.size();
    std::vector<double> probs;
    std::vector<Lit> candidates;
    uint64_t ticks = 0;
    uint64_t checked = 0;
    while (!unsat_.empty() && ticks < tick_limit && !s_.work_done(ticks - checked)) {
      checked = ticks;
      uint32_t c = unsat_[s_.rng_() % unsat_.size()];
      candidates.clear();
      probs.clear();
      double sum = 0;
      for (uint32_t k = start_[c]; k < start_[c + 1]; k++) {
        Lit l = lits_[k];
        uint32_t brk = 0;
        Lit t = negate(l);
        for (uint32_t o = occ_start_[t]; o < occ_start_[t + 1]; o++)
          if (true_count_[occs_[o]] == 1) brk++;
        ticks += 1 + (occ_start_[t + 1] - occ_start_[t]);
        double p = brk < score_table_.size() ? score_table_[brk] : score_table_.back();
        candidates.push_back(l);
        probs.push_back(p);
        sum += p;
      }
      double r = std::uniform_real_distribution<double>(0, sum)(s_.rng_);
      size_t pick = 0;
      while (pick + 1 < probs.size() && r >= probs[pick]) r -= probs[pick++];
      flip(candidates[pick]);
      s_.stats.walk_flips++;
      if (unsat_.size() < best) {
        best = unsat_.size();
        flips_since_best_.clear();
      }
    }
    // Return to the best assignment seen.
    for (size_t i = flips_since_best_.size(); i-- > 0;) flip(flips_since_best_[i], false);
    save();
  }

 private:
  void build() {
    const Internal& s = s_;
    size_t nlits = 2 * (size_t(s.max_var_) + 1);
    value_.assign(s.max_var_ + 1, 0);
    for (Var v = 1; v <= s.max_var_; v++) {
      Lit pos = make_lit(v, false);
      value_[v] = s.vals_[pos] ? s.vals_[pos] : (s.saved_[v] ? s.saved_[v] : 1);
    }
    start_.clear();
    lits_.clear();
    double total_size = 0;
    for (CRef r : s.clauses_) {
      const Clause& c = s.arena_.at(r);
      if (c.garbage) continue;
      bool satisfied = false;
      size_t mark = lits_.size();
      for (Lit l : c) {
        int8_t v = s.vals_[l];
        if (v > 0) { satisfied = true; break; }
        if (v == 0) lits_.push_back(l);
      }
      if (satisfied) { lits_.resize(mark); continue; }
      start_.push_back(uint32_t(mark));
      total_size += double(lits_.size() - mark);
    }
    size_t nclauses = start_.size();
    start_.push_back(uint32_t(lits_.size()));
    // Occurrence lists in one array (CSR) to keep the walk cache-friendly.
    occ_start_.assign(nlits + 1, 0);
    for (Lit l : lits_) occ_start_[l + 1]++;
    for (size_t i = 1; i <= nlits; i++) occ_start_[i] += occ_start_[i - 1];
    occs_.resize(lits_.size());
    std::vector<uint32_t> fill(occ_start_.begin(), occ_start_.end() - 1);
    for (uint32_t c = 0; c < nclauses; c++)
      for (uint32_t k = start_[c]; k < start_[c + 1]; k++) occs_[fill[lits_[k]]++] = c;
    true_count_.assign(nclauses, 0);
    unsat_pos_.assign(nclauses, UINT32_MAX);
    unsat_.clear();
    for (uint32_t c = 0; c < nclauses; c++) {
      for (uint32_t k = start_[c]; k < start_[c + 1]; k++)
        if (lit_true(lits_[k])) true_count_[c]++;
      if (!true_count_[c]) add_unsat(c);
    }
    // ProbSAT with exponential break scores; the base grows with the
    // average clause length (values after CaDiCaL's walk).
    double avg = nclauses ? total_size / double(nclauses) : 3;
    double cb = avg <= 3 ? 2.5 : avg <= 4 ? 2.85 : avg <= 5 ? 3.7 : avg <= 6 ? 5.1 : 7.4;
    score_table_.clear();
    for (double p = 1.0; p > 1e-300 && score_table_.size() < 1000; p /= cb) score_table_.push_back(p);
  }

  bool lit_true(Lit l) const { return (value_[var_of(l)] > 0) != is_negative(l); }

  void add_unsat(uint32_t c) {
    unsat_pos_[c] = uint32_t(unsat_.size());
    unsat_.push_back(c);
  }
  void remove_unsat(uint32_t c) {
    uint32_t pos = unsat_pos_[c];
    uint32_t last = unsat_.back();
    unsat_[pos] = last;
    unsat_pos_[last] = pos;
    unsat_.pop_back();
    unsat_pos_[c] = UINT32_MAX;
  }

  // Make l true.
  void flip(Lit l, bool record = true) {
    Var v = var_of(l);
    value_[v] = is_negative(l) ? -1 : 1;
    for (uint32_t o = occ_start_[l]; o < occ_start_[l + 1]; o++) {
      uint32_t c = occs_[o];
      if (true_count_[c]++ == 0) remove_unsat(c);
    }
    Lit f = negate(l);
    for (uint32_t o = occ_start_[f]; o < occ_start_[f + 1]; o++) {
      uint32_t c = occs_[o];
      if (--true_count_[c] == 0) add_unsat(c);
    }
    if (record) flips_since_best_.push_back(f);
  }

  void save() {
    for (Var v = 1; v <= s_.max_var_; v++)
      if (!s_.vals_[make_lit(v, false)]) s_.saved_[v] = value_[v];
  }

  Internal& s_;
  std::vector<int8_t> value_;
  std::vector<uint32_t> start_, occ_start_, occs_, true_count_, unsat_pos_, unsat_;
  std::vector<Lit> lits_, flips_since_best_;
  std::vector<double> score_table_;
};

void Internal::walk() {
  ScopedTimer timer(times.walk);
  stats.walks++;
  // A walk tick is one occurrence visited, about a tenth of a propagation.
  uint64_t effort = 10 * (stats.propagations - walk_propagations_mark_) * uint64_t(opts.walkeffort) / 1000;
  walk_propagations_mark_ = stats.propagations;
  Walker(*this).run(std::max<uint64_t>(effort, 1000000));
}

}  // namespace satmip::sat
