#include "mip/domain_propagation.hpp"

#include "mip/integral_scale.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace satmip::mip {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kSmallestCoefficient = 1e-9;   // smaller entries imply nothing (division blows errors up)
constexpr double kLargestResidual = 1e9;        // beyond, the residual activity's rounding error is too large
constexpr double kLargestBound = 1e9;           // such bounds help nothing and hurt the LP's numerics
constexpr double kIntegralityTolerance = 1e-6;
// Continuous bounds keep this relative margin on the safe side of the implied value.
constexpr double kContinuousMargin = 1e-9;
// Two units in the last place: the rounding error of one addition, generously.
constexpr double kUnitError = 2.3e-16;
// A row is summed again from scratch after this many incremental updates (or
// its length, if larger: amortised, one entry per update) ...
constexpr int32_t kMinUpdatesBeforeRecompute = 64;
// ... or when magnitudes this many times larger than its current ones passed
// through its sums (their rounding error now dominates: cancellation).
constexpr double kCancellationRatio = 8.0;
// Rounds of the integer lattice (domain_propagation_lattice.cpp) per propagate(),
// each after the rows reached their fixpoint again.
constexpr int kLatticePasses = 4;

}  // namespace

double DomainPropagator::Activity::min() const { return min_infinite ? -kInfinity : min_finite; }
double DomainPropagator::Activity::max() const { return max_infinite ? kInfinity : max_finite; }

DomainPropagator::DomainPropagator(const lp::Model& model, double feasibility_tolerance, ContinuousTightening continuous)
    : feasibility_tolerance_(feasibility_tolerance), continuous_(continuous) {
  const int32_t m = model.A.rows, n = model.A.cols;
  row_lower_ = model.row_lower;
  row_upper_ = model.row_upper;
  integer_.assign(size_t(n), 0);
  for (size_t j = 0; j < model.integer.size() && j < size_t(n); ++j) integer_[j] = model.integer[j];

  // Row-wise copy. Scanning column by column, a column's repeated entries in a
  // row land next to each other there: merge them (a residual activity
  // "without j" must remove all of j).
  std::vector<int64_t> count(size_t(m) + 1, 0);
  for (int64_t k = 0; k < model.A.start[size_t(n)]; ++k) ++count[size_t(model.A.index[size_t(k)]) + 1];
  for (int32_t i = 0; i < m; ++i) count[size_t(i) + 1] += count[size_t(i)];
  std::vector<int64_t> fill(count.begin(), count.end() - 1);
  std::vector<int32_t> index(size_t(count[size_t(m)]));
  std::vector<double> value(size_t(count[size_t(m)]));
  for (int32_t j = 0; j < n; ++j) {
    for (int64_t k = model.A.start[size_t(j)]; k < model.A.start[size_t(j) + 1]; ++k) {
      const size_t i = size_t(model.A.index[size_t(k)]);
      if (fill[i] > count[i] && index[size_t(fill[i] - 1)] == j) {
        value[size_t(fill[i] - 1)] += model.A.value[size_t(k)];
      } else {
        index[size_t(fill[i])] = j;
        value[size_t(fill[i])] = model.A.value[size_t(k)];
        ++fill[i];
      }
    }
  }
  row_start_.assign(size_t(m) + 1, 0);
  for (int32_t i = 0; i < m; ++i) {
    for (int64_t k = count[size_t(i)]; k < fill[size_t(i)]; ++k) {
      if (value[size_t(k)] == 0.0) continue;
      row_index_.push_back(index[size_t(k)]);
      row_value_.push_back(value[size_t(k)]);
    }
    row_start_[size_t(i) + 1] = int64_t(row_index_.size());
  }
  build_column_copy(n);

  // Equality rows over integer columns only, with rational coefficients: their scale.
  row_integral_scale_.assign(size_t(m), 0.0);
  for (int32_t i = 0; i < m; ++i) {
    if (!(row_lower_[size_t(i)] == row_upper_[size_t(i)]) || !std::isfinite(row_lower_[size_t(i)])) continue;
    std::vector<double> values;
    bool all_integer = true;
    for (int64_t k = row_start_[size_t(i)]; k < row_start_[size_t(i) + 1] && all_integer; ++k) {
      all_integer = integer_[size_t(row_index_[size_t(k)])] != 0;
      values.push_back(row_value_[size_t(k)]);
    }
    if (all_integer && !values.empty()) row_integral_scale_[size_t(i)] = integral_scale(values);
  }
  min_finite_.assign(size_t(m), 0.0);
  max_finite_.assign(size_t(m), 0.0);
  min_infinite_.assign(size_t(m), 0);
  max_infinite_.assign(size_t(m), 0);
  updates_.assign(size_t(m), 0);
  magnitude_.assign(size_t(m), 0.0);
  scale_.assign(size_t(m), 0.0);
  queued_.assign(size_t(m), 0);
  is_changed_.assign(size_t(n), 0);
  work_limit_ = 4 * int64_t(row_index_.size()) + 10000;
  divisibility_rules_.assign(size_t(m), DivisibilityRules{});
  derive_integer_equations();
  init_lattice();
  reset(model.col_lower, model.col_upper);
}

