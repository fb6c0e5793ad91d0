#include "mip/node_queue.hpp"

#include <iterator>
#include <limits>

namespace satmip::mip {

void NodeQueue::push(Node node) {
  by_bound_.emplace(node.lower_bound, node.id);
  by_estimate_.emplace(node.estimate, node.id);
  by_depth_.emplace(-node.depth, -node.id);
  int64_t id = node.id;
  nodes_.emplace(id, std::move(node));
}

Node NodeQueue::take(int64_t id) {
  auto it = nodes_.find(id);
  Node node = std::move(it->second);
  nodes_.erase(it);
  by_bound_.erase({node.lower_bound, node.id});
  by_estimate_.erase({node.estimate, node.id});
  by_depth_.erase({-node.depth, -node.id});
  return node;
}

Node NodeQueue::pop_best_bound() { return take(by_bound_.begin()->second); }

Node NodeQueue::pop_best_estimate() { return take(by_estimate_.begin()->second); }

Node NodeQueue::pop_deepest() { return take(-by_depth_.begin()->second); }

double NodeQueue::best_bound() const {
  return by_bound_.empty() ? std::numeric_limits<double>::infinity() : by_bound_.begin()->first;
}

double NodeQueue::prune(double cutoff) {
  double lowest = std::numeric_limits<double>::infinity();
  while (!by_bound_.empty() && std::prev(by_bound_.end())->first >= cutoff) {
    lowest = std::prev(by_bound_.end())->first;
    take(std::prev(by_bound_.end())->second);
  }
  return lowest;
}

}  // namespace satmip::mip
