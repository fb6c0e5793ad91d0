// LpSolver: the LP engine's facade. Built from a Model (integrality ignored:
// it solves the LP relaxation), it scales the problem, runs the simplex
// engine (dual simplex + primal clean-up, simplex_solve.cpp) and returns
// unscaled results in the model's sense. The basis survives between solves,
// so bound changes, cost changes, added and deleted rows re-solve warm.
//
// Sign conventions (as HiGHS): cost - A^T row_dual = reduced_cost, in the
// model's sense; for a minimisation a row at its lower bound has a dual >= 0.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "lp/model.hpp"
#include "lp/scaling.hpp"

namespace satmip::lp {

class SimplexEngine;

enum class LpStatus { kOptimal, kInfeasible, kUnbounded, kIterationLimit, kTimeLimit, kInterrupted,
                      kNumericalTrouble, kNotSolved };
const char* to_string(LpStatus s);

// Per column and per row (row status is that of the row's activity).
enum class BasisStatus : int8_t { kBasic = 0, kAtLower = 1, kAtUpper = 2, kFree = 3, kFixed = 4 };

// What LpOptions::on_progress sees during a long solve.
struct LpProgress {
  int64_t iterations;            // of this solve so far
  double objective;              // of the current basic solution: model sense, with offset
  double primal_infeasibility;   // sums of the bound violations and of the wrong-sign
  double dual_infeasibility;     // reduced costs, in the scaled problem
  double seconds;                // since this solve started
};

struct LpOptions {
  double time_limit = std::numeric_limits<double>::infinity();   // seconds, per solve()
  int64_t iteration_limit = std::numeric_limits<int64_t>::max();  // per solve()
  double primal_feasibility_tolerance = 1e-7;
  double dual_feasibility_tolerance = 1e-7;
  std::atomic<bool>* interrupt = nullptr;  // checked every few iterations
  bool scale = true;
  bool perturb = true;
  std::string presolve = "none";           // only "none" for now
  uint32_t seed = 12345;
  int refactor_interval = 100;
  // At most every progress_interval seconds of a solve (checked every 16
  // iterations); returning true stops the solve (kInterrupted).
  std::function<bool(const LpProgress&)> on_progress;
  double progress_interval = 1.0;
};

class LpSolver {
 public:
  explicit LpSolver(Model model, LpOptions options = {});
  ~LpSolver();
  LpSolver(const LpSolver&) = delete;
  LpSolver& operator=(const LpSolver&) = delete;

  LpOptions& options() { return options_; }
  const Model& model() const { return model_; }
  int32_t num_rows() const { return model_.A.rows; }
  int32_t num_cols() const { return model_.A.cols; }

  LpStatus solve();

  // ---- results of the last solve ----
  LpStatus status() const { return status_; }
  double objective() const { return objective_; }          // model sense, with offset
  const std::vector<double>& x() const { return x_; }
  const std::vector<double>& row_activity() const { return row_activity_; }
  const std::vector<double>& row_dual() const { return row_dual_; }
  const std::vector<double>& reduced_cost() const { return reduced_cost_; }
  const std::vector<double>& dual_ray() const { return dual_ray_; }      // infeasible: Farkas y (rows)
  const std::vector<double>& primal_ray() const { return primal_ray_; }  // unbounded: direction (columns)
  int64_t iterations() const { return iterations_; }          // of the last solve
  // Largest bound violation (columns and rows) and largest reduced cost of the
  // wrong sign, both in the unscaled model, after the last solve.
  double max_primal_infeasibility() const { return max_primal_infeasibility_; }
  double max_dual_infeasibility() const { return max_dual_infeasibility_; }
  int64_t total_iterations() const;
  double time() const { return time_; }                       // seconds of the last solve

  // ---- basis / warm start ----
  void get_basis(std::vector<BasisStatus>& cols, std::vector<BasisStatus>& rows) const;
  // Throws std::invalid_argument unless sizes match and exactly num_rows entries are basic.
  void set_basis(const std::vector<BasisStatus>& cols, const std::vector<BasisStatus>& rows);
  void change_col_bounds(int32_t j, double lower, double upper);
  void change_row_bounds(int32_t i, double lower, double upper);
  void change_cost(int32_t j, double cost);   // model sense
  // Rows given by row (CSR): row k has entries index[start[k]..start[k+1]) (columns).
  // Their logicals become basic, so an optimal basis stays dual feasible.
  void add_rows(const std::vector<double>& lower, const std::vector<double>& upper,
                const std::vector<int64_t>& start, const std::vector<int32_t>& index,
                const std::vector<double>& value);
  void delete_rows(std::vector<int32_t> rows);
  // Counts the changes to the rows and costs above (not column bounds): a
  // caller caching what it derives from them (the MIP's node state) compares it.
  int64_t revision() const { return revision_; }

  // ---- simplex tableau (cutting planes), for the basis of the last solve ----
  // The variable basic at position r (0 <= r < num_rows): column j as j, row
  // i's activity s_i = a_i x as num_cols + i; -1 without a factorised basis.
  int32_t basic_variable(int32_t position) const;
  // Row `position` of the tableau in the unscaled model: with v_k the columns
  // (k < n) and row activities (k = n + i), every x with s = A x satisfies
  //   v_basic + sum over nonbasic k of coef[k] * v_k = 0.
  // coef gets n + m entries (zero at basic k). False without a valid basis.
  bool tableau_row(int32_t position, std::vector<double>& coef);

 private:
  void load_engine();            // (re)builds the scaled problem from model_ + scaling_, keeps the basis
  void extract_results(int status);
  void run_engine();             // one engine solve with tolerance retries, sets status_ and results
  bool certified();              // the definite status_ is backed by its certificate (else sets certificate_failure_)
  void use_no_scaling();         // identity scaling from now on, basis kept
  void measure_infeasibilities();
  Model model_;
  LpOptions options_;
  Scaling scaling_;
  std::unique_ptr<SimplexEngine> engine_;
  LpStatus status_ = LpStatus::kNotSolved;
  double objective_ = 0;
  std::vector<double> x_, row_activity_, row_dual_, reduced_cost_, dual_ray_, primal_ray_;
  int64_t iterations_ = 0;
  double time_ = 0;
  double max_primal_infeasibility_ = 0, max_dual_infeasibility_ = 0;
  std::string certificate_failure_;   // why the last definite answer had no certificate
  int64_t revision_ = 0;
};

}  // namespace satmip::lp