void DomainPropagator::build_column_copy(int32_t n) {
  const int32_t m = rows();
  col_start_.assign(size_t(n) + 1, 0);
  for (int32_t j : row_index_) ++col_start_[size_t(j) + 1];
  for (int32_t j = 0; j < n; ++j) col_start_[size_t(j) + 1] += col_start_[size_t(j)];
  std::vector<int64_t> col_fill(col_start_.begin(), col_start_.end() - 1);
  col_index_.resize(row_index_.size());
  col_value_.resize(row_index_.size());
  for (int32_t i = 0; i < m; ++i) {
    for (int64_t k = row_start_[size_t(i)]; k < row_start_[size_t(i) + 1]; ++k) {
      const int64_t p = col_fill[size_t(row_index_[size_t(k)])]++;
      col_index_[size_t(p)] = i;
      col_value_[size_t(p)] = row_value_[size_t(k)];
    }
  }
}

void DomainPropagator::add_row(const std::vector<int32_t>& index, const std::vector<double>& value, double lower,
                               double upper) {
  for (size_t k = 0; k < index.size(); ++k) {
    if (value[k] == 0.0) continue;
    row_index_.push_back(index[k]);
    row_value_.push_back(value[k]);
  }
  row_start_.push_back(int64_t(row_index_.size()));
  row_lower_.push_back(lower);
  row_upper_.push_back(upper);
  row_integral_scale_.push_back(0.0);   // no divisibility rules: its coefficients are not exact
  min_finite_.push_back(0.0);
  max_finite_.push_back(0.0);
  min_infinite_.push_back(0);
  max_infinite_.push_back(0);
  updates_.push_back(0);
  magnitude_.push_back(0.0);
  scale_.push_back(0.0);
  queued_.push_back(0);
  divisibility_rules_.emplace_back();
  build_column_copy(cols());
  work_limit_ += 4 * int64_t(index.size());
  recompute_row(rows() - 1);
  enqueue(rows() - 1);
}

void DomainPropagator::reset(const std::vector<double>& lower, const std::vector<double>& upper) {
  lower_ = lower;
  upper_ = upper;
  lower_.resize(size_t(cols()), -kInfinity);
  upper_.resize(size_t(cols()), kInfinity);
  trail_.clear();
  clear_changed();
  queue_.clear();
  queue_head_ = 0;
  std::fill(queued_.begin(), queued_.end(), 0);
  infeasible_at_ = kFeasible;
  branch_end_ = 0;
  for (int32_t j = 0; j < cols(); ++j)
    if (lower_[size_t(j)] > upper_[size_t(j)]) infeasible_at_ = 0;   // no undo reaches before the reset
  for (int32_t i = 0; i < rows(); ++i) {
    recompute_row(i);
    enqueue(i);
  }
}

void DomainPropagator::clear_changed() {
  for (int32_t j : changed_) is_changed_[size_t(j)] = 0;
  changed_.clear();
}

DomainPropagator::Activity DomainPropagator::compute_activity(int32_t row) const {
  Activity act;
  for (int64_t k = row_start_[size_t(row)]; k < row_start_[size_t(row) + 1]; ++k) {
    const double a = row_value_[size_t(k)];
    const size_t j = size_t(row_index_[size_t(k)]);
    const double at_min = a > 0 ? lower_[j] : upper_[j], at_max = a > 0 ? upper_[j] : lower_[j];
    if (std::isinf(at_min)) ++act.min_infinite; else act.min_finite += a * at_min;
    if (std::isinf(at_max)) ++act.max_infinite; else act.max_finite += a * at_max;
  }
  return act;
}

