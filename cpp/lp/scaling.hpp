// Scaling of the constraint matrix: A' = R A C with row factors R and column
// factors C, all powers of two (so scaling itself rounds nothing). Geometric
// mean passes (rows then columns, 1/sqrt(min|a| max|a|)) until the spread
// stops improving, then equilibration (largest |a| of each row, then each
// column, becomes 1).
//
// The scaled problem's variables are x' = x / C, its row activities R A x,
// bounds: columns l/c_j, rows l*r_i; costs c_j*cost_j. Results come back as
// x = c_j x'_j, activity_i = a'_i / r_i, row duals y_i = r_i y'_i, reduced
// costs d_j = d'_j / c_j.
#pragma once
#include <vector>

#include "lp/model.hpp"

namespace satmip::lp {

struct Scaling {
  std::vector<double> col;  // c_j
  std::vector<double> row;  // r_i
  bool identity(int32_t rows, int32_t cols);  // resizes to all ones
};

// Computes the factors for A (does not change it).
Scaling compute_scaling(const SparseMatrix& A, int max_geometric_passes = 6);
// A := R A C.
void scale_matrix(const Scaling& s, SparseMatrix& A);

// In-place conversions of bounds/costs/values between the model and the scaled problem.
void scale_col_values(const Scaling& s, std::vector<double>& v);      // v_j / c_j   (bounds, x)
void unscale_col_values(const Scaling& s, std::vector<double>& v);    // v_j * c_j
void scale_costs(const Scaling& s, std::vector<double>& c);           // c_j * c_j-factor
void unscale_reduced_costs(const Scaling& s, std::vector<double>& d); // d_j / c_j
void scale_row_values(const Scaling& s, std::vector<double>& v);      // v_i * r_i   (row bounds, activity)
void unscale_row_values(const Scaling& s, std::vector<double>& v);    // v_i / r_i
void unscale_row_duals(const Scaling& s, std::vector<double>& y);     // y_i * r_i

}  // namespace satmip::lp
