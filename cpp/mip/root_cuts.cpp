// The root's cut loop: rounds of separation (GMI from the tableau, MIR and
// knapsack covers on the model's rows), a selection by efficacy with a
// parallelism filter, the chosen cuts added to the LP as rows and the LP
// re-solved warm. The LP's cut rows are the pool: a cut whose row has been
// slack (basic logical) for a few rounds in a row ages out, and cuts slack
// at the end are removed so that node LPs stay small. Rounds stop when the
// bound stalls, nothing is violated, or the loop's time budget is spent.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "mip/cut_rows.hpp"
#include "mip/cuts_gomory.hpp"
#include "mip/cuts_knapsack_cover.hpp"
#include "mip/cuts_mir.hpp"
#include "mip/search.hpp"

namespace satmip::mip {
namespace {

// The cut loop's LP iterations beyond 20x the root LP's (root_cut_loop).
constexpr int64_t kCutLoopIterations = 10000;

// Cuts by decreasing efficacy, skipping any nearly parallel to one already
// chosen (cosine above max_parallelism), at most `limit`.
std::vector<Cut> select_cuts(std::vector<Cut>& cuts, const std::vector<double>& x, size_t limit,
                             double min_efficacy, double max_parallelism, int32_t num_cols) {
  std::vector<double> efficacy(cuts.size());
  for (size_t k = 0; k < cuts.size(); ++k) efficacy[k] = cut_efficacy(cuts[k], x);
  std::vector<size_t> order(cuts.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return efficacy[a] > efficacy[b]; });
  std::vector<Cut> chosen;
  std::vector<double> norms;
  std::vector<double> dense(size_t(num_cols), 0.0);
  for (size_t k : order) {
    if (chosen.size() >= limit || efficacy[k] < min_efficacy) break;
    const Cut& cut = cuts[k];
    double norm = 0;
    for (double v : cut.value) norm += v * v;
    norm = std::sqrt(norm);
    for (size_t p = 0; p < cut.index.size(); ++p) dense[size_t(cut.index[p])] = cut.value[p];
    bool parallel = false;
    for (size_t c = 0; c < chosen.size() && !parallel; ++c) {
      double dot = 0;
      for (size_t p = 0; p < chosen[c].index.size(); ++p) dot += chosen[c].value[p] * dense[size_t(chosen[c].index[p])];
      parallel = dot > max_parallelism * norm * norms[c];
    }
    for (int32_t j : cut.index) dense[size_t(j)] = 0.0;
    if (parallel) continue;
    chosen.push_back(std::move(cuts[k]));
    norms.push_back(norm);
  }
  return chosen;
}

}  // namespace

void Search::add_cuts_to_lp(const std::vector<Cut>& cuts) {
  std::vector<double> lower(cuts.size(), -std::numeric_limits<double>::infinity()), upper;
  std::vector<int64_t> start{0};
  std::vector<int32_t> index;
  std::vector<double> value;
  for (const Cut& cut : cuts) {
    upper.push_back(cut.rhs);
    index.insert(index.end(), cut.index.begin(), cut.index.end());
    value.insert(value.end(), cut.value.begin(), cut.value.end());
    start.push_back(int64_t(index.size()));
    cut_ages_.push_back(0);
  }
  lp_.add_rows(lower, upper, start, index, value);
  cuts_added_ += int64_t(cuts.size());
}

void Search::remove_slack_cuts(int max_age) {
  const int32_t base_rows = model_.A.rows;
  std::vector<lp::BasisStatus> cols, rows;
  lp_.get_basis(cols, rows);
  std::vector<int32_t> doomed;
  std::vector<int32_t> kept_ages;
  for (size_t c = 0; c < cut_ages_.size(); ++c) {
    const int32_t row = base_rows + int32_t(c);
    cut_ages_[c] = rows[size_t(row)] == lp::BasisStatus::kBasic ? cut_ages_[c] + 1 : 0;
    if (cut_ages_[c] >= max_age) doomed.push_back(row);
    else kept_ages.push_back(cut_ages_[c]);
  }
  if (doomed.empty()) return;
  lp_.delete_rows(doomed);
  cut_ages_ = std::move(kept_ages);
}

bool Search::root_cut_loop() {
  const auto loop_start = std::chrono::steady_clock::now();
  auto loop_time = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - loop_start).count(); };
  // The budget in LP iterations, a multiple of the root LP's own, never in
  // seconds: a solve that finishes is then the same search however loaded the
  // machine (a budget of 1 s + 20x the root LP's time, capped at a quarter of
  // the time limit, had cut rounds end early under load or a short limit and
  // the tree change). Only the time limit itself stops the loop by the clock.
  const int64_t loop_start_iterations = lp_iterations_;
  const int64_t budget = kCutLoopIterations + 20 * lp_iterations_;
  const size_t per_round = size_t(std::min<int32_t>(500, 50 + model_.A.rows / 5));
  GomoryOptions gomory;
  const RowMatrix rows = build_row_matrix(model_);
  double bound = sense_ * lp_.objective();
  int stalled = 0;
  for (int round = 0; round < options_.cut_rounds; ++round) {
    if (limit_reached(false) || lp_iterations_ - loop_start_iterations > budget) break;
    const std::vector<double> x = lp_.x();
    std::vector<Cut> cuts;
    separate_gomory(lp_, model_.integer, gomory, cuts);
    separate_mir(rows, model_, x, loaded_lower_, loaded_upper_, cuts);
    separate_knapsack_covers(rows, model_, x, loaded_lower_, loaded_upper_, cuts);
    std::vector<Cut> chosen = select_cuts(cuts, x, per_round, 1e-4, 0.99, model_.A.cols);
    if (chosen.empty()) break;
    add_cuts_to_lp(chosen);
    if (!solve_lp()) return false;
    if (lp_.status() == lp::LpStatus::kInfeasible) return false;   // no integer point: the cuts are valid
    if (lp_.status() != lp::LpStatus::kOptimal) return false;
    ++cut_rounds_;
    remove_slack_cuts(3);
    const double new_bound = sense_ * lp_.objective();
    if (options_.callbacks.on_event) {
      MipEvent event;
      event.kind = "cut_round";
      event.counts = {{"round", cut_rounds_}, {"added", int64_t(chosen.size())},
                      {"cut_rows", int64_t(cut_ages_.size())}, {"iterations", lp_.iterations()}};
      event.values = {{"bound", model_value(new_bound)}, {"seconds", loop_time()}};
      notify_event(event);
      if (stop_) return false;
    }
    stalled = new_bound - bound <= 1e-3 * std::max(1.0, std::fabs(new_bound)) ? stalled + 1 : 0;
    bound = new_bound;
    if (stalled >= 3) break;
  }
  // Slack cuts only slow the node LPs down: drop them (the basis stays optimal).
  remove_slack_cuts(1);
  cut_time_ += loop_time();
  if (options_.callbacks.on_event) {
    MipEvent event;
    event.kind = "root_cuts";
    event.counts = {{"rounds", cut_rounds_}, {"added", cuts_added_}, {"cut_rows", int64_t(cut_ages_.size())}};
    event.values = {{"bound", lp_.objective()}, {"seconds", cut_time_}};
    notify_event(event);
    if (stop_) return false;
  }
  return true;
}

}  // namespace satmip::mip