DomainPropagator::Activity DomainPropagator::activity(int32_t row) const {
  const size_t i = size_t(row);
  return Activity{min_finite_[i], max_finite_[i], min_infinite_[i], max_infinite_[i]};
}

void DomainPropagator::recompute_row(int32_t row) {
  const size_t i = size_t(row);
  Activity act = compute_activity(row);
  double magnitude = 0.0;
  for (int64_t k = row_start_[i]; k < row_start_[i + 1]; ++k) {
    const double a = row_value_[size_t(k)];
    const size_t j = size_t(row_index_[size_t(k)]);
    if (std::isfinite(lower_[j])) magnitude += std::abs(a * lower_[j]);
    if (std::isfinite(upper_[j])) magnitude += std::abs(a * upper_[j]);
  }
  min_finite_[i] = act.min_finite;
  max_finite_[i] = act.max_finite;
  min_infinite_[i] = act.min_infinite;
  max_infinite_[i] = act.max_infinite;
  updates_[i] = 0;
  magnitude_[i] = scale_[i] = magnitude;
}

bool DomainPropagator::row_needs_recompute(int32_t row) const {
  const size_t i = size_t(row);
  const int64_t length = row_start_[i + 1] - row_start_[i];
  return updates_[i] > std::max<int64_t>(kMinUpdatesBeforeRecompute, length) ||
         scale_[i] > kCancellationRatio * std::max(1.0, magnitude_[i]);
}

double DomainPropagator::row_error(int32_t row) const {
  const size_t i = size_t(row);
  const double terms = double(16 + updates_[i] + (row_start_[i + 1] - row_start_[i]));
  return kUnitError * terms * scale_[i];
}

double DomainPropagator::tolerance(double bound) const {
  return feasibility_tolerance_ * std::max(1.0, std::abs(bound));
}

void DomainPropagator::enqueue(int32_t row) {
  if (queued_[size_t(row)]) return;
  queued_[size_t(row)] = 1;
  queue_.push_back(row);
}

void DomainPropagator::update_activities(int32_t j, double old_lower, double old_upper, bool queue_rows) {
  const double new_lower = lower_[size_t(j)], new_upper = upper_[size_t(j)];
  // One side's contribution moves from a * from to a * to.
  auto move = [](double a, double from, double to, double& finite, int32_t& infinite, double& magnitude,
                 double& scale) {
    if (from == to) return;
    double passed = magnitude;
    if (std::isinf(from)) {
      --infinite;
    } else {
      const double c = a * from;
      finite -= c;
      magnitude -= std::abs(c);
    }
    if (std::isinf(to)) {
      ++infinite;
    } else {
      const double c = a * to;
      finite += c;
      magnitude += std::abs(c);
      passed += std::abs(c);
    }
    scale = std::max(scale, passed);
  };
  for (int64_t k = col_start_[size_t(j)]; k < col_start_[size_t(j) + 1]; ++k) {
    const int32_t row = col_index_[size_t(k)];
    const size_t i = size_t(row);
    const double a = col_value_[size_t(k)];
    if (a > 0) {
      move(a, old_lower, new_lower, min_finite_[i], min_infinite_[i], magnitude_[i], scale_[i]);
      move(a, old_upper, new_upper, max_finite_[i], max_infinite_[i], magnitude_[i], scale_[i]);
    } else {
      move(a, old_upper, new_upper, min_finite_[i], min_infinite_[i], magnitude_[i], scale_[i]);
      move(a, old_lower, new_lower, max_finite_[i], max_infinite_[i], magnitude_[i], scale_[i]);
    }
    ++updates_[i];
    if (queue_rows) enqueue(row);
  }
  work_ += col_start_[size_t(j) + 1] - col_start_[size_t(j)];
}

void DomainPropagator::set_bounds(int32_t j, double lower, double upper, bool queue_rows) {
  const double old_lower = lower_[size_t(j)], old_upper = upper_[size_t(j)];
  trail_.push_back(TrailEntry{j, old_lower, old_upper});
  lower_[size_t(j)] = lower;
  upper_[size_t(j)] = upper;
  update_activities(j, old_lower, old_upper, queue_rows);
}

void DomainPropagator::tighten(int32_t j, double lower, double upper) {
  set_bounds(j, lower, upper, true);
  ++tightenings_;
  if (!is_changed_[size_t(j)]) {
    is_changed_[size_t(j)] = 1;
    changed_.push_back(j);
  }
}

