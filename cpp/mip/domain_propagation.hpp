// Domain propagation for branch-and-bound nodes: activity-based bound
// tightening kept incremental. Per row  l <= a x <= u  the propagator keeps the
// minimum and maximum activity over the current column box as a finite part
// plus a count of infinite contributions, updated entry by entry whenever a
// column's bounds move (branching, propagation, undo). From a row it derives,
// for a_j > 0,
//   x_j <= (u - min activity without j) / a_j,   x_j >= (l - max activity without j) / a_j,
// and the mirrored bounds for a_j < 0. Every bound change goes on a trail, so
// the search backtracks to a mark by replaying the trail backwards.
//
// Typical use in a search:
//   DomainPropagator p(model);  p.reset(global_lower, global_upper);
//   size_t m = p.mark();  p.change_bounds(j, lo, up);
//   if (!p.propagate()) -> node infeasible;  else pass p.changed_columns() to the LP
//   p.undo_to(m);  // back to the parent's domains
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lp/model.hpp"

namespace satmip::mip {

// Which implied bounds of continuous columns are applied (integer columns take
// every implied bound, rounded). Small continuous steps rarely help the LP and
// can chain into long sequences of tiny tightenings, hence the default.
enum class ContinuousTightening {
  kNever,        // continuous bounds stay; rows still detect infeasibility
  kFixOrLarge,   // default: fixings, infinite -> finite, or a cut of >= 10% of the domain width
  kSignificant,  // any cut of more than 1e-3 * max(1, width)
};

class DomainPropagator {
 public:
  // Activity range of a row: the finite parts and the number of entries whose
  // contribution is infinite (min: -inf, max: +inf).
  struct Activity {
    double min_finite = 0.0, max_finite = 0.0;
    int32_t min_infinite = 0, max_infinite = 0;
    double min() const;
    double max() const;
  };

  explicit DomainPropagator(const lp::Model& model, double feasibility_tolerance = 1e-6,
                            ContinuousTightening continuous = ContinuousTightening::kFixOrLarge);

  int32_t rows() const { return int32_t(row_lower_.size()); }
  int32_t cols() const { return int32_t(lower_.size()); }

  // New column bounds; activities recomputed from scratch; trail, queue and
  // changed columns cleared. Every row is queued, so the next propagate()
  // works on the whole model (a root propagation).
  void reset(const std::vector<double>& lower, const std::vector<double>& upper);

  // Appends a row l <= a x <= u that every solution meets (a conflict's proof):
  // its activity over the current bounds, queued for the next propagate().
  // Kept through undo_to and reset; rebuilds the column-wise copy (O(nonzeros)).
  void add_row(const std::vector<int32_t>& index, const std::vector<double>& value, double lower, double upper);

  // Sets one column's bounds (branching), exactly as given: activities are
  // updated, the change goes on the trail and the column's rows are queued.
  // Loosening a bound that earlier propagation relied on leaves derived bounds
  // stale: go back with undo_to instead. lower > upper makes the next
  // propagate() report infeasibility.
  void change_bounds(int32_t column, double lower, double upper);

  // Propagates from the queued rows until a fixpoint or the work limit.
  // Returns false when the domains are empty: a row's activity range misses
  // its bounds beyond tolerance, or a column's lower bound passes its upper.
  // After false the bounds are partly tightened: undo_to a mark. Rows left
  // queued by the work limit stay queued for the next call.
  bool propagate();
  bool reached_fixpoint() const { return queue_head_ == queue_.size(); }

  const std::vector<double>& lower() const { return lower_; }
  const std::vector<double>& upper() const { return upper_; }

  // Columns whose bounds propagation changed since the last reset or
  // clear_changed(), each once, in order of first change; their bounds are in
  // lower()/upper() (undo_to may have reverted some since).
  const std::vector<int32_t>& changed_columns() const { return changed_; }
  void clear_changed();

  // Undo: mark() is the trail's length; undo_to restores every bound changed
  // after it (exactly) and clears the queue, and a detected infeasibility when
  // it undoes a change_bounds made up to its detection.
  size_t mark() const { return trail_.size(); }
  void undo_to(size_t mark);

  // Budget of matrix entries one propagate() may visit (rows scanned plus
  // columns updated); default 4 * nonzeros + 10000.
  void set_work_limit(int64_t limit) { work_limit_ = limit; }
  int64_t last_work() const { return last_work_; }
  int64_t tightenings() const { return tightenings_; }   // bounds moved by propagation, in total

  // The incrementally kept activity of a row, and the same from scratch (tests).
  // The kept activity's finite parts are within activity_error(row) of the
  // exact sums (rows are summed again when that grows relative to their size).
  Activity activity(int32_t row) const;
  Activity compute_activity(int32_t row) const;
  double activity_error(int32_t row) const { return row_error(row); }

 private:
  struct TrailEntry {
    int32_t column;
    double lower, upper;   // the bounds before the change
  };

