#include "mip/presolve_parallel.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace satmip::mip {

namespace {

constexpr double kRatioTolerance = 1e-12;  // relative, for "the same ratio"
constexpr size_t kMaxBucketComparisons = 64;  // per vector: guards against huge buckets

std::vector<MatrixEntry> sorted_entries(std::vector<MatrixEntry> entries) {
  std::sort(entries.begin(), entries.end(),
            [](const MatrixEntry& x, const MatrixEntry& y) { return x.index < y.index; });
  return entries;
}

uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ULL + (h >> 29); }

// Hash of the pattern and of the entries divided by the first one, rounded so
// that vectors equal within tolerance (almost always) share a bucket.
uint64_t normalised_hash(const std::vector<MatrixEntry>& v) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const MatrixEntry& e : v) {
    h = mix(h, uint64_t(uint32_t(e.index)));
    h = mix(h, uint64_t(std::llround(e.value / v.front().value * 1e6)));
  }
  return h;
}

bool parallel(const std::vector<MatrixEntry>& x, const std::vector<MatrixEntry>& y, double& ratio) {
  if (x.size() != y.size()) return false;
  ratio = y.front().value / x.front().value;
  for (size_t k = 0; k < x.size(); ++k) {
    if (x[k].index != y[k].index) return false;
    const double expected = ratio * x[k].value;
    if (std::abs(y[k].value - expected) > kRatioTolerance * std::max(std::abs(expected), std::abs(y[k].value)))
      return false;
  }
  return true;
}

}  // namespace

std::vector<ParallelPair> find_parallel(const std::vector<std::vector<MatrixEntry>>& lists,
                                        const std::vector<uint8_t>& skip) {
  std::vector<std::vector<MatrixEntry>> sorted(lists.size());
  std::unordered_map<uint64_t, std::vector<int32_t>> buckets;
  for (size_t k = 0; k < lists.size(); ++k) {
    if (skip[k] || lists[k].empty()) continue;
    sorted[k] = sorted_entries(lists[k]);
    buckets[normalised_hash(sorted[k])].push_back(int32_t(k));
  }
  std::vector<ParallelPair> pairs;
  std::vector<uint8_t> used(lists.size(), 0);
  for (auto& [hash, members] : buckets) {
    for (size_t a = 0; a < members.size(); ++a) {
      if (used[size_t(members[a])]) continue;
      for (size_t b = a + 1; b < members.size() && b <= a + kMaxBucketComparisons; ++b) {
        const int32_t x = members[a], y = members[b];
        double ratio;
        if (used[size_t(y)] || !parallel(sorted[size_t(x)], sorted[size_t(y)], ratio)) continue;
        pairs.push_back({x, y, ratio});
        used[size_t(x)] = used[size_t(y)] = 1;
        break;
      }
    }
  }
  // Deterministic order, whatever the hash map's.
  std::sort(pairs.begin(), pairs.end(), [](const ParallelPair& p, const ParallelPair& q) { return p.first < q.first; });
  return pairs;
}

}  // namespace satmip::mip
