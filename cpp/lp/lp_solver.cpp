#include "lp/lp_solver.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "lp/certificate.hpp"
#include "lp/model_check.hpp"
#include "lp/simplex_engine.hpp"

namespace satmip::lp {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
// The engine's tolerances are never tightened below this (round-off level).
constexpr double kSmallestTolerance = 1e-13;

}  // namespace

const char* to_string(LpStatus s) {
  switch (s) {
    case LpStatus::kOptimal: return "optimal";
    case LpStatus::kInfeasible: return "infeasible";
    case LpStatus::kUnbounded: return "unbounded";
    case LpStatus::kIterationLimit: return "iteration_limit";
    case LpStatus::kTimeLimit: return "time_limit";
    case LpStatus::kInterrupted: return "interrupted";
    case LpStatus::kNumericalTrouble: return "numerical_trouble";
    case LpStatus::kNotSolved: return "not_solved";
  }
  return "?";
}

LpSolver::LpSolver(Model model, LpOptions options)
    : model_(std::move(model)), options_(options), engine_(std::make_unique<SimplexEngine>()) {
  check_model(model_, "LpSolver");
  // merge duplicate entries? The MPS reader already sums duplicates; drop explicit zeros
  if (options_.scale) scaling_ = compute_scaling(model_.A);
  else scaling_.identity(model_.A.rows, model_.A.cols);
  load_engine();
}

LpSolver::~LpSolver() = default;

int64_t LpSolver::total_iterations() const { return engine_->iterations; }

void LpSolver::load_engine() {
  SparseMatrix a = model_.A;
  scale_matrix(scaling_, a);
  std::vector<double> c = model_.cost, cl = model_.col_lower, cu = model_.col_upper;
  std::vector<double> rl = model_.row_lower, ru = model_.row_upper;
  for (double& v : c) v *= model_.sense;
  scale_costs(scaling_, c);
  scale_col_values(scaling_, cl);
  scale_col_values(scaling_, cu);
  scale_row_values(scaling_, rl);
  scale_row_values(scaling_, ru);
  SimplexEngine& e = *engine_;
  e.load(a, c, cl, cu, rl, ru);
}

LpStatus LpSolver::solve() {
  auto t0 = std::chrono::steady_clock::now();
  SimplexEngine& e = *engine_;
  e.options.primal_tol = options_.primal_feasibility_tolerance;
  e.options.dual_tol = options_.dual_feasibility_tolerance;
  e.options.time_limit = options_.time_limit;
  e.options.iteration_limit = options_.iteration_limit;
  e.options.interrupt = options_.interrupt;
  e.options.perturb = options_.perturb;
  e.options.refactor_interval = options_.refactor_interval;
  e.options.progress_interval = options_.progress_interval;
  e.options.on_progress = nullptr;
  if (options_.on_progress)
    e.options.on_progress = [this, t0, it0 = e.iterations](const SimplexEngine& engine) {
      LpProgress p;
      p.iterations = engine.iterations - it0;
      p.objective = model_.sense * engine.objective() + model_.offset;
      p.primal_infeasibility = engine.primal_infeasibility(nullptr);
      p.dual_infeasibility = engine.dual_infeasibility(nullptr);
      p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      return options_.on_progress(p);
    };
  for (int32_t j = 0; j < model_.A.cols; ++j)
    if (model_.col_lower[j] > model_.col_upper[j]) {
      status_ = LpStatus::kInfeasible;
      x_.assign(model_.A.cols, 0.0);
      iterations_ = 0;
      time_ = 0;
      return status_;
    }
  for (int32_t i = 0; i < model_.A.rows; ++i)
    if (model_.row_lower[i] > model_.row_upper[i]) {
      status_ = LpStatus::kInfeasible;
      x_.assign(model_.A.cols, 0.0);
      iterations_ = 0;
      time_ = 0;
      return status_;
    }
  const int64_t it0 = e.iterations;
  run_engine();
  // A definite answer stands only on its certificate in the unscaled model.
  // Without one (or after numerical trouble), solve again unscaled from the
  // basis, then unscaled from the slack basis without perturbation, then with
  // pivots down to 1e-10 (a ray whose tiny entries the ratio test skipped may
  // run into a bound after all). Each try gets a bounded number of iterations
  // (unscaled, the simplex can stall). Still no certificate: numerical
  // trouble, never a wrong answer.
  const int64_t fallback_iterations =
      std::min<int64_t>(options_.iteration_limit, 1000 + 50 * int64_t(model_.A.rows + model_.A.cols));
  bool in_fallback = false;
  auto retry = [&] {
    return status_ == LpStatus::kNumericalTrouble || !certified() ||
           (in_fallback && status_ == LpStatus::kIterationLimit);
  };
  for (int fallback = 0; fallback < 3 && retry(); ++fallback) {
    in_fallback = true;
    if (fallback == 1) e.have_basis = false;
    use_no_scaling();
    e.options.primal_tol = options_.primal_feasibility_tolerance;
    e.options.dual_tol = options_.dual_feasibility_tolerance;
    e.options.perturb = options_.perturb && fallback != 1;
    e.options.pivot_tol = fallback == 2 ? 1e-10 : SimplexOptions().pivot_tol;
    e.options.iteration_limit = fallback_iterations;
    run_engine();
  }
  const bool fallback_stalled = in_fallback && status_ == LpStatus::kIterationLimit;
  e.options.perturb = options_.perturb;
  e.options.pivot_tol = SimplexOptions().pivot_tol;
  e.options.iteration_limit = options_.iteration_limit;
  if (!certified() || fallback_stalled) status_ = LpStatus::kNumericalTrouble;
  iterations_ = e.iterations - it0;
  time_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return status_;
}

