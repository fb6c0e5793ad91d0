// The presolve rules. Each one scans the problem once, applies what it finds
// and returns how many changes it made (0: nothing to do). A rule that proves
// infeasibility or unboundedness sets the problem's flag and may stop early.
#pragma once
#include <cstdint>

#include "mip/presolve_problem.hpp"

namespace satmip::mip {

int32_t remove_empty_rows(PresolveProblem& p);          // presolve_empty.cpp
int32_t remove_empty_columns(PresolveProblem& p);       // presolve_empty.cpp
int32_t remove_fixed_columns(PresolveProblem& p);       // presolve_fixed_columns.cpp
int32_t remove_singleton_rows(PresolveProblem& p);      // presolve_singleton_rows.cpp
int32_t tighten_bounds_from_rows(PresolveProblem& p);   // presolve_bound_tightening.cpp
int32_t remove_redundant_rows(PresolveProblem& p);      // presolve_redundant_rows.cpp
int32_t tighten_coefficients(PresolveProblem& p);       // presolve_coefficient_tightening.cpp
int32_t fix_dual_dominated_columns(PresolveProblem& p); // presolve_dual_fixing.cpp
int32_t merge_duplicate_rows(PresolveProblem& p);       // presolve_duplicate_rows.cpp
int32_t merge_duplicate_columns(PresolveProblem& p);    // presolve_duplicate_columns.cpp

}  // namespace satmip::mip
