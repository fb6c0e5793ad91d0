#include "mip/cuts_mir.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "mip/cut_finish.hpp"

namespace satmip::mip {
namespace {

constexpr int kMaxAggregations = 3;    // rows added to the starting row
constexpr size_t kMaxRowLength = 500;  // longer base inequalities are skipped
constexpr int kMaxDivisors = 8;
constexpr size_t kMaxFlips = 10;    // complementation flips tried per base inequality

// One column of the base inequality after bound substitution.
struct Term {
  int32_t col;
  double a;          // coefficient in the base inequality
  bool integer;
  bool at_upper;     // integer: z = u - x (else x - l); continuous: s = u - x (else x - l)
  double lower, upper;  // bounds used (integer columns: rounded to integers)
  double x;
  // Continuous column substituted by a variable bound x <= d y + e (at_upper,
  // s = d y + e - x) or x >= d y + e (s = x - d y - e); then upper (resp.
  // lower) holds e, and a * d has been added to y's integer term.
  int32_t vb_col = -1;
  double vb_d = 0;
  double a_scale = 0;  // integer: largest |addend| summed into a
};

struct Candidate {
  double efficacy = 0;
  Cut cut;
};

double fractional(double v) { return v - std::floor(v); }

// The MIR cut of the transformed base inequality for divisor delta, written
// back in x. False when f0 is outside [0.05, 0.95] or numbers get too large.
// entries: scratch for the (column, coefficient) pairs before merging.
bool mir_cut(const std::vector<Term>& terms, double b, double delta, const std::vector<double>& x,
             const std::vector<double>& lower, const std::vector<double>& upper,
             std::vector<std::pair<int32_t, double>>& entries, Cut& cut, double& efficacy) {
  // beta = b minus the bound parts of all substitutions.
  double beta = b;
  for (const Term& t : terms) beta -= t.a * (t.at_upper ? t.upper : t.lower);
  double ratio = beta / delta;
  if (!std::isfinite(ratio) || std::fabs(ratio) > 1e6) return false;
  double f0 = fractional(ratio);
  if (f0 < 0.05 || f0 > 0.95) return false;
  double rhs = delta * std::floor(ratio);
  entries.clear();
  double magnitude = std::fabs(rhs);  // size of the numbers summed into rhs
  for (const Term& t : terms) {
    double coef_in_t = t.at_upper ? -t.a : t.a;  // coefficient on z or s
    double g;
    if (t.integer) {
      double d = coef_in_t / delta;
      if (std::fabs(d) > 1e6) return false;
      double fd = fractional(d);
      g = delta * (std::floor(d) + std::fmax(0.0, fd - f0) / (1 - f0));
    } else {
      // Continuous: only the negative part survives, scaled by 1/(1-f0).
      g = coef_in_t < 0 ? coef_in_t / (1 - f0) : 0.0;
    }
    if (g == 0) continue;
    // Back-substitute z = x - l (coefficient g) or z = u - x (coefficient -g);
    // a variable bound's s = +-(x - d y - e) also puts -+g d on y.
    double v = t.at_upper ? -g : g;
    double shift = t.at_upper ? -g * t.upper : g * t.lower;
    rhs += shift;
    magnitude = std::fmax(magnitude, std::fabs(shift));
    entries.emplace_back(t.col, v);
    if (t.vb_col >= 0) {
      double w = -v * t.vb_d;
      entries.emplace_back(t.vb_col, w);
      // Rounding in w (and in d itself) times y's largest value.
      double y_max = std::fmax(std::fabs(lower[t.vb_col]), std::fabs(upper[t.vb_col]));
      if (!std::isfinite(y_max)) return false;
      magnitude = std::fmax(magnitude, std::fabs(w) * y_max);
    }
  }
  // A column may come from its own term and from variable bounds: merge.
  std::sort(entries.begin(), entries.end());
  cut.index.clear();
  cut.value.clear();
  double activity = 0, norm2 = 0;
  for (size_t k = 0; k < entries.size();) {
    int32_t j = entries[k].first;
    double v = 0;
    for (; k < entries.size() && entries[k].first == j; ++k) v += entries[k].second;
    if (v == 0) continue;  // exact cancellation: dropping it changes nothing
    cut.index.push_back(j);
    cut.value.push_back(v);
    activity += v * x[j];
    norm2 += v * v;
  }
  if (!std::isfinite(rhs) || norm2 == 0) return false;
  // Covers the rounding in beta, the coefficients and the back-substitution.
  cut.rhs = rhs + 1e-12 * magnitude * double(terms.size() + 1);
  efficacy = (activity - rhs) / std::sqrt(norm2);
  return std::isfinite(efficacy);
}

class MirSeparator {
 public:
  MirSeparator(const RowMatrix& rows, const lp::Model& model, const std::vector<double>& x,
               const std::vector<double>& col_lower, const std::vector<double>& col_upper, std::vector<Cut>& out)
      : rows_(rows), model_(model), x_(x), lower_(col_lower), upper_(col_upper), out_(out),
        dense_(size_t(rows.cols), 0.0), in_row_(size_t(rows.cols), 0), term_of_(size_t(rows.cols), -1) {}