// One engine solve with the tolerance retries; sets status_ and the results.
void LpSolver::run_engine() {
  SimplexEngine& e = *engine_;
  SimplexStatus st = e.solve();
  // The engine's tolerances apply to the scaled problem; the answer must meet
  // them in the unscaled one. If it does not, tighten 10x and go on from the
  // basis; after three such steps, by how far the answer is still off (row and
  // column factors can make an unscaled violation 1e4 times the scaled one, wood1p).
  auto tightened = [](int retry, double engine_tol, double wanted, double measured) {
    if (retry >= 3 && measured <= wanted) return engine_tol;
    const double factor = retry < 3 ? 0.1 : std::clamp(0.5 * wanted / measured, 1e-4, 0.1);
    return std::max(kSmallestTolerance, engine_tol * factor);
  };
  for (int retry = 0; retry < 6 && st == SimplexStatus::kOptimal; ++retry) {
    status_ = LpStatus::kOptimal;
    extract_results(0);
    measure_infeasibilities();
    if (max_primal_infeasibility_ <= options_.primal_feasibility_tolerance &&
        max_dual_infeasibility_ <= options_.dual_feasibility_tolerance)
      break;
    if (e.options.primal_tol <= kSmallestTolerance && e.options.dual_tol <= kSmallestTolerance) break;
    const double last_primal_tol = e.options.primal_tol, last_dual_tol = e.options.dual_tol;
    e.options.primal_tol = tightened(retry, last_primal_tol, options_.primal_feasibility_tolerance, max_primal_infeasibility_);
    e.options.dual_tol = tightened(retry, last_dual_tol, options_.dual_feasibility_tolerance, max_dual_infeasibility_);
    st = e.solve();
    if (st == SimplexStatus::kNumericalTrouble) {
      // The tighter tolerances are out of reach (badly scaled rows, e.g. cuts):
      // settle for the last ones that were met, measured as they are.
      e.options.primal_tol = last_primal_tol;
      e.options.dual_tol = last_dual_tol;
      st = e.solve();
      break;
    }
  }
  switch (st) {
    case SimplexStatus::kOptimal: status_ = LpStatus::kOptimal; break;
    case SimplexStatus::kInfeasible: status_ = LpStatus::kInfeasible; break;
    case SimplexStatus::kUnbounded: status_ = LpStatus::kUnbounded; break;
    case SimplexStatus::kIterationLimit: status_ = LpStatus::kIterationLimit; break;
    case SimplexStatus::kTimeLimit: status_ = LpStatus::kTimeLimit; break;
    case SimplexStatus::kInterrupted: status_ = LpStatus::kInterrupted; break;
    default: status_ = LpStatus::kNumericalTrouble; break;
  }
  extract_results(0);
  measure_infeasibilities();
}

bool LpSolver::certified() {
  switch (status_) {
    case LpStatus::kOptimal: certificate_failure_ = check_optimal(model_, x_, row_activity_, row_dual_); break;
    case LpStatus::kInfeasible: certificate_failure_ = check_farkas(model_, dual_ray_); break;
    case LpStatus::kUnbounded: certificate_failure_ = check_unbounded(model_, x_, row_activity_, primal_ray_); break;
    default: certificate_failure_.clear(); break;   // no definite answer, nothing to back
  }
  return certificate_failure_.empty();
}

