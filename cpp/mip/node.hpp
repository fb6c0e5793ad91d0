// A node of the search tree: its bound changes as a chain to the root (each
// link one branching), its LP bound (the parent's, until solved), depth, and
// the parent's final basis to warm start from when it is not solved right
// after its parent.
#pragma once
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "lp/lp_solver.hpp"

namespace satmip::mip {

struct ColumnChange {
  int32_t column;
  double lower, upper;
};

// One branching's bounds on a column, linked to the parent's chain. Every
// kSummaryInterval links the older changes are summarised (newest per column)
// and the link to them dropped, so that loading a node walks at most that many
// links plus one column's worth of summary, however deep the node: a search
// walking along an unbounded column reaches depths in the hundred thousands.
struct BoundChange {
  int32_t column;
  double lower, upper;
  std::shared_ptr<const BoundChange> previous;   // the parent's chain; null at the root and with a summary
  std::shared_ptr<const std::vector<ColumnChange>> summary;   // the changes before this one, if summarised
  int32_t links = 1;                             // links from here back to a summary or the root
};

constexpr int32_t kSummaryInterval = 32;

// The chain `previous` extended by a change of column's bounds.
std::shared_ptr<const BoundChange> extend_chain(std::shared_ptr<const BoundChange> previous, int32_t column,
                                                double lower, double upper);

// Calls visit(column, lower, upper) for every change on the chain, newest
// first (a column may come several times: its first visit is its bound).
template <typename Visit>
void for_each_change(const BoundChange* change, Visit&& visit) {
  for (; change; change = change->previous.get()) {
    visit(change->column, change->lower, change->upper);
    if (change->summary)
      for (const ColumnChange& c : *change->summary) visit(c.column, c.lower, c.upper);
  }
}

struct Basis {
  std::vector<lp::BasisStatus> cols, rows;
};

struct Node {
  std::shared_ptr<const BoundChange> changes;    // null: the root
  double lower_bound = -std::numeric_limits<double>::infinity();   // minimisation form
  // The best-estimate rule's guess of the best solution's value below this node:
  // its bound plus the pseudocost cost of making the parent's candidates integral.
  double estimate = -std::numeric_limits<double>::infinity();
  int32_t depth = 0;
  std::shared_ptr<const Basis> warm_basis;       // the parent's final basis
  // The branching that created the node, for pseudocost updates.
  int32_t branch_column = -1;
  bool branch_up = false;
  double branch_distance = 0;                    // how far the LP value moved: f or 1 - f
  // Branchings on this path on columns with an infinite bound at the time.
  int32_t unbounded_branchings = 0;
  int64_t id = 0;                                // creation order: a deterministic tie break
  int64_t parent_id = -1;
};

}  // namespace satmip::mip