  void run() {
    BaseInequality base;
    for (int32_t i = 0; i < rows_.rows; ++i)
      for (int side : {1, -1}) {
        if (!base_inequality(rows_, i, side, base)) continue;
        std::vector<int32_t> used{i};
        for (int round = 0;; ++round) {
          if (separate(base)) break;
          if (round == kMaxAggregations || !aggregate(base, used)) break;
        }
      }
  }

 private:
  bool is_integer(int32_t j) const { return size_t(j) < model_.integer.size() && model_.integer[j]; }

  // A variable bound is substituted only when its y has finite current bounds
  // (y is complemented in the MIR, and the rounding margin needs |y| bounded).
  bool usable(const VariableBound& vb) const {
    return vb.y >= 0 && std::isfinite(lower_[vb.y]) && std::isfinite(upper_[vb.y]);
  }
  double vb_value(const VariableBound& vb) const { return vb.d * x_[vb.y] + vb.e; }

  // Transforms base and tries divisors and complementations; emits the best cut.
  bool separate(const BaseInequality& base) {
    if (base.index.size() > kMaxRowLength) return false;
    terms_.clear();
    double b = base.rhs;
    // Integer terms are made on a column's first appearance (in the row or as
    // the y of a variable bound); term_of_ maps the column to it meanwhile.
    auto integer_term = [&](int32_t j) -> Term& {
      if (term_of_[j] < 0) {
        term_of_[j] = int32_t(terms_.size());
        terms_.push_back(Term{j, 0.0, true, false, lower_[j], upper_[j], x_[j]});
      }
      return terms_[size_t(term_of_[j])];
    };
    bool ok = true;
    for (size_t k = 0; k < base.index.size() && ok; ++k) {
      int32_t j = base.index[k];
      double a = base.value[k];
      if (a == 0) continue;
      if (is_integer(j)) {
        Term& it = integer_term(j);
        it.a += a;
        it.a_scale = std::fmax(it.a_scale, std::fabs(a));
        continue;
      }
      Term t{j, a, false, false, lower_[j], upper_[j], x_[j]};
      if (t.lower > t.upper) {
        ok = false;
        continue;
      }
      if (t.lower == t.upper) {  // fixed: a constant
        b -= a * t.lower;
        continue;
      }
      bool lo_ok = std::isfinite(t.lower), up_ok = std::isfinite(t.upper);
      // Distance of x to each candidate bound (infinite: unusable).
      const double inf = std::numeric_limits<double>::infinity();
      double dist_lo = lo_ok ? t.x - t.lower : inf, dist_up = up_ok ? t.upper - t.x : inf;
      double dist_vlb = inf, dist_vub = inf;
      if (usable(rows_.vlb[j])) dist_vlb = t.x - vb_value(rows_.vlb[j]);
      if (usable(rows_.vub[j])) dist_vub = vb_value(rows_.vub[j]) - t.x;
      // A variable bound only when strictly closer than the simple one on its
      // side (it brings y into the integer part; ties keep the row simpler).
      bool use_vlb = dist_vlb < dist_lo - 1e-9, use_vub = dist_vub < dist_up - 1e-9;
      double best_lo = use_vlb ? dist_vlb : dist_lo, best_up = use_vub ? dist_vub : dist_up;
      if (!std::isfinite(best_lo) && !std::isfinite(best_up)) {
        ok = false;
        continue;
      }
      // Closest bound: small slack.
      t.at_upper = !std::isfinite(best_lo) || (std::isfinite(best_up) && best_up < best_lo);
      const VariableBound* vb = t.at_upper ? (use_vub ? &rows_.vub[j] : nullptr) : (use_vlb ? &rows_.vlb[j] : nullptr);
      if (vb) {
        // x = d y + e -+ s: a d joins y's integer coefficient, a e the constant.
        t.vb_col = vb->y;
        t.vb_d = vb->d;
        (t.at_upper ? t.upper : t.lower) = vb->e;
        Term& it = integer_term(vb->y);
        it.a += a * vb->d;
        it.a_scale = std::fmax(it.a_scale, std::fabs(a * vb->d));
      }
      terms_.push_back(t);
    }
    // Finish the integer terms: integral bounds, constants out, closest bound.
    size_t w = 0;
    for (size_t k = 0; k < terms_.size(); ++k) {
      Term t = terms_[k];
      if (t.integer) {
        term_of_[t.col] = -1;
        if (!ok) continue;
        // Integral bounds (rounded outward by 1e-9: looser, so still valid).
        t.lower = std::ceil(t.lower - 1e-9);
        t.upper = std::floor(t.upper + 1e-9);
        bool lo_ok = std::isfinite(t.lower), up_ok = std::isfinite(t.upper);
        if (t.lower > t.upper || (!lo_ok && !up_ok)) ok = false;
        if (!ok || t.a == 0) continue;  // exactly cancelled: nothing to substitute
        if (std::fabs(t.a) <= 1e-12 * t.a_scale) {
          // Cancellation noise (e.g. x's own variable-bound row): relax it away
          // with the bound that keeps the inequality valid.
          double bd = t.a > 0 ? t.lower : t.upper;
          if (!std::isfinite(bd)) ok = false;
          else b -= t.a * bd;
          continue;
        }
        if (t.lower == t.upper) {  // fixed: a constant
          b -= t.a * t.lower;
          continue;
        }
        t.at_upper = !lo_ok || (up_ok && t.upper - t.x < t.x - t.lower);
      }
      terms_[w++] = t;
    }
    terms_.resize(w);
    if (!ok || !std::isfinite(b)) return false;
    // Divisors: |a| of integer columns strictly inside their bounds.
    std::vector<double> divisors;
    for (const Term& t : terms_)
      if (t.integer && t.x > t.lower + 1e-6 && t.x < t.upper - 1e-6) {
        double d = std::fabs(t.a);
        bool seen = false;
        for (double e : divisors) seen = seen || std::fabs(e - d) <= 1e-9 * d;
        if (!seen && divisors.size() < size_t(kMaxDivisors)) divisors.push_back(d);
      }
    if (divisors.empty()) return false;
    Candidate best;
    double best_delta = 0;
    Cut cut;
    double efficacy;
    auto consider = [&](double delta) {
      if (mir_cut(terms_, b, delta, x_, lower_, upper_, entries_, cut, efficacy) && efficacy > best.efficacy + 1e-9) {
        best.efficacy = efficacy;
        best.cut = cut;
        best_delta = delta;
      }
    };
    for (double d : divisors) consider(d);
    if (best_delta == 0) return false;
    double base_delta = best_delta;
    for (double s : {2.0, 4.0, 8.0}) consider(base_delta / s);
    // Flip the complementation of integer columns strictly inside finite
    // bounds, farthest from both bounds first; keep a flip that helps.
    std::vector<size_t> inner;
    for (size_t k = 0; k < terms_.size(); ++k) {
      const Term& t = terms_[k];
      if (t.integer && std::isfinite(t.lower) && std::isfinite(t.upper) && t.x > t.lower + 1e-6 &&
          t.x < t.upper - 1e-6)
        inner.push_back(k);
    }
    std::sort(inner.begin(), inner.end(), [&](size_t p, size_t q) {
      auto dist = [&](size_t k) { return std::fmin(terms_[k].x - terms_[k].lower, terms_[k].upper - terms_[k].x); };
      return dist(p) > dist(q);
    });
    if (inner.size() > kMaxFlips) inner.resize(kMaxFlips);
    for (size_t k : inner) {
      terms_[k].at_upper = !terms_[k].at_upper;
      double before = best.efficacy;
      consider(best_delta);
      if (best.efficacy <= before) terms_[k].at_upper = !terms_[k].at_upper;
    }
    if (best.efficacy <= 1e-4) return false;
    best.cut.kind = "mir";
    return finish_cut(std::move(best.cut), x_, lower_, upper_, true, out_);
  }