// From here on the engine works on the model as it is (the basis is kept:
// it does not depend on scaling; values are recomputed by the next solve).
void LpSolver::use_no_scaling() {
  SimplexEngine& e = *engine_;
  const bool had = e.have_basis;
  const std::vector<int32_t> basic = e.basic;
  const std::vector<VarStatus> status = e.status;
  const int64_t iters = e.iterations;
  scaling_.identity(model_.A.rows, model_.A.cols);
  load_engine();
  e.iterations = iters;
  if (had) {
    e.basic = basic;
    e.status = status;
    e.dse.assign(e.m, 1.0);
    e.have_basis = true;
    e.factor_valid = false;
  }
}

void LpSolver::extract_results(int) {
  SimplexEngine& e = *engine_;
  const int32_t n = e.n, m = e.m;
  x_.assign(e.x.begin(), e.x.begin() + n);
  unscale_col_values(scaling_, x_);
  row_activity_.assign(m, 0.0);
  // activities from the unscaled x (more accurate than the logicals)
  for (int32_t j = 0; j < n; ++j)
    for (int64_t p = model_.A.start[j]; p < model_.A.start[j + 1]; ++p)
      row_activity_[model_.A.index[p]] += model_.A.value[p] * x_[j];
  if (int32_t(e.y.size()) == m && int32_t(e.d.size()) == n + m) {
    row_dual_ = e.y;
    unscale_row_duals(scaling_, row_dual_);
    reduced_cost_.assign(e.d.begin(), e.d.begin() + n);
    for (int32_t j = 0; j < n; ++j) if (e.status[j] == VarStatus::kBasic) reduced_cost_[j] = 0.0;
    unscale_reduced_costs(scaling_, reduced_cost_);
    for (double& v : row_dual_) v *= model_.sense;
    for (double& v : reduced_cost_) v *= model_.sense;
  } else {
    row_dual_.assign(m, 0.0);
    reduced_cost_.assign(n, 0.0);
  }
  double obj = model_.offset;
  for (int32_t j = 0; j < n; ++j) obj += model_.cost[j] * x_[j];
  objective_ = obj;
  dual_ray_.clear();
  primal_ray_.clear();
  if (status_ == LpStatus::kInfeasible && int32_t(e.dual_ray.size()) == m) {
    dual_ray_ = e.dual_ray;
    unscale_row_duals(scaling_, dual_ray_);
  }
  if (status_ == LpStatus::kUnbounded && e.primal_ray.size() >= size_t(n)) {
    primal_ray_.assign(e.primal_ray.begin(), e.primal_ray.begin() + n);
    unscale_col_values(scaling_, primal_ray_);
  }
}

int32_t LpSolver::basic_variable(int32_t position) const {
  const SimplexEngine& e = *engine_;
  if (!e.have_basis || position < 0 || position >= e.m || int32_t(e.basic.size()) != e.m) return -1;
  return e.basic[position];
}

bool LpSolver::tableau_row(int32_t position, std::vector<double>& coef) {
  SimplexEngine& e = *engine_;
  const int32_t n = e.n, m = e.m;
  if (!e.have_basis || position < 0 || position >= m) return false;
  if (!e.factor_valid && !e.refactorize()) return false;
  SparseVector rho(m);
  rho.set(position, 1.0);
  e.factor.btran(rho);
  std::vector<double> alpha;
  std::vector<int32_t> touched;
  e.pivot_row(rho, alpha, touched);
  // Scaled variables: x'_j = x_j / c_j, s'_i = r_i s_i; divide the row by the
  // basic variable's factor so that it has coefficient 1.
  auto factor = [&](int32_t k) { return k < n ? 1.0 / scaling_.col[k] : scaling_.row[k - n]; };
  const double basic_factor = factor(e.basic[position]);
  coef.assign(size_t(n + m), 0.0);
  for (int32_t k : touched) {
    if (e.status[k] == VarStatus::kBasic || std::fabs(alpha[k]) < 1e-12) continue;
    coef[k] = alpha[k] * factor(k) / basic_factor;
  }
  return true;
}