void DomainPropagator::change_bounds(int32_t column, double lower, double upper) {
  set_bounds(column, lower, upper, true);
  branch_end_ = trail_.size();
  if (lower > upper) infeasible_at_ = std::min(infeasible_at_, trail_.size());
}

void DomainPropagator::undo_to(size_t mark) {
  while (trail_.size() > mark) {
    const TrailEntry e = trail_.back();
    trail_.pop_back();
    const double now_lower = lower_[size_t(e.column)], now_upper = upper_[size_t(e.column)];
    lower_[size_t(e.column)] = e.lower;
    upper_[size_t(e.column)] = e.upper;
    update_activities(e.column, now_lower, now_upper, false);
  }
  // Looser bounds imply nothing new; what was queued belonged to the undone domains.
  for (size_t q = queue_head_; q < queue_.size(); ++q) queued_[size_t(queue_[q])] = 0;
  queue_.clear();
  queue_head_ = 0;
  // Infeasible until the change that made it so (or one before it) is undone.
  if (mark < infeasible_at_) infeasible_at_ = kFeasible;
  branch_end_ = std::min(branch_end_, mark);
}

bool DomainPropagator::propagate() {
  work_ = 0;
  bool feasible = infeasible_at_ == kFeasible;
  for (int pass = 0;; ++pass) {
    while (feasible && queue_head_ < queue_.size() && work_ < work_limit_) {
      const int32_t row = queue_[queue_head_++];
      queued_[size_t(row)] = 0;
      feasible = propagate_row(row);
    }
    if (feasible && !derived_.empty()) feasible = check_derived_equations();
    // The rows together, at the rows' fixpoint; its tightenings queue rows again.
    if (!feasible || lattice_rows_.empty() || pass >= kLatticePasses || queue_head_ < queue_.size()) break;
    const int64_t before = tightenings_;
    feasible = propagate_lattice();
    if (tightenings_ == before) break;
  }
  if (queue_head_ == queue_.size()) {
    queue_.clear();
    queue_head_ = 0;
  } else if (queue_head_ > queue_.size() / 2) {
    queue_.erase(queue_.begin(), queue_.begin() + std::ptrdiff_t(queue_head_));
    queue_head_ = 0;
  }
  // Stays infeasible until a caller's change is undone (what propagation
  // derived follows from those): an earlier position would be unsound.
  if (!feasible) infeasible_at_ = std::min(infeasible_at_, branch_end_);
  last_work_ = work_;
  return feasible;
}

bool DomainPropagator::propagate_row(int32_t row) {
  const size_t i = size_t(row);
  const int64_t begin = row_start_[i], end = row_start_[i + 1];
  if (row_needs_recompute(row)) {
    recompute_row(row);
    work_ += end - begin;
  }
  const double rl = row_lower_[i], ru = row_upper_[i];
  {
    const double error = row_error(row);
    if (min_infinite_[i] == 0 && min_finite_[i] > ru + tolerance(ru) + error) return false;
    if (max_infinite_[i] == 0 && max_finite_[i] < rl - tolerance(rl) - error) return false;
  }
  if (row_integral_scale_[i] > 0 && !propagate_divisibility(row)) return false;
  // A side implies something only with at most one infinite contribution, and
  // only when the opposite extreme activity can violate it.
  bool use_upper = std::isfinite(ru) && min_infinite_[i] <= 1 && !(max_infinite_[i] == 0 && max_finite_[i] <= ru);
  bool use_lower = std::isfinite(rl) && max_infinite_[i] <= 1 && !(min_infinite_[i] == 0 && min_finite_[i] >= rl);
  if (!use_upper && !use_lower) return true;
  work_ += end - begin;
  for (int64_t k = begin; k < end; ++k) {
    const double a = row_value_[size_t(k)];
    if (std::abs(a) < kSmallestCoefficient) continue;
    const int32_t j = row_index_[size_t(k)];
    // Activities and bounds are read afresh: tightenings earlier in this scan
    // moved them (only ever to stronger, still valid, values).
    if (use_upper) {
      const double at_min = a > 0 ? lower_[size_t(j)] : upper_[size_t(j)];
      double residual = -kInfinity;
      if (std::isinf(at_min)) {
        if (min_infinite_[i] == 1) residual = min_finite_[i];
      } else if (min_infinite_[i] == 0) {
        residual = min_finite_[i] - a * at_min;
      }
      if (std::isfinite(residual) && std::abs(residual) <= kLargestResidual) {
        const double value = (ru - residual) / a;
        const double error = (row_error(row) + kUnitError * (std::abs(ru) + std::abs(residual))) / std::abs(a) +
                             kUnitError * std::abs(value);
        if (!(a > 0 ? apply_upper(j, value, error) : apply_lower(j, value, error))) return false;
      }
    }
    if (use_lower) {
      const double at_max = a > 0 ? upper_[size_t(j)] : lower_[size_t(j)];
      double residual = kInfinity;
      if (std::isinf(at_max)) {
        if (max_infinite_[i] == 1) residual = max_finite_[i];
      } else if (max_infinite_[i] == 0) {
        residual = max_finite_[i] - a * at_max;
      }
      if (std::isfinite(residual) && std::abs(residual) <= kLargestResidual) {
        const double value = (rl - residual) / a;
        const double error = (row_error(row) + kUnitError * (std::abs(rl) + std::abs(residual))) / std::abs(a) +
                             kUnitError * std::abs(value);
        if (!(a > 0 ? apply_lower(j, value, error) : apply_upper(j, value, error))) return false;
      }
    }
  }
  return true;
}

