// The bipartite node state of Gasse et al. (2019, learn2branch) for learned
// branching: one node per LP row (constraint features), one per LP column
// (variable features), an edge per nonzero of the LP's current matrix (cut rows
// included once the LP has them). The feature tables below are the single
// source of the names: the bindings, satmip.mip and docs/mip-engine.md read them.
//
// Choices (documented in docs/mip-engine.md):
// - float64 throughout, row-major (entity x feature).
// - One constraint node per LP row, with separate lower/upper bias and
//   tightness features, instead of splitting ranged rows into two <= rows.
// - Objective, duals and reduced costs in minimisation form (sense * value).
// - Buffers are shared_ptr-owned and reused between nodes only while nobody
//   else holds them: an array a caller keeps (a numpy view, a recorded sample)
//   keeps its memory and values; the next build then allocates a new buffer.
// - The static part (edges, row norms, the static row and column features) is
//   built once per LP revision (lp::LpSolver::revision: rows, sides, costs) and
//   shared by every node's snapshot until it changes: after the root's cuts,
//   once per solve.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "lp/lp_solver.hpp"
#include "mip/pseudocosts.hpp"

namespace satmip::mip {

struct FeatureInfo {
  const char* name;
  const char* meaning;
};

// Column order of the row features; kRowFeatures lists them in this order.
enum RowFeature : int {
  kRowObjCosine, kRowHasLower, kRowHasUpper, kRowBiasLower, kRowBiasUpper, kRowTightLower, kRowTightUpper,
  kRowDual, kRowAge, kRowFeatureCount
};
inline constexpr FeatureInfo kRowFeatures[kRowFeatureCount] = {
    {"obj_cosine_similarity", "cosine of the angle between the row and the objective (0 if either is zero)"},
    {"has_lower", "1 if the row has a finite lower side"},
    {"has_upper", "1 if the row has a finite upper side"},
    {"bias_lower", "row lower side / row norm (0 without one)"},
    {"bias_upper", "row upper side / row norm (0 without one)"},
    {"is_tight_lower", "1 if the LP activity is at the lower side (within 1e-6 * max(1, |side|))"},
    {"is_tight_upper", "1 if the LP activity is at the upper side (within 1e-6 * max(1, |side|))"},
    {"dual_normalized", "LP dual (minimisation form) / (row norm * objective norm)"},
    {"age", "state builds since the row was last tight (or added) / (state builds + 5)"},
};

// The row features that depend on the LP's rows and costs only (a prefix of
// RowFeature): built once per LP revision, copied into each node's rows.
inline constexpr int kRowStaticCount = kRowBiasUpper + 1;

enum EdgeFeature : int { kEdgeCoef, kEdgeFeatureCount };
inline constexpr FeatureInfo kEdgeFeatures[kEdgeFeatureCount] = {
    {"coef_normalized", "matrix coefficient / row norm"},
};

enum ColFeature : int {
  kColBinary, kColInteger, kColContinuous, kColObjective, kColHasLower, kColHasUpper, kColAtLower, kColAtUpper,
  kColFractionality, kColBasisLower, kColBasisBasic, kColBasisUpper, kColBasisZero, kColReducedCost, kColAge,
  kColLpValue, kColIncumbent, kColAverageIncumbent, kColPseudocostDown, kColPseudocostUp,
  kColPseudocostCountDown, kColPseudocostCountUp, kColFeatureCount
};
inline constexpr FeatureInfo kColFeatures[kColFeatureCount] = {
    {"type_binary", "1 for an integer column with global bounds within [0, 1]"},
    {"type_integer", "1 for any other integer column"},
    {"type_continuous", "1 for a continuous column"},
    {"objective", "objective coefficient (minimisation form) / objective norm"},
    {"has_lower", "1 if the node's lower bound is finite"},
    {"has_upper", "1 if the node's upper bound is finite"},
    {"at_lower", "1 if the LP value is at the node's lower bound (within 1e-6 * max(1, |bound|))"},
    {"at_upper", "1 if the LP value is at the node's upper bound (within 1e-6 * max(1, |bound|))"},
    {"fractionality", "min(f, 1 - f) for the fractional part f of the LP value; 0 for continuous columns"},
    {"basis_lower", "1 if nonbasic at its lower bound (fixed columns included)"},
    {"basis_basic", "1 if basic"},
    {"basis_upper", "1 if nonbasic at its upper bound"},
    {"basis_zero", "1 if nonbasic free (at zero)"},
    {"reduced_cost", "LP reduced cost (minimisation form) / objective norm"},
    {"age", "state builds since the column was last basic / (state builds + 5)"},
    {"lp_value", "LP value"},
    {"incumbent_value", "value in the incumbent (0 without one)"},
    {"average_incumbent_value", "average value over all incumbents found so far (0 without one)"},
    {"pseudocost_down", "estimated objective gain per unit of decrease (0 for continuous columns)"},
    {"pseudocost_up", "estimated objective gain per unit of increase (0 for continuous columns)"},
    {"pseudocost_count_down", "observations behind pseudocost_down"},
    {"pseudocost_count_up", "observations behind pseudocost_up"},
};

// The column features fixed for the solve (a prefix of ColFeature).
inline constexpr int kColStaticCount = kColObjective + 1;

// What the builder reads: the LP solver holding the node's solved LP (its rows
// are the state's rows), the node's column bounds, the search's statistics.
struct NodeStateInput {
  const lp::LpSolver& lp;
  const std::vector<uint8_t>& integer;
  const std::vector<double>& global_lower;   // for the column type
  const std::vector<double>& global_upper;
  const std::vector<double>& node_lower;
  const std::vector<double>& node_upper;
  const Pseudocosts& pseudocosts;
  const std::vector<double>& incumbent;      // empty without one
  double sense;                              // +1 minimise, -1 maximise
};

template <class T>
using SharedBuffer = std::shared_ptr<const std::vector<T>>;

// A snapshot of the arrays of one build (shares the buffers, no copy).
struct NodeStateArrays {
  int32_t rows = 0, cols = 0;
  int64_t static_version = 0;          // the static part's build count: equal versions share the edges
  SharedBuffer<double> row_features;   // rows x kRowFeatureCount
  SharedBuffer<int64_t> edge_row_ptr;  // rows + 1: CSR of the LP rows
  SharedBuffer<int32_t> edge_col;      // nnz, ascending within a row
  SharedBuffer<double> edge_values;    // nnz x kEdgeFeatureCount
  SharedBuffer<double> col_features;   // cols x kColFeatureCount
};

class NodeState {
 public:
  // held: describe the solution hold_solution kept instead of the LP's current one.
  void build(const NodeStateInput& in, bool held = false);
  // Keeps the LP's solution (values, reduced costs, activities, duals, basis)
  // for a build after the LP was used for something else (diving).
  void hold_solution(const lp::LpSolver& lp);
  // Every incumbent, for the average incumbent value.
  void record_incumbent(const std::vector<double>& x);

