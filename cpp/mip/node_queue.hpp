// Open nodes, selectable by best bound (lowest LP bound, then oldest), by best
// estimate (lowest estimate, then oldest) or by depth (deepest, then newest:
// depth-first until a first incumbent exists).
#pragma once
#include <cstdint>
#include <set>
#include <unordered_map>
#include <utility>

#include "mip/node.hpp"

namespace satmip::mip {

class NodeQueue {
 public:
  void push(Node node);
  bool empty() const { return nodes_.empty(); }
  size_t size() const { return nodes_.size(); }
  Node pop_best_bound();
  Node pop_deepest();
  Node pop_best_estimate();
  double best_bound() const;   // +inf when empty
  // Drops nodes whose bound is at least the cutoff; returns the lowest bound dropped (+inf if none).
  double prune(double cutoff);

 private:
  Node take(int64_t id);
  std::unordered_map<int64_t, Node> nodes_;
  std::set<std::pair<double, int64_t>> by_bound_;
  std::set<std::pair<double, int64_t>> by_estimate_;
  std::set<std::pair<int32_t, int64_t>> by_depth_;   // ordered by (-depth, -id)
};

}  // namespace satmip::mip
