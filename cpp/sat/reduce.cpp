// Learned clause database reduction in tiers by glue: glue <= tier1 is kept
// forever, glue <= tier2 while it keeps being used, and of the rest the
// unused ones with the worst glue and size are deleted.
#include <algorithm>
#include <cmath>

#include "sat/internal.hpp"

namespace satmip::sat {

bool Internal::reducing() { return opts.reduce && stats.conflicts >= next_reduce_; }

bool Internal::is_reason(CRef ref) {
  const Clause& c = arena_.at(ref);
  for (uint32_t i = 0; i < 2 && i < c.size; i++) {
    Lit l = c[i];
    if (vals_[l] > 0 && reason_[var_of(l)] == ref) return true;
  }
  return false;
}

void Internal::reduce() {
  ScopedTimer timer(times.reduce);
  stats.reductions++;
  next_reduce_ = stats.conflicts + uint64_t(opts.reduceint * std::sqrt(double(stats.reductions + 1)));
  std::vector<CRef> candidates;
  for (CRef r : learnts_) {
    Clause& c = arena_.at(r);
    if (c.garbage || c.size <= 2 || c.glue <= opts.tier1) continue;
    if (c.used) {
      c.used--;
      continue;
    }
    if (is_reason(r)) continue;
    candidates.push_back(r);
  }
  std::sort(candidates.begin(), candidates.end(), [this](CRef a, CRef b) {
    const Clause& x = arena_.at(a);
    const Clause& y = arena_.at(b);
    if (x.glue != y.glue) return x.glue > y.glue;
    return x.size > y.size;
  });
  size_t target = candidates.size() * size_t(opts.reducetarget) / 100;
  for (size_t i = 0; i < target; i++) mark_garbage(candidates[i]);
  collect_garbage();
}

}  // namespace satmip::sat