  // Adds a multiple of another row to base that eliminates the continuous
  // column farthest inside its bounds. False when no such row exists.
  bool aggregate(BaseInequality& base, std::vector<int32_t>& used) {
    // Pick the continuous column with the largest distance to its bounds.
    int32_t pick = -1;
    double pick_a = 0, best_dist = 1e-6;
    for (size_t k = 0; k < base.index.size(); ++k) {
      int32_t j = base.index[k];
      if (is_integer(j)) continue;
      double dist = std::fmin(x_[j] - lower_[j], upper_[j] - x_[j]);
      // A column at its variable bound is substituted, not eliminated.
      if (usable(rows_.vlb[j])) dist = std::fmin(dist, std::fmax(0.0, x_[j] - vb_value(rows_.vlb[j])));
      if (usable(rows_.vub[j])) dist = std::fmin(dist, std::fmax(0.0, vb_value(rows_.vub[j]) - x_[j]));
      if (dist > best_dist) {
        best_dist = dist;
        pick = j;
        pick_a = base.value[k];
      }
    }
    if (pick < 0) return false;
    const lp::SparseMatrix& A = model_.A;
    for (int64_t p = A.start[pick]; p < A.start[pick + 1]; ++p) {
      int32_t r = A.index[p];
      if (std::find(used.begin(), used.end(), r) != used.end()) continue;
      // Find the row's coefficient on pick in the CSR copy (duplicates merged there).
      double d = 0;
      for (int64_t q = rows_.start[r]; q < rows_.start[r + 1]; ++q)
        if (rows_.index[q] == pick) d = rows_.value[q];
      if (d == 0 || rows_.start[r + 1] - rows_.start[r] > int64_t(kMaxRowLength)) continue;
      // base + lambda * side * row eliminates pick: side = -sign(pick_a * d).
      int side = pick_a * d > 0 ? -1 : 1;
      double bound = side > 0 ? rows_.upper[r] : rows_.lower[r];
      if (!std::isfinite(bound)) continue;
      double lambda = std::fabs(pick_a) / std::fabs(d);
      for (size_t k = 0; k < base.index.size(); ++k) {
        dense_[base.index[k]] = base.value[k];
        in_row_[base.index[k]] = 1;
      }
      std::vector<int32_t> cols(base.index);
      for (int64_t q = rows_.start[r]; q < rows_.start[r + 1]; ++q) {
        int32_t j = rows_.index[q];
        if (!in_row_[j]) {
          in_row_[j] = 1;
          cols.push_back(j);
        }
        dense_[j] += lambda * side * rows_.value[q];
      }
      dense_[pick] = 0;  // exactly eliminated
      base.rhs += lambda * side * bound;
      base.index.clear();
      base.value.clear();
      double max_abs = 0;
      for (int32_t j : cols) max_abs = std::fmax(max_abs, std::fabs(dense_[j]));
      for (int32_t j : cols) {
        double v = dense_[j];
        dense_[j] = 0;
        in_row_[j] = 0;
        if (v == 0) continue;
        if (std::fabs(v) < 1e-12 * max_abs) {
          // Cancellation noise: relax it away with the bound that keeps validity.
          double bd = v > 0 ? lower_[j] : upper_[j];
          if (!std::isfinite(bd)) return false;
          base.rhs -= v * bd;
          continue;
        }
        base.index.push_back(j);
        base.value.push_back(v);
      }
      used.push_back(r);
      return !base.index.empty();
    }
    return false;
  }

  const RowMatrix& rows_;
  const lp::Model& model_;
  const std::vector<double>& x_;
  const std::vector<double>& lower_;
  const std::vector<double>& upper_;
  std::vector<Cut>& out_;
  std::vector<double> dense_;
  std::vector<uint8_t> in_row_;
  std::vector<Term> terms_;
  std::vector<int32_t> term_of_;
  std::vector<std::pair<int32_t, double>> entries_;
};

}  // namespace

void separate_mir(const RowMatrix& rows, const lp::Model& model, const std::vector<double>& x,
                  const std::vector<double>& col_lower, const std::vector<double>& col_upper,
                  std::vector<Cut>& out) {
  MirSeparator(rows, model, x, col_lower, col_upper, out).run();
}

}  // namespace satmip::mip