void LpSolver::measure_infeasibilities() {
  double pinf = 0, dinf = 0;
  const int32_t n = model_.A.cols, m = model_.A.rows;
  for (int32_t j = 0; j < n && j < int32_t(x_.size()); ++j)
    pinf = std::max({pinf, model_.col_lower[j] - x_[j], x_[j] - model_.col_upper[j]});
  for (int32_t i = 0; i < m && i < int32_t(row_activity_.size()); ++i)
    pinf = std::max({pinf, model_.row_lower[i] - row_activity_[i], row_activity_[i] - model_.row_upper[i]});
  if (status_ == LpStatus::kOptimal) {
    const SimplexEngine& e = *engine_;
    for (int32_t j = 0; j < n + m; ++j) {
      VarStatus s = e.status[j];
      if (s == VarStatus::kBasic || s == VarStatus::kFixed) continue;
      double dj = (j < n ? reduced_cost_[j] : row_dual_[j - n]) * model_.sense;  // minimisation form
      double lo = j < n ? model_.col_lower[j] : model_.row_lower[j - n];
      double up = j < n ? model_.col_upper[j] : model_.row_upper[j - n];
      double v = j < n ? x_[j] : row_activity_[j - n];
      double scale = std::max(1.0, std::fabs(v));
      bool at_lo = std::fabs(v - lo) <= 1e-9 * scale, at_up = std::fabs(v - up) <= 1e-9 * scale;
      if (!at_lo) dinf = std::max(dinf, dj);   // d > 0 only allowed at the lower bound
      if (!at_up) dinf = std::max(dinf, -dj);  // d < 0 only allowed at the upper bound
    }
  }
  max_primal_infeasibility_ = pinf;
  max_dual_infeasibility_ = dinf;
}

void LpSolver::get_basis(std::vector<BasisStatus>& cols, std::vector<BasisStatus>& rows) const {
  const SimplexEngine& e = *engine_;
  cols.resize(e.n);
  rows.resize(e.m);
  if (!e.have_basis) {
    // what the slack basis would be
    for (int32_t j = 0; j < e.n; ++j)
      cols[j] = model_.col_lower[j] == model_.col_upper[j] ? BasisStatus::kFixed
              : model_.col_lower[j] > -kInf ? BasisStatus::kAtLower
              : model_.col_upper[j] < kInf ? BasisStatus::kAtUpper : BasisStatus::kFree;
    std::fill(rows.begin(), rows.end(), BasisStatus::kBasic);
    return;
  }
  for (int32_t j = 0; j < e.n; ++j) cols[j] = BasisStatus(int8_t(e.status[j]));
  for (int32_t i = 0; i < e.m; ++i) rows[i] = BasisStatus(int8_t(e.status[e.n + i]));
}

void LpSolver::set_basis(const std::vector<BasisStatus>& cols, const std::vector<BasisStatus>& rows) {
  SimplexEngine& e = *engine_;
  if (int32_t(cols.size()) != e.n || int32_t(rows.size()) != e.m)
    throw std::invalid_argument("set_basis: expected num_cols column and num_rows row statuses");
  std::vector<int32_t> basic;
  std::vector<VarStatus> st(e.n + e.m);
  for (int32_t j = 0; j < e.n + e.m; ++j) {
    BasisStatus b = j < e.n ? cols[j] : rows[j - e.n];
    if (int8_t(b) < 0 || int8_t(b) > 4) throw std::invalid_argument("set_basis: bad status value");
    st[j] = VarStatus(int8_t(b));
    if (b == BasisStatus::kBasic) basic.push_back(j);
  }
  if (int32_t(basic.size()) != e.m)
    throw std::invalid_argument("set_basis: the number of basic columns and rows must equal num_rows");
  e.basic = basic;
  e.status = st;
  e.dse.assign(e.m, 1.0);
  e.have_basis = true;
  e.factor_valid = false;
}

void LpSolver::change_col_bounds(int32_t j, double lower, double upper) {
  if (j < 0 || j >= model_.A.cols) throw std::out_of_range("change_col_bounds: column out of range");
  check_bounds("change_col_bounds", "column", j, lower, upper);
  model_.col_lower[j] = lower;
  model_.col_upper[j] = upper;
  engine_->lower[j] = lower / scaling_.col[j];
  engine_->upper[j] = upper / scaling_.col[j];
}