bool DomainPropagator::propagate_divisibility(int32_t row) {
  const size_t i = size_t(row);
  const double scale = row_integral_scale_[i];
  constexpr double kExact = 9007199254740992.0;   // 2^53: integers beyond lose their last digits
  double rest = scale * row_upper_[i];            // the free columns' scaled activity must equal this
  std::vector<int64_t>& coefficient = divisibility_coefficients_;
  std::vector<int32_t>& column = divisibility_columns_;
  coefficient.clear();
  column.clear();
  for (int64_t k = row_start_[i]; k < row_start_[i + 1]; ++k) {
    const size_t j = size_t(row_index_[size_t(k)]);
    const double c = std::round(scale * row_value_[size_t(k)]);
    if (lower_[j] == upper_[j]) {
      rest -= c * lower_[j];
    } else {
      if (std::abs(c) >= kExact) return true;
      coefficient.push_back(int64_t(c));
      column.push_back(int32_t(j));
    }
    if (!(std::abs(rest) < kExact)) return true;   // too large to tell
  }
  if (column.empty()) return true;   // all fixed: the activity check decides
  // The gcd and the residue rules depend on the set of free columns only: kept
  // per row while that set stays (a row is propagated many times per node).
  DivisibilityRules& rules = divisibility_rules_[i];
  if (!rules.valid || rules.columns != column) build_divisibility_rules(rules);
  if (rules.divisor == 0) return true;   // coefficients that round to 0: nothing to tell
  const double d = double(rules.divisor);
  const double miss = std::abs(rest - d * std::round(rest / d));
  // A point may break the row by the feasibility tolerance (absolute, times the scale).
  const double slack = scale * feasibility_tolerance_ + 1e-9 * std::max(1.0, std::abs(rest));
  if (miss > slack) return false;
  // Within the tolerance only exact integer activities are possible: then each
  // free column k lies in a residue class, c_k x_k = rest modulo the gcd g of
  // the others' coefficients, and its finite bounds move onto that class
  // (7.885 x + 9 y + 3 z = 25 over integers: x = 0 modulo 200).
  if (slack >= 0.5 || std::abs(rest - std::round(rest)) > slack) return true;
  const int64_t target = int64_t(std::round(rest));
  if (!propagate_narrow_residues(target)) return false;
  for (const ResidueRule& rule : rules.residues) {
    if (target % rule.common != 0) continue;
    const int64_t period = rule.period;
    // x = residue (mod period): (c / common) x = target / common (mod period).
    const int64_t b = ((target / rule.common) % period + period) % period;
    const int64_t residue = int64_t((__int128)b * rule.inverse % period);
    const int32_t j = rules.columns[rule.position];
    double lower = lower_[size_t(j)], upper = upper_[size_t(j)];
    auto offset = [&](double value) {   // (value - residue) mod period, in [0, period)
      const double m = std::fmod(value - double(residue), double(period));
      return m < 0 ? m + double(period) : m;
    };
    if (std::isfinite(lower) && std::abs(lower) < kLargestBound) {
      const double o = offset(lower);
      if (o != 0) lower += double(period) - o;
    }
    if (std::isfinite(upper) && std::abs(upper) < kLargestBound) upper -= offset(upper);
    if (lower > upper) return false;
    if (lower == lower_[size_t(j)] && upper == upper_[size_t(j)]) continue;
    tighten(j, lower, upper);
  }
  return true;
}