  // Moves column j's bounds: activities, trail, and (queue_rows) its rows queued.
  void set_bounds(int32_t j, double lower, double upper, bool queue_rows);
  // A bound that propagation derived: set_bounds with its rows queued, counted, and
  // the column noted in changed_columns().
  void tighten(int32_t j, double lower, double upper);
  void update_activities(int32_t j, double old_lower, double old_upper, bool queue_rows);
  void build_column_copy(int32_t n);   // col_* from row_* (rows() rows, n columns)
  void recompute_row(int32_t i);
  bool row_needs_recompute(int32_t i) const;
  bool propagate_row(int32_t i);   // false: infeasible
  // An equality row over integer columns (integral_scale.hpp): false when no
  // integer values of its free columns meet its right-hand side; else moves
  // their finite bounds onto the residue classes the row allows.
  bool propagate_divisibility(int32_t i);
  // What propagate_divisibility derives from a row's set of free columns alone
  // (scratch vectors hold them): their gcd and, per column k, the rule for its
  // residue class, x_k = inverse * (target / common) (mod period).
  struct ResidueRule {
    size_t position;   // in columns
    int64_t common, period, inverse;
  };
  struct DivisibilityRules {
    bool valid = false;
    std::vector<int32_t> columns;
    int64_t divisor = 0;
    std::vector<ResidueRule> residues;
  };
  void build_divisibility_rules(DivisibilityRules& rules);
  // domain_propagation_residues.cpp: for the free columns of propagate_divisibility
  // (scratch vectors) and their exact target: the narrow columns' residues
  // modulo the wide ones' gcd. False: no integer point.
  bool propagate_narrow_residues(int64_t target);
  // domain_propagation_derived.cpp: equations over integer columns combined
  // from equality rows with continuous columns (at construction), and their
  // divisibility test over the current domains (false: no integer point).
  void derive_integer_equations();
  bool check_derived_equations() const;
  // domain_propagation_lattice.cpp: the exact integral equality rows as one
  // integer system over their free columns (at least two rows): false when it
  // has no integer solution; else fixes the columns it determines and moves
  // the others' finite bounds onto their residue classes.
  void init_lattice();
  bool propagate_lattice();
  bool apply_lattice_classes();   // the cached classes onto the current bounds; false: infeasible
  // Applies an implied bound value (before rounding/margins) with the
  // absolute error `error` of value. False: infeasible.
  bool apply_upper(int32_t j, double value, double error);
  bool apply_lower(int32_t j, double value, double error);
  double row_error(int32_t i) const;   // absolute rounding error bound of the row's activities
  double tolerance(double bound) const;
  void enqueue(int32_t i);

  double feasibility_tolerance_;
  ContinuousTightening continuous_;
  std::vector<uint8_t> integer_;
  std::vector<double> row_lower_, row_upper_;
  std::vector<double> row_integral_scale_;   // equality rows over integer columns: s making s a integral (0: none)
  std::vector<int64_t> divisibility_coefficients_, divisibility_suffix_;   // scratch of propagate_divisibility
  std::vector<int32_t> divisibility_columns_;
  std::vector<DivisibilityRules> divisibility_rules_;   // per row, for its latest set of free columns
  struct DerivedEquation {
    std::vector<int32_t> columns;
    std::vector<int64_t> coefficients;
    double rhs = 0, weight = 0, rhs_error = 0;   // weight: a point within tolerance t of its rows misses by weight * t
  };
  std::vector<DerivedEquation> derived_;
  std::vector<int32_t> lattice_rows_;      // rows of propagate_lattice (empty: off)
  std::vector<int32_t> lattice_slot_;      // scratch: a column's index in the system, -1 outside
  std::vector<int32_t> lattice_columns_;
  // The latest system (its rows, free columns and targets), its verdict and its
  // columns' classes (period 0: fixed at base; period 1 left out).
  struct LatticeClass {
    int32_t column;
    int64_t base, period;
  };
  struct LatticeCache {
    bool valid = false, infeasible = false;
    std::vector<int32_t> rows, columns;
    std::vector<int64_t> targets;
    std::vector<LatticeClass> classes;
  };
  LatticeCache lattice_cache_;
  std::vector<size_t> residue_positions_;   // scratch of propagate_narrow_residues
  std::vector<int64_t> residue_values_, residue_least_, residue_greatest_;
  // Row-wise and column-wise copies (duplicates merged, zeros dropped).
  std::vector<int64_t> row_start_, col_start_;
  std::vector<int32_t> row_index_, col_index_;   // column of each row entry / row of each column entry
  std::vector<double> row_value_, col_value_;

  std::vector<double> lower_, upper_;
  std::vector<double> min_finite_, max_finite_;
  std::vector<int32_t> min_infinite_, max_infinite_;
  // Rounding control: incremental updates since the row was last summed from
  // scratch, the sum of |finite contributions| now (both sides), and the
  // largest magnitude that passed through the sums since the recomputation.
  std::vector<int32_t> updates_;
  std::vector<double> magnitude_, scale_;

  std::vector<TrailEntry> trail_;
  std::vector<int32_t> queue_;            // rows to propagate (FIFO via queue_head_)
  size_t queue_head_ = 0;
  std::vector<uint8_t> queued_;
  std::vector<int32_t> changed_;
  std::vector<uint8_t> is_changed_;
  // Trail length at which the domains were found empty; kFeasible: not found.
  static constexpr size_t kFeasible = ~size_t(0);
  size_t infeasible_at_ = kFeasible;
  // Trail length just after the latest change_bounds still on it (at least):
  // everything after it was derived.
  size_t branch_end_ = 0;

  int64_t work_limit_ = 0, work_ = 0, last_work_ = 0, tightenings_ = 0;
};

}  // namespace satmip::mip