void LpSolver::change_row_bounds(int32_t i, double lower, double upper) {
  if (i < 0 || i >= model_.A.rows) throw std::out_of_range("change_row_bounds: row out of range");
  check_bounds("change_row_bounds", "row", i, lower, upper);
  ++revision_;
  model_.row_lower[i] = lower;
  model_.row_upper[i] = upper;
  engine_->lower[engine_->n + i] = lower * scaling_.row[i];
  engine_->upper[engine_->n + i] = upper * scaling_.row[i];
}

void LpSolver::change_cost(int32_t j, double cost) {
  if (j < 0 || j >= model_.A.cols) throw std::out_of_range("change_cost: column out of range");
  check_finite("change_cost", "the cost of column " + std::to_string(j), cost);
  ++revision_;
  model_.cost[j] = cost;
  engine_->cost[j] = cost * model_.sense * scaling_.col[j];
}

void LpSolver::add_rows(const std::vector<double>& lower, const std::vector<double>& upper,
                        const std::vector<int64_t>& start, const std::vector<int32_t>& index,
                        const std::vector<double>& value) {
  ++revision_;
  const size_t k = lower.size();
  if (upper.size() != k || start.size() != k + 1 || start[0] != 0 || size_t(start[k]) != index.size() ||
      index.size() != value.size())
    throw std::invalid_argument("add_rows: inconsistent row data");
  const int32_t n = model_.A.cols, m_old = model_.A.rows;
  for (int32_t j : index)
    if (j < 0 || j >= n) throw std::invalid_argument("add_rows: column index out of range");
  for (size_t r = 0; r < k; ++r)
    if (start[r] > start[r + 1]) throw std::invalid_argument("add_rows: start must not decrease");
  for (size_t r = 0; r < k; ++r) {
    check_bounds("add_rows", "new row", int64_t(r), lower[r], upper[r]);
    for (int64_t p = start[r]; p < start[r + 1]; ++p)
      check_finite("add_rows", "the entry of new row " + std::to_string(r) + " in column " + std::to_string(index[p]),
                   value[p]);
  }
  // rebuild the CSC matrix with the new rows appended
  SparseMatrix& A = model_.A;
  std::vector<int64_t> count(n, 0);
  for (int32_t j : index) count[j]++;
  std::vector<int64_t> new_start(n + 1, 0);
  for (int32_t j = 0; j < n; ++j) new_start[j + 1] = new_start[j] + (A.start[j + 1] - A.start[j]) + count[j];
  std::vector<int32_t> new_index(new_start[n]);
  std::vector<double> new_value(new_start[n]);
  std::vector<int64_t> fill(n);
  for (int32_t j = 0; j < n; ++j) {
    int64_t q = new_start[j];
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) { new_index[q] = A.index[p]; new_value[q] = A.value[p]; ++q; }
    fill[j] = q;
  }
  for (size_t r = 0; r < k; ++r)
    for (int64_t p = start[r]; p < start[r + 1]; ++p) {
      int32_t j = index[p];
      new_index[fill[j]] = m_old + int32_t(r);
      new_value[fill[j]] = value[p];
      ++fill[j];
    }
  A.start = std::move(new_start);
  A.index = std::move(new_index);
  A.value = std::move(new_value);
  A.rows = m_old + int32_t(k);
  for (size_t r = 0; r < k; ++r) {
    model_.row_lower.push_back(lower[r]);
    model_.row_upper.push_back(upper[r]);
    if (!model_.row_names.empty()) model_.row_names.push_back("cut" + std::to_string(m_old + r));
    scaling_.row.push_back(1.0);   // with scaling on, the whole matrix is scaled again below
  }
  // Scale the whole matrix again: a dense cut row scaled alone against the old
  // column factors can leave the simplex unable to meet its tolerances
  // (seen with Gomory cuts on p2756). The basis does not depend on scaling.
  const Scaling old_scaling = scaling_;
  if (options_.scale) scaling_ = compute_scaling(model_.A);
  // keep the engine's basis: new logicals are basic
  SimplexEngine& e = *engine_;
  bool had = e.have_basis;
  std::vector<int32_t> basic = e.basic;
  std::vector<VarStatus> status = e.status;
  std::vector<double> dse = e.dse;
  std::vector<double> xs = e.x;
  if (xs.size() == size_t(n + m_old)) {   // values in the new scaling: x' = x / c, s' = r s
    for (int32_t j = 0; j < n; ++j) xs[j] *= old_scaling.col[j] / scaling_.col[j];
    for (int32_t i = 0; i < m_old; ++i) xs[n + i] *= scaling_.row[i] / old_scaling.row[i];
  }
  int64_t iters = e.iterations;
  load_engine();
  e.iterations = iters;
  if (had) {
    for (size_t r = 0; r < k; ++r) {
      basic.push_back(n + m_old + int32_t(r));
      status.push_back(VarStatus::kBasic);
      dse.push_back(1.0);
      if (!xs.empty()) xs.push_back(0.0);
    }
    e.basic = basic;
    e.status = status;
    e.dse = dse;
    e.x = xs;
    e.have_basis = true;
  }
}