void DomainPropagator::build_divisibility_rules(DivisibilityRules& rules) {
  const std::vector<int64_t>& coefficient = divisibility_coefficients_;
  rules.valid = true;
  rules.columns = divisibility_columns_;
  rules.residues.clear();
  const size_t count = coefficient.size();
  std::vector<int64_t>& suffix = divisibility_suffix_;
  suffix.assign(count + 1, 0);
  for (size_t k = count; k-- > 0;) suffix[k] = gcd(suffix[k + 1], coefficient[k]);
  rules.divisor = suffix[0];
  if (count < 2) return;
  int64_t prefix = 0;
  for (size_t k = 0; k < count; ++k) {
    const int64_t others = gcd(prefix, suffix[k + 1]);
    prefix = gcd(prefix, coefficient[k]);
    const int64_t common = gcd(coefficient[k], others);
    if (others <= 1 || common == 0) continue;
    const int64_t period = others / common;
    if (period <= 1) continue;
    const int64_t a = ((coefficient[k] / common) % period + period) % period;
    // extended Euclid: a * inverse = 1 (mod period); gcd(a, period) = 1
    int64_t r0 = period, r1 = a, t0 = 0, t1 = 1;
    while (r1 != 0) {
      const int64_t q = r0 / r1;
      std::swap(r0, r1);
      r1 -= q * r0;
      std::swap(t0, t1);
      t1 -= q * t0;
    }
    if (r0 != 1) continue;
    rules.residues.push_back({k, common, period, (t0 % period + period) % period});
  }
}

bool DomainPropagator::apply_upper(int32_t j, double value, double error) {
  const double lower = lower_[size_t(j)], upper = upper_[size_t(j)];
  double bound;
  if (integer_[size_t(j)]) {
    bound = std::floor(value + kIntegralityTolerance + error);
    if (!(bound < upper)) return true;
    if (bound < lower - tolerance(lower)) return false;
    if (std::abs(bound) > kLargestBound) return true;
    bound = std::max(bound, lower);
  } else {
    if (continuous_ == ContinuousTightening::kNever) return true;
    // Never tighter than implied: the margin covers rounding in the activities.
    const double safe = value + error + kContinuousMargin * std::max(1.0, std::abs(value));
    if (!(safe < upper)) return true;
    if (safe < lower - tolerance(lower)) return false;
    if (std::abs(safe) > kLargestBound) return true;
    bound = std::max(safe, lower);
    // Worth it: (nearly) fixes the column, makes the bound finite, or cuts a
    // good part of the domain (relative to its width, or |bound| when that is infinite).
    const double width = upper - lower;
    const double reference = std::isfinite(width) ? width : std::abs(upper);
    const double fraction = continuous_ == ContinuousTightening::kFixOrLarge ? 0.1 : 1e-3;
    const bool fixes = std::isfinite(lower) && bound - lower <= tolerance(lower);
    if (!fixes && std::isfinite(upper) && upper - bound <= fraction * std::max(1.0, reference)) return true;
  }
  tighten(j, lower, bound);
  return true;
}

bool DomainPropagator::apply_lower(int32_t j, double value, double error) {
  const double lower = lower_[size_t(j)], upper = upper_[size_t(j)];
  double bound;
  if (integer_[size_t(j)]) {
    bound = std::ceil(value - kIntegralityTolerance - error);
    if (!(bound > lower)) return true;
    if (bound > upper + tolerance(upper)) return false;
    if (std::abs(bound) > kLargestBound) return true;
    bound = std::min(bound, upper);
  } else {
    if (continuous_ == ContinuousTightening::kNever) return true;
    const double safe = value - error - kContinuousMargin * std::max(1.0, std::abs(value));
    if (!(safe > lower)) return true;
    if (safe > upper + tolerance(upper)) return false;
    if (std::abs(safe) > kLargestBound) return true;
    bound = std::min(safe, upper);
    const double width = upper - lower;
    const double reference = std::isfinite(width) ? width : std::abs(lower);
    const double fraction = continuous_ == ContinuousTightening::kFixOrLarge ? 0.1 : 1e-3;
    const bool fixes = std::isfinite(upper) && upper - bound <= tolerance(upper);
    if (!fixes && std::isfinite(lower) && bound - lower <= fraction * std::max(1.0, reference)) return true;
  }
  tighten(j, bound, upper);
  return true;
}

}  // namespace satmip::mip
