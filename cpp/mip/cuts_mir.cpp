#include "mip/cuts_mir.hpp"

#include <algorithm>
#include <cmath>

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
};

struct Candidate {
  double efficacy = 0;
  Cut cut;
};

double fractional(double v) { return v - std::floor(v); }

// The MIR cut of the transformed base inequality for divisor delta, written
// back in x. False when f0 is outside [0.05, 0.95] or numbers get too large.
bool mir_cut(const std::vector<Term>& terms, double b, double delta, Cut& cut, double& efficacy) {
  // beta = b minus the bound parts of all substitutions.
  double beta = b;
  for (const Term& t : terms) beta -= t.a * (t.at_upper ? t.upper : t.lower);
  double ratio = beta / delta;
  if (!std::isfinite(ratio) || std::fabs(ratio) > 1e6) return false;
  double f0 = fractional(ratio);
  if (f0 < 0.05 || f0 > 0.95) return false;
  double rhs = delta * std::floor(ratio);
  cut.index.clear();
  cut.value.clear();
  double activity = 0, norm2 = 0;
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
    // Back-substitute z = x - l (coefficient g) or z = u - x (coefficient -g).
    double v = t.at_upper ? -g : g;
    double shift = t.at_upper ? -g * t.upper : g * t.lower;
    rhs += shift;
    magnitude = std::fmax(magnitude, std::fabs(shift));
    cut.index.push_back(t.col);
    cut.value.push_back(v);
    activity += v * t.x;
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
        dense_(size_t(rows.cols), 0.0), in_row_(size_t(rows.cols), 0) {}

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

  // Transforms base and tries divisors and complementations; emits the best cut.
  bool separate(const BaseInequality& base) {
    if (base.index.size() > kMaxRowLength) return false;
    terms_.clear();
    double b = base.rhs;
    for (size_t k = 0; k < base.index.size(); ++k) {
      int32_t j = base.index[k];
      double a = base.value[k];
      if (a == 0) continue;
      Term t{j, a, is_integer(j), false, lower_[j], upper_[j], x_[j]};
      if (t.integer) {
        // Integral bounds (rounded outward by 1e-9: looser, so still valid).
        t.lower = std::ceil(t.lower - 1e-9);
        t.upper = std::floor(t.upper + 1e-9);
      }
      if (t.lower > t.upper) return false;
      bool lo_ok = std::isfinite(t.lower), up_ok = std::isfinite(t.upper);
      if (!lo_ok && !up_ok) return false;
      if (t.lower == t.upper) {  // fixed: a constant
        b -= a * t.lower;
        continue;
      }
      // Closest bound (for both kinds): small slack / complemented value.
      t.at_upper = !lo_ok || (up_ok && t.upper - t.x < t.x - t.lower);
      terms_.push_back(t);
    }
    if (!std::isfinite(b)) return false;
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
      if (mir_cut(terms_, b, delta, cut, efficacy) && efficacy > best.efficacy + 1e-9) {
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
};

}  // namespace

void separate_mir(const RowMatrix& rows, const lp::Model& model, const std::vector<double>& x,
                  const std::vector<double>& col_lower, const std::vector<double>& col_upper,
                  std::vector<Cut>& out) {
  MirSeparator(rows, model, x, col_lower, col_upper, out).run();
}

}  // namespace satmip::mip
