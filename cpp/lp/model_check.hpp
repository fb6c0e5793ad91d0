// The one validation of a Model that every entry runs (LpSolver, solve_mip,
// presolve, the bindings' model dict): shapes, the CSC structure, and values
// that no solver can give a meaning to. A bad model throws std::invalid_argument
// naming what is wrong and where (the array entry, column or row number and name), e.g.
//   "LpSolver: cost[2]: the cost of column 2 ('x3') is -inf: costs must be finite".
// Lower > upper (finite) is not an error: such a model is infeasible.
#pragma once
#include <cstdint>
#include <string>

#include "lp/model.hpp"

namespace satmip::lp {

// What the messages call the model's arrays, before the index of the bad entry
// ("cost[2]: the cost of column 2 ..."): the Model's own names (the keys of the Python
// model dict) unless a caller knows them by others (Model.from_arrays' c).
struct ArrayNames {
  std::string cost = "cost", matrix = "A";
  std::string col_lower = "col_lower", col_upper = "col_upper";
  std::string row_lower = "row_lower", row_upper = "row_upper";
};

// `who` prefixes the message ("LpSolver", "solve_mip", "presolve", ...).
void check_model(const Model& m, const std::string& who, const ArrayNames& arrays = ArrayNames{});

// A column's or row's bounds (what = "column" or "row"; index as in the model):
// no NaN, lower not +inf, upper not -inf.
void check_bounds(const std::string& who, const char* what, int64_t index, double lower, double upper);

// A cost or matrix entry must be finite (what: e.g. "the cost of column 3").
void check_finite(const std::string& who, const std::string& what, double value);

}  // namespace satmip::lp
