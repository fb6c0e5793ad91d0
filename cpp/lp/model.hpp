// The canonical LP/MILP problem that readers produce and the LP engine solves:
//   minimise (sense = +1) or maximise (sense = -1)  cost . x + offset
//   subject to  row_lower <= A x <= row_upper,  col_lower <= x <= col_upper,
//               x[j] integral where integer[j] = 1.
// Infinite bounds are +-std::numeric_limits<double>::infinity().
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace satmip::lp {

// Compressed sparse columns: the entries of column j are
// index[start[j] .. start[j+1]) (row numbers) with value[...] alongside.
struct SparseMatrix {
  int32_t rows = 0, cols = 0;
  std::vector<int64_t> start;   // cols + 1 entries, start[0] = 0
  std::vector<int32_t> index;   // row of each entry
  std::vector<double> value;    // coefficient of each entry
};

struct Model {
  std::string name;                // problem name (MPS NAME line), may be empty
  std::string objective_name;      // name of the objective row; empty if there is none
  int sense = 1;                   // +1 minimise, -1 maximise
  double offset = 0.0;             // objective constant (MPS: minus the RHS of the objective row)
  std::vector<double> cost;        // objective coefficient per column, in the model's own sense
  std::vector<double> col_lower;   // per column
  std::vector<double> col_upper;
  std::vector<double> row_lower;   // per constraint row
  std::vector<double> row_upper;
  std::vector<uint8_t> integer;    // 1 for integer columns, 0 for continuous ones
  SparseMatrix A;                  // constraint matrix, rows x cols, by column
  std::vector<std::string> row_names;  // constraint rows only (not the objective)
  std::vector<std::string> col_names;
  std::vector<std::string> warnings;   // "FILE:LINE: text" for anomalies a reader read past
};

}  // namespace satmip::lp
