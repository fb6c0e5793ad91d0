// MILP presolve: reduces an lp::Model by rules that keep its optimal value
// (empty rows and columns, fixed columns, singleton rows, activity-based bound
// tightening and redundant rows, coefficient tightening, dual fixing, duplicate
// rows and columns) and returns a Postsolve that maps any feasible solution of
// the reduced model back to a feasible solution of the original one with the
// same objective value.
#pragma once
#include <cstdint>
#include <vector>

#include "lp/model.hpp"
#include "mip/presolve_postsolve.hpp"

namespace satmip::mip {

enum class PresolveStatus {
  kReduced,                // `reduced` holds the (possibly unchanged) model
  kInfeasible,             // the original has no feasible solution
  kUnboundedOrInfeasible,  // a column improves the objective without limit if the model is feasible
};

const char* to_string(PresolveStatus status);

struct PresolveOptions {
  int32_t max_rounds = 25;             // rounds of all rules until nothing changes
  double time_limit_seconds = 10.0;    // checked between rules
  // Implied bounds on continuous columns: valid, but they mostly make the
  // reduced LPs more degenerate (HiGHS took 2-3x longer on misc06 and dcmulti
  // with them, and minutes on dsbmip while their safety margin was 1e-7), so
  // by default only those that fix a column are applied.
  bool continuous_bound_tightening = false;
  bool coefficient_tightening = true;
  bool dual_fixing = true;
  bool duplicate_rows = true;
  bool duplicate_columns = true;       // continuous columns only
};

struct PresolveStats {
  int32_t rows_removed = 0;
  int32_t cols_removed = 0;
  int32_t bounds_tightened = 0;
  int32_t coefficients_tightened = 0;
  // Per rule: how many rows or columns each one removed.
  int32_t empty_rows = 0;
  int32_t empty_cols = 0;
  int32_t fixed_cols = 0;
  int32_t singleton_rows = 0;
  int32_t redundant_rows = 0;
  int32_t dual_fixed_cols = 0;
  int32_t duplicate_rows = 0;
  int32_t duplicate_cols = 0;
  int32_t rounds = 0;
};

struct PresolveResult {
  PresolveStatus status = PresolveStatus::kReduced;
  lp::Model reduced;  // meaningful only when status is kReduced
  Postsolve postsolve;
  PresolveStats stats;
};

PresolveResult presolve(const lp::Model& original, const PresolveOptions& options = {});

}  // namespace satmip::mip