void LpSolver::delete_rows(std::vector<int32_t> rows) {
  ++revision_;
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  const int32_t n = model_.A.cols, m_old = model_.A.rows;
  for (int32_t i : rows)
    if (i < 0 || i >= m_old) throw std::out_of_range("delete_rows: row out of range");
  if (rows.empty()) return;
  std::vector<int32_t> map(m_old, -1);
  int32_t next = 0;
  {
    size_t k = 0;
    for (int32_t i = 0; i < m_old; ++i) {
      if (k < rows.size() && rows[k] == i) { ++k; continue; }
      map[i] = next++;
    }
  }
  const int32_t m_new = next;
  SparseMatrix& A = model_.A;
  int64_t q = 0;
  std::vector<int64_t> new_start(n + 1, 0);
  for (int32_t j = 0; j < n; ++j) {
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
      int32_t i = map[A.index[p]];
      if (i < 0) continue;
      A.index[q] = i;
      A.value[q] = A.value[p];
      ++q;
    }
    new_start[j + 1] = q;
  }
  A.start = std::move(new_start);
  A.index.resize(q);
  A.value.resize(q);
  A.rows = m_new;
  auto compact = [&](auto& v) {
    if (v.size() != size_t(m_old)) return;
    for (int32_t i = 0; i < m_old; ++i) if (map[i] >= 0) v[map[i]] = v[i];
    v.resize(m_new);
  };
  compact(model_.row_lower);
  compact(model_.row_upper);
  compact(model_.row_names);
  compact(scaling_.row);

  SimplexEngine& e = *engine_;
  bool had = e.have_basis;
  std::vector<VarStatus> old_status = e.status;
  std::vector<int32_t> old_basic = e.basic;
  std::vector<double> old_x = e.x, old_dse = e.dse;
  int64_t iters = e.iterations;
  load_engine();
  e.iterations = iters;
  if (!had) return;
  std::vector<VarStatus> status(n + m_new);
  std::vector<double> xs(n + m_new, 0.0);
  for (int32_t j = 0; j < n; ++j) { status[j] = old_status[j]; if (!old_x.empty()) xs[j] = old_x[j]; }
  for (int32_t i = 0; i < m_old; ++i)
    if (map[i] >= 0) { status[n + map[i]] = old_status[n + i]; if (!old_x.empty()) xs[n + map[i]] = old_x[n + i]; }
  std::vector<int32_t> basic;
  std::vector<double> dse;
  for (int32_t r = 0; r < m_old; ++r) {
    int32_t v = old_basic[r];
    int32_t nv = v < n ? v : (map[v - n] >= 0 ? n + map[v - n] : -1);
    if (nv >= 0) { basic.push_back(nv); dse.push_back(old_dse.empty() ? 1.0 : old_dse[r]); }
  }
  // too many basic columns (a deleted row's logical was nonbasic): make the
  // basic structurals closest to a bound nonbasic
  while (int32_t(basic.size()) > m_new) {
    int32_t best = -1;
    double best_gap = kInf;
    for (size_t r = 0; r < basic.size(); ++r) {
      int32_t v = basic[r];
      if (v >= n) continue;
      double gap = std::min(std::fabs(xs[v] - e.lower[v]), std::fabs(xs[v] - e.upper[v]));
      if (!(gap < kInf)) gap = 1e300;
      if (best < 0 || gap < best_gap) { best = int32_t(r); best_gap = gap; }
    }
    int32_t v = basic[best];
    status[v] = std::fabs(xs[v] - e.lower[v]) <= std::fabs(xs[v] - e.upper[v]) ? VarStatus::kAtLower : VarStatus::kAtUpper;
    basic.erase(basic.begin() + best);
    dse.erase(dse.begin() + best);
  }
  e.basic = basic;
  e.status = status;
  e.dse = dse;
  e.x = xs;
  e.have_basis = true;
}

}  // namespace satmip::lp
