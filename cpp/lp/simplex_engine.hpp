// The simplex engine's working state on the scaled computational form
//   minimise cost . x   subject to   [A  -I] x = 0,   lower <= x <= upper,
// with n structural variables 0..n-1 and m logical variables n..n+m-1
// (logical n+i equals the activity of row i and carries the row's bounds).
// The dual simplex (dual_simplex.cpp, dual_pricing.cpp, dual_ratio_test.cpp,
// dual_phase1.cpp) and the primal simplex (primal_simplex.cpp) work on it;
// lp_solver.cpp builds it from a scaled Model and reads the results back.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "lp/basis_factor.hpp"
#include "lp/model.hpp"
#include "lp/sparse_vector.hpp"

namespace satmip::lp {

enum class VarStatus : int8_t { kBasic = 0, kAtLower = 1, kAtUpper = 2, kFree = 3, kFixed = 4 };

enum class SimplexStatus {
  kOptimal, kInfeasible, kUnbounded, kIterationLimit, kTimeLimit, kInterrupted, kNumericalTrouble,
  kDualInfeasible  // internal: the dual simplex ended optimal for a problem whose
                   // basis is not dual feasible for the real costs (primal clean-up needed)
};

class SimplexEngine;

struct SimplexOptions {
  double primal_tol = 1e-7;
  double dual_tol = 1e-7;
  double pivot_tol = 1e-7;         // smallest |alpha| accepted as a pivot
  double time_limit = 1e100;       // seconds
  int64_t iteration_limit = INT64_MAX;
  int refactor_interval = 100;     // updates between refactorisations
  bool perturb = true;
  double artificial_bound = 1e6;   // dual phase 1: the big box on dual infeasible columns
  uint32_t seed = 12345;
  std::atomic<bool>* interrupt = nullptr;
  // Called where the limits are checked, at most every progress_interval
  // seconds of a solve; returning true stops it (kInterrupted).
  std::function<bool(const SimplexEngine&)> on_progress;
  double progress_interval = 1.0;
};

// v[i] += value, keeping v.index complete (an entry that cancels stays listed
// with a tiny value, so that the index never holds an entry twice).
inline void accumulate(SparseVector& v, int32_t i, double value) {
  if (v.array[i] == 0.0) v.index[v.count++] = i;
  v.array[i] += value;
  if (v.array[i] == 0.0) v.array[i] = 1e-300;
}

class SimplexEngine {
 public:
  // ---- problem (scaled) ----
  int32_t m = 0, n = 0;
  SparseMatrix A;                       // by column
  std::vector<int64_t> row_start;       // A by row: row_start (m+1), row_col, row_val
  std::vector<int32_t> row_col;
  std::vector<double> row_val;
  std::vector<double> cost;             // n+m, the real (unperturbed) costs, min form
  std::vector<double> lower, upper;     // n+m, the real bounds

  // ---- working state ----
  std::vector<double> work_cost;        // perturbed / shifted costs
  std::vector<double> work_lower, work_upper;  // bounds incl. artificial ones
  std::vector<double> x;                // n+m values
  std::vector<double> d;                // n+m reduced costs (w.r.t. work_cost)
  std::vector<double> y;                // m row duals (w.r.t. work_cost)
  std::vector<int32_t> basic;           // m
  std::vector<VarStatus> status;        // n+m
  std::vector<double> dse;              // m dual steepest-edge weights by position
  BasisFactor factor;
  bool factor_valid = false;
  bool have_basis = false;

  // ---- results / counters ----
  int64_t iterations = 0;
  int64_t dual_iterations = 0, primal_iterations = 0;
  std::vector<double> dual_ray;         // m, Farkas: y with y^T A x bounded away from row/col bounds
  std::vector<double> primal_ray;       // n+m
  int32_t ray_row = -1;
  double ray_sign = 0;
  SimplexOptions options;

  // setup from a scaled model in minimise form (costs negated for max)
  void load(const SparseMatrix& a, const std::vector<double>& c, const std::vector<double>& cl,
            const std::vector<double>& cu, const std::vector<double>& rl, const std::vector<double>& ru);
  void build_row_copy();
  void slack_basis();
  bool basis_is_valid() const;

  // the main entry: dual simplex (with its phase 1) then primal clean-up
  SimplexStatus solve();

  // ---- pieces (simplex_engine.cpp) ----
  bool refactorize();                   // factorize basic; fixes replaced columns; false on failure
  void compute_primal();                // x_B from x_N
  void compute_dual();                  // y, d from work_cost
  void set_nonbasic_value(int32_t j);   // x_j from status and work bounds
  VarStatus nonbasic_status_for(int32_t j, double dj) const;
  void column(int32_t j, SparseVector& out) const;  // column j of [A -I]
  void pivot_row(const SparseVector& rho, std::vector<double>& alpha, std::vector<int32_t>& touched);
  double objective() const;             // real cost . x
  bool check_limits();                  // true if a limit is hit (sets limit_status)
  SimplexStatus limit_status = SimplexStatus::kOptimal;
  double elapsed() const;
  std::chrono::steady_clock::time_point start_time;
  int64_t start_iterations = 0;
  double next_progress = 0;             // seconds since start_time

  // ---- dual simplex ----
  SimplexStatus dual_simplex();         // on work bounds/costs; basis must be dual feasible
  int32_t dual_choose_row();            // dual_pricing.cpp
  void dual_update_weights(int32_t r, double alpha_rq, const SparseVector& col, const SparseVector& tau,
                           double rho_norm2);
  struct RatioCandidate { int32_t j; double ratio, harris, abs_alpha, range; };
  struct RatioResult { int32_t entering = -1; double theta_d = 0; std::vector<int32_t> flips; bool unbounded = false; };
  RatioResult dual_ratio_test(int32_t r, double sign, double delta);  // dual_ratio_test.cpp
  bool make_dual_feasible(bool allow_artificial);   // dual_phase1.cpp: flips / boxes, returns false if boxes needed but not allowed
  void perturb_costs();                 // dual_phase1.cpp
  int remove_artificial_bounds();       // restores real bounds, returns #nonbasic at artificial bounds
  bool has_artificial = false;
  std::vector<char> artificial;         // n+m: work bound is artificial
  bool cost_perturbed = false;
  double dual_infeasibility(int32_t* count) const;
  double primal_infeasibility(int32_t* count) const;

  // ---- primal simplex ----
  SimplexStatus primal_simplex();       // basis must be primal feasible (work bounds)

  // scratch (used by the free helpers of the dual and primal loops too)
  SparseVector col_, rho_, tau_, rhs_;
  std::vector<double> alpha_row_;
  std::vector<int32_t> alpha_touched_;
  std::vector<RatioCandidate> candidates_;
  std::vector<char> flip_mark_;
  std::mt19937 rng_;
  std::vector<double> perturbation_noise_;   // perturb_costs' random factors, one per variable
};

}  // namespace satmip::lp
