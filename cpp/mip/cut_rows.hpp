// A row-wise (CSR) copy of the model's constraint matrix, built once and
// shared by the separators, which all read rows while lp::Model stores
// columns. Each row gives up to two `<=` base inequalities:
//   a x <= upper (finite upper)   and   -a x <= -lower (finite lower).
#pragma once
#include <cstdint>
#include <vector>

#include "lp/model.hpp"

namespace satmip::mip {

// A variable bound of a continuous column x read off a model row with exactly
// two entries, a x + b y (<= or >=) c with y integer: x <= d y + e (upper) or
// x >= d y + e (lower). It holds at every feasible point (the row does), so
// c-MIR may substitute x = d y + e -/+ s with s >= 0. y < 0: none.
struct VariableBound {
  int32_t y = -1;
  double d = 0, e = 0;
};

struct RowMatrix {
  int32_t rows = 0, cols = 0;
  std::vector<int64_t> start;   // rows + 1 entries
  std::vector<int32_t> index;   // column of each entry, ascending within a row, distinct
  std::vector<double> value;    // nonzero coefficients alongside
  std::vector<double> lower, upper;  // row bounds (copies of the model's)
  // Per column (continuous ones only), the variable upper / lower bound whose
  // y has the smallest finite global domain (first such row on ties).
  std::vector<VariableBound> vub, vlb;
};

// Zero entries are dropped and repeated (row, column) entries summed; the
// variable bounds are detected from the merged rows.
RowMatrix build_row_matrix(const lp::Model& model);

// sum value * x[index] <= rhs
struct BaseInequality {
  std::vector<int32_t> index;
  std::vector<double> value;
  double rhs = 0;
};

// side +1: a x <= upper; side -1: -a x <= -lower. False (out untouched
// otherwise unspecified) when that bound is infinite or the row is empty.
bool base_inequality(const RowMatrix& rows, int32_t row, int side, BaseInequality& out);

}  // namespace satmip::mip
