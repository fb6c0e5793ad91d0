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

struct BoundChange {
  int32_t column;
  double lower, upper;
  std::shared_ptr<const BoundChange> previous;   // the parent's chain; null at the root
};

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
  int64_t id = 0;                                // creation order: a deterministic tie break
  int64_t parent_id = -1;
};

}  // namespace satmip::mip