  int32_t rows() const { return rows_; }
  int32_t cols() const { return cols_; }
  int64_t nnz() const { return edge_col_ ? int64_t(edge_col_->size()) : 0; }
  const std::shared_ptr<std::vector<double>>& row_features() const { return row_features_; }
  const std::shared_ptr<std::vector<int64_t>>& edge_row_ptr() const { return edge_row_ptr_; }
  const std::shared_ptr<std::vector<int32_t>>& edge_col() const { return edge_col_; }
  const std::shared_ptr<std::vector<double>>& edge_values() const { return edge_values_; }
  const std::shared_ptr<std::vector<double>>& col_features() const { return col_features_; }
  NodeStateArrays snapshot() const;

  int64_t builds() const { return builds_; }
  int64_t static_builds() const { return static_builds_; }   // builds of the static part (edges, norms)
  double build_seconds() const { return build_seconds_; }   // total time in build()

 private:
  void build_static(const NodeStateInput& in);
  int32_t rows_ = 0, cols_ = 0;
  std::shared_ptr<std::vector<double>> row_features_, edge_values_, col_features_;
  std::shared_ptr<std::vector<int64_t>> edge_row_ptr_;
  std::shared_ptr<std::vector<int32_t>> edge_col_;
  std::vector<int64_t> row_age_, col_age_;
  std::vector<double> incumbent_sum_;
  // The static part (build_static): edges above, and per row its scale (1 /
  // norm) and static features, per column its static features.
  std::vector<double> row_scale_, row_static_, col_static_;
  double objective_norm_ = 0;
  int64_t static_revision_ = 0, static_builds_ = 0;
  std::vector<lp::BasisStatus> basis_cols_, basis_rows_;
  std::vector<double> held_x_, held_reduced_cost_, held_activity_, held_dual_;
  std::vector<lp::BasisStatus> held_basis_cols_;
  int64_t incumbents_ = 0, builds_ = 0;
  double build_seconds_ = 0;
};

}  // namespace satmip::mip
