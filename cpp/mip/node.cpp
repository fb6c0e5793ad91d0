#include "mip/node.hpp"

#include <unordered_set>

namespace satmip::mip {

std::shared_ptr<const BoundChange> extend_chain(std::shared_ptr<const BoundChange> previous, int32_t column,
                                                double lower, double upper) {
  BoundChange change{column, lower, upper, previous, nullptr, previous ? previous->links + 1 : 1};
  if (change.links > kSummaryInterval) {
    auto summary = std::make_shared<std::vector<ColumnChange>>();
    std::unordered_set<int32_t> seen;
    for_each_change(previous.get(), [&](int32_t j, double lo, double up) {
      if (seen.insert(j).second) summary->push_back({j, lo, up});
    });
    change.summary = std::move(summary);
    change.previous = nullptr;
    change.links = 1;
  }
  return std::make_shared<const BoundChange>(std::move(change));
}

}  // namespace satmip::mip
