#include "sat/lookahead.hpp"

#include <stdexcept>

namespace satmip::sat {
namespace {

// Literal l = 2 v + (negative). Counter-based propagation: per clause the number
// of true and of false literal occurrences, undone along the trail.
class Prober {
 public:
  Prober(int64_t nvars, const std::vector<int64_t>& indptr, const std::vector<int32_t>& var,
         const std::vector<int8_t>& sign)
      : indptr_(indptr), var_(var), sign_(sign), value_(size_t(nvars), 0),
        true_count_(indptr.size() - 1, 0), false_count_(indptr.size() - 1, 0) {
    const size_t nlits = 2 * size_t(nvars);
    std::vector<int64_t> degree(nlits + 1, 0);
    for (size_t k = 0; k < var.size(); ++k) ++degree[lit_at(k) + 1];
    occ_start_.assign(nlits + 1, 0);
    for (size_t l = 0; l < nlits; ++l) occ_start_[l + 1] = occ_start_[l] + degree[l + 1];
    occ_.resize(var.size());
    std::vector<int64_t> fill(occ_start_.begin(), occ_start_.end() - 1);
    for (size_t c = 0; c + 1 < indptr.size(); ++c)
      for (int64_t k = indptr[c]; k < indptr[c + 1]; ++k) occ_[size_t(fill[lit_at(size_t(k))]++)] = int64_t(c);
  }

  size_t lit_at(size_t k) const { return 2 * size_t(var_[k]) + (sign_[k] < 0); }
  int8_t lit_value(size_t l) const {
    int8_t v = value_[l >> 1];
    return (l & 1) ? int8_t(-v) : v;
  }
  int8_t var_value(int64_t v) const { return value_[size_t(v)]; }
  size_t trail_size() const { return trail_.size(); }
  uint64_t work() const { return work_; }

  // Assigns l true and propagates; false on a conflict or when the work passes
  // limit (then *out_of_work is set). The assignments stay on the trail.
  bool assume_and_propagate(size_t l, uint64_t limit, bool* out_of_work) {
    *out_of_work = false;
    if (lit_value(l) < 0) return false;
    if (lit_value(l) > 0) return true;
    size_t head = trail_.size();
    assign(l);
    for (; head < trail_.size(); ++head)
      if (!visit(head, limit, out_of_work)) return false;
    return true;
  }

  // Root units and empty clauses; false on a conflict.
  bool propagate_units() {
    bool out_of_work = false;
    for (size_t c = 0; c + 1 < indptr_.size(); ++c) {
      int64_t len = indptr_[c + 1] - indptr_[c];
      if (len == 0) return false;
      if (len == 1 && !assume_and_propagate(lit_at(size_t(indptr_[c])), UINT64_MAX, &out_of_work)) return false;
    }
    return true;
  }

  // Undoes the trail down to size keep (counters included).
  void backtrack(size_t keep) {
    while (trail_.size() > keep) {
      size_t l = trail_.back();
      trail_.pop_back();
      if (counted_.back()) {
        for (int64_t k = occ_start_[l]; k < occ_start_[l + 1]; ++k) --true_count_[size_t(occ_[size_t(k)])];
        for (int64_t k = occ_start_[l ^ 1]; k < occ_start_[(l ^ 1) + 1]; ++k) --false_count_[size_t(occ_[size_t(k)])];
      }
      counted_.pop_back();
      value_[l >> 1] = 0;
    }
  }

 private:
  void assign(size_t l) {
    value_[l >> 1] = (l & 1) ? -1 : 1;
    trail_.push_back(l);
    counted_.push_back(0);
  }

