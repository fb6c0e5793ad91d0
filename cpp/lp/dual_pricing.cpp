// Dual simplex pricing: dual steepest edge (Forrest-Goldfarb "update" weights
// w_i = ||e_i^T B^-1||^2, exact for the slack basis, 1 after other starts).
#include <cmath>

#include "lp/simplex_engine.hpp"

namespace satmip::lp {

int32_t SimplexEngine::dual_choose_row() {
  int32_t best = -1;
  double best_score = 0;
  const double tol = options.primal_tol;
  for (int32_t i = 0; i < m; ++i) {
    int32_t j = basic[i];
    double v = x[j], infeas;
    if (v < work_lower[j] - tol) infeas = work_lower[j] - v;
    else if (v > work_upper[j] + tol) infeas = v - work_upper[j];
    else continue;
    double score = infeas * infeas / dse[i];
    if (score > best_score) { best_score = score; best = i; }
  }
  return best;
}

// After the pivot on row r with entering column alpha_q = col (ftran'd) and
// tau = B^-1 rho_r:  w_r' = w_r / a_rq^2,
// w_i' = max(w_i - 2 (a_iq/a_rq) tau_i + (a_iq/a_rq)^2 w_r, 1e-4), w_r = ||rho_r||^2 (exact).
void SimplexEngine::dual_update_weights(int32_t r, double alpha_rq, const SparseVector& col,
                                        const SparseVector& tau, double rho_norm2) {
  double wr = rho_norm2;
  for (int32_t k = 0; k < col.count; ++k) {
    int32_t i = col.index[k];
    if (i == r) continue;
    double a = col.array[i];
    if (a == 0.0) continue;
    double ratio = a / alpha_rq;
    double w = dse[i] + ratio * (ratio * wr - 2.0 * tau.array[i]);
    const double floor = 1e-4;
    dse[i] = w > floor ? w : floor;
  }
  double w = wr / (alpha_rq * alpha_rq);
  dse[r] = w > 1e-6 ? w : 1e-6;
}

}  // namespace satmip::lp
