#include "mip/cuts_knapsack_cover.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "mip/cut_finish.hpp"

namespace satmip::mip {
namespace {

struct Item {
  int32_t col;
  double weight;     // > 0
  double y;          // LP value of the (possibly complemented) binary
  bool complemented; // y = 1 - x
};

// Caps on the lifting DP's work (each lifted item costs |C| steps): per base
// inequality for items with y > 0, which decide the violation, and per call
// for the y = 0 items, which only strengthen the cut.
constexpr int64_t kLiftingWorkPerRow = 2000000;
constexpr int64_t kStrengtheningWorkPerCall = 20000000;

void separate_one(const BaseInequality& base, const lp::Model& model, const std::vector<double>& x,
                  const std::vector<double>& col_lower, const std::vector<double>& col_upper,
                  std::vector<Item>& items, int64_t& strengthening_work, std::vector<Cut>& out) {
  double b = base.rhs;
  double magnitude = std::fabs(b);
  items.clear();
  for (size_t k = 0; k < base.index.size(); ++k) {
    int32_t j = base.index[k];
    double a = base.value[k];
    double lo = col_lower[j], up = col_upper[j];
    if (size_t(j) < model.integer.size() && model.integer[j]) {
      // Rounding the bounds outward by 1e-9 first can only loosen them: still valid.
      double l = std::ceil(lo - 1e-9), u = std::floor(up + 1e-9);
      if (l > u) return;  // empty domain: nothing sensible to separate
      if (l == u) {
        b -= a * l;
        magnitude = std::fmax(magnitude, std::fabs(a * l));
        continue;
      }
      if (l == 0 && u == 1) {
        double xj = std::fmin(1.0, std::fmax(0.0, x[j]));
        if (a > 0) {
          items.push_back({j, a, xj, false});
        } else {
          // a x = a - a (1 - x): weight -a on the complement, a leaves the row.
          items.push_back({j, -a, 1 - xj, true});
          b -= a;
        }
        magnitude = std::fmax(magnitude, std::fabs(a));
        continue;
      }
    }
    // Continuous or general integer: a x >= a * (its bound making the row weakest).
    double bound = a > 0 ? lo : up;
    if (!std::isfinite(bound)) return;
    b -= a * bound;
    magnitude = std::fmax(magnitude, std::fabs(a * bound));
  }
  if (items.empty()) return;
  // Tolerance for "weights exceed the capacity": larger than any rounding in b
  // and than LP feasibility slack, so a cover is a cover for every solution
  // the solver would accept.
  const double eps = 1e-9 * magnitude + 1e-6 * std::fmax(1.0, std::fabs(b));
  if (b < -eps) return;  // infeasible at these bounds

  // Greedy cover: items with y near 1 and large weight first.
  std::sort(items.begin(), items.end(), [](const Item& p, const Item& q) {
    double kp = (1 - p.y) / p.weight, kq = (1 - q.y) / q.weight;
    if (kp != kq) return kp < kq;
    return p.col < q.col;
  });
  double sum = 0;
  size_t cover_end = 0;
  while (cover_end < items.size() && sum <= b + eps) sum += items[cover_end++].weight;
  if (sum <= b + eps) return;  // the whole row fits: no cover
  // Make it minimal: drop items with the smallest y while it stays a cover.
  std::vector<Item> candidates(items.begin(), items.begin() + cover_end);
  std::vector<Item> rest(items.begin() + cover_end, items.end());
  std::sort(candidates.begin(), candidates.end(), [](const Item& p, const Item& q) {
    if (p.y != q.y) return p.y < q.y;
    return p.col < q.col;
  });
  std::vector<Item> cover;
  for (const Item& it : candidates) {
    if (sum - it.weight > b + eps) {
      sum -= it.weight;
      rest.push_back(it);
    } else {
      cover.push_back(it);
    }
  }
  const int r = int(cover.size()) - 1;
  double cover_y = 0;
  for (const Item& it : cover) cover_y += it.y;
  // Lifting adds at most sum over the rest of r * y; skip hopeless covers.
  double rest_y = 0;
  for (const Item& it : rest) rest_y += it.y;
  if (cover_y + r * rest_y <= r + 1e-6) return;

  // min_weight[p]: least weight of a 0-1 selection of the lifted items so far
  // with profit p (profits above r are clamped to r).
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> min_weight(size_t(r) + 1, inf);
  min_weight[0] = 0;
  auto add_to_dp = [&](int profit, double weight) {
    for (int p = r; p >= 0; --p) {
      if (min_weight[p] == inf) continue;
      int q = std::min(r, p + profit);
      min_weight[q] = std::fmin(min_weight[q], min_weight[p] + weight);
    }
  };
  for (const Item& it : cover) add_to_dp(1, it.weight);
  std::vector<int> lifted(rest.size(), 0);
  // Lift items with large y first (they decide the violation), then heavy ones.
  std::vector<size_t> order(rest.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](size_t p, size_t q) {
    if (rest[p].y != rest[q].y) return rest[p].y > rest[q].y;
    if (rest[p].weight != rest[q].weight) return rest[p].weight > rest[q].weight;
    return rest[p].col < rest[q].col;
  });
  int64_t work = 0;
  for (size_t k : order) {
    if (rest[k].y > 0) {
      if (work > kLiftingWorkPerRow) continue;
      work += r + 1;
    } else {
      if (strengthening_work > kStrengtheningWorkPerCall) break;
      strengthening_work += r + 1;
    }
    double capacity = b - rest[k].weight;
    int alpha;
    if (capacity < -eps) {
      alpha = r;  // the item can never be 1: any coefficient is valid
    } else {
      // Over-estimating the best profit (the eps) only lowers alpha: still valid.
      int best = 0;
      for (int p = r; p >= 0; --p)
        if (min_weight[p] <= capacity + eps) {
          best = p;
          break;
        }
      alpha = r - best;
    }
    if (alpha <= 0) continue;
    lifted[k] = alpha;
    add_to_dp(alpha, rest[k].weight);
  }

  // sum pi y <= r, with y = 1 - x for complemented items.
  Cut cut;
  cut.kind = "cover";
  cut.rhs = r;
  auto emit = [&](const Item& it, int pi) {
    cut.index.push_back(it.col);
    if (it.complemented) {
      cut.value.push_back(-pi);
      cut.rhs -= pi;
    } else {
      cut.value.push_back(pi);
    }
  };
  for (const Item& it : cover) emit(it, 1);
  for (size_t k = 0; k < rest.size(); ++k)
    if (lifted[k] > 0) emit(rest[k], lifted[k]);
  finish_cut(std::move(cut), x, col_lower, col_upper, false, out);
}

}  // namespace

void separate_knapsack_covers(const RowMatrix& rows, const lp::Model& model, const std::vector<double>& x,
                              const std::vector<double>& col_lower, const std::vector<double>& col_upper,
                              std::vector<Cut>& out) {
  BaseInequality base;
  std::vector<Item> items;
  int64_t strengthening_work = 0;
  for (int32_t i = 0; i < rows.rows; ++i)
    for (int side : {1, -1})
      if (base_inequality(rows, i, side, base))
        separate_one(base, model, x, col_lower, col_upper, items, strengthening_work, out);
}

}  // namespace satmip::mip