  // Counts the literal l at trail[position] true in its clauses and its negation false in theirs; a clause
  // left with one open literal and none true implies it.
  // position: l's place on the trail (counted_ marks it as visited for backtrack).
  bool visit(size_t position, uint64_t limit, bool* out_of_work) {
    size_t l = trail_[position];
    counted_[position] = 1;
    for (int64_t k = occ_start_[l]; k < occ_start_[l + 1]; ++k) ++true_count_[size_t(occ_[size_t(k)])];
    work_ += uint64_t(occ_start_[l + 1] - occ_start_[l]);
    size_t f = l ^ 1;
    bool ok = true;
    for (int64_t k = occ_start_[f]; k < occ_start_[f + 1]; ++k) {
      size_t c = size_t(occ_[size_t(k)]);
      int64_t len = indptr_[c + 1] - indptr_[c];
      int32_t falses = ++false_count_[c];
      ++work_;
      if (!ok || true_count_[c] > 0) continue;
      if (falses == len) { ok = false; continue; }   // keep counting: backtrack undoes every occurrence
      if (falses == len - 1) {
        work_ += uint64_t(len);
        for (int64_t j = indptr_[c]; j < indptr_[c + 1]; ++j) {
          size_t u = lit_at(size_t(j));
          if (lit_value(u) == 0) { assign(u); break; }
        }
      }
    }
    if (ok && work_ > limit) { *out_of_work = true; ok = false; }
    return ok;
  }

  const std::vector<int64_t>& indptr_;
  const std::vector<int32_t>& var_;
  const std::vector<int8_t>& sign_;
  std::vector<int8_t> value_;
  std::vector<int32_t> true_count_, false_count_;
  std::vector<int64_t> occ_start_, occ_;
  std::vector<size_t> trail_;
  std::vector<uint8_t> counted_;
  uint64_t work_ = 0;
};

}  // namespace

LookaheadResult lookahead(int64_t nvars, const std::vector<int64_t>& indptr, const std::vector<int32_t>& var,
                          const std::vector<int8_t>& sign, uint64_t probe_work_limit, uint64_t total_work_limit) {
  if (nvars < 0 || indptr.empty() || indptr.front() != 0 || uint64_t(indptr.back()) != var.size() ||
      var.size() != sign.size())
    throw std::invalid_argument("lookahead: inconsistent clause arrays");
  for (size_t c = 0; c + 1 < indptr.size(); ++c)
    if (indptr[c + 1] < indptr[c]) throw std::invalid_argument("lookahead: indptr must not decrease");
  for (size_t k = 0; k < var.size(); ++k)
    if (var[k] < 0 || var[k] >= nvars || (sign[k] != 1 && sign[k] != -1))
      throw std::invalid_argument("lookahead: a literal's variable or sign is out of range");
  LookaheadResult r;
  r.implied.assign(2 * size_t(nvars), 0);
  r.probed.assign(2 * size_t(nvars), 0);
  Prober p(nvars, indptr, var, sign);
  auto values = [&]() {
    std::vector<int8_t> out(size_t(nvars), 0);
    for (int64_t v = 0; v < nvars; ++v) out[size_t(v)] = p.var_value(v);
    return out;
  };
  if (!p.propagate_units()) {
    r.root_conflict = true;
    r.root_value.assign(size_t(nvars), 0);
    r.value.assign(size_t(nvars), 0);
    r.work = p.work();
    return r;
  }
  r.root_value = values();
  for (int64_t v = 0; v < nvars && !r.root_conflict; ++v) {
    for (size_t l = 2 * size_t(v); l < 2 * size_t(v) + 2; ++l) {
      if (p.var_value(v) != 0 || p.work() >= total_work_limit) break;
      size_t keep = p.trail_size();
      bool out_of_work = false;
      uint64_t limit = p.work() + probe_work_limit;
      bool ok = p.assume_and_propagate(l, limit < total_work_limit ? limit : total_work_limit, &out_of_work);
      size_t implied = p.trail_size() - keep - 1;
      p.backtrack(keep);
      if (out_of_work) continue;   // unfinished: neither a count nor a failure
      r.probed[l] = 1;
      if (ok) {
        r.implied[l] = int32_t(implied);
        continue;
      }
      ++r.failed_literals;           // l fails: its negation holds at the root
      if (!p.assume_and_propagate(l ^ 1, UINT64_MAX, &out_of_work)) r.root_conflict = true;
      break;
    }
  }
  r.value = r.root_conflict ? std::vector<int8_t>(size_t(nvars), 0) : values();
  r.work = p.work();
  return r;
}

}  // namespace satmip::sat
