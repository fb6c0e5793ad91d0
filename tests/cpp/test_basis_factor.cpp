// Native test of the LP basis factorisation (lp/basis_factor.hpp): FTRAN and
// BTRAN against a dense Gaussian-elimination reference on random bases,
// hyper-sparse against dense solves, Forrest–Tomlin update sequences against
// fresh factorisations, repair of singular bases, and timings of a large case.
#include <algorithm>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

#include "lp/basis_factor.hpp"
#include "test_check.hpp"

using satmip::lp::BasisFactor;
using satmip::lp::SparseMatrix;
using satmip::lp::SparseVector;


using Dense = std::vector<double>;  // column-major m x m

// ------------------------------------------------------------ test problems

// Builds A column by column.
struct MatrixBuilder {
  SparseMatrix A;
  explicit MatrixBuilder(int32_t rows) {
    A.rows = rows;
    A.start.push_back(0);
  }
  int32_t add_column(const std::vector<std::pair<int32_t, double>>& entries) {
    for (auto [i, v] : entries) {
      A.index.push_back(i);
      A.value.push_back(v);
    }
    A.start.push_back(int64_t(A.index.size()));
    return A.cols++;
  }
};

// A column with a "diagonal" entry of size 1..2 in row `diag` (when >= 0) and
// `extra` other entries in [-1, 1] at distinct random rows.
static std::vector<std::pair<int32_t, double>> random_column(std::mt19937& rng, int32_t m, int32_t diag,
                                                             int32_t extra, int32_t row_limit = -1) {
  std::uniform_real_distribution<double> unit(-1.0, 1.0), size(1.0, 2.0);
  std::set<int32_t> used;
  std::vector<std::pair<int32_t, double>> entries;
  if (diag >= 0) {
    used.insert(diag);
    entries.push_back({diag, (rng() % 2 ? 1.0 : -1.0) * size(rng)});
  }
  // row_limit: only rows >= row_limit (for triangular structure with identity order)
  int32_t lo = row_limit < 0 ? 0 : row_limit;
  int32_t span = m - lo;
  extra = std::min(extra, span - int32_t(used.size()));
  while (extra > 0) {
    int32_t i = lo + int32_t(rng() % span);
    if (!used.insert(i).second) continue;
    entries.push_back({i, unit(rng)});
    extra--;
  }
  return entries;
}

static void dense_column(const SparseMatrix& A, int32_t var, Dense& column) {
  column.assign(A.rows, 0.0);
  if (var >= A.cols) {
    column[var - A.cols] = -1.0;
    return;
  }
  for (int64_t k = A.start[var]; k < A.start[var + 1]; k++) column[A.index[k]] += A.value[k];
}

static Dense dense_basis(const SparseMatrix& A, const std::vector<int32_t>& basic) {
  int32_t m = A.rows;
  Dense B(size_t(m) * m, 0.0), column;
  for (int32_t p = 0; p < m; p++) {
    dense_column(A, basic[p], column);
    std::copy(column.begin(), column.end(), B.begin() + size_t(p) * m);
  }
  return B;
}

// Dense LU with partial pivoting: the reference solver.
struct DenseLU {
  int32_t m = 0;
  Dense lu;
  std::vector<int32_t> perm;  // row swaps
  double min_pivot = 0.0;     // smallest |pivot| relative to the largest entry

  explicit DenseLU(const Dense& B, int32_t size) : m(size), lu(B), perm(size) {
    double largest = 0.0;
    for (double v : B) largest = std::max(largest, std::fabs(v));
    min_pivot = largest > 0 ? 1e300 : 0.0;
    for (int32_t k = 0; k < m; k++) {
      int32_t best = k;
      for (int32_t i = k + 1; i < m; i++)
        if (std::fabs(at(i, k)) > std::fabs(at(best, k))) best = i;
      perm[k] = best;
      if (best != k)
        for (int32_t j = 0; j < m; j++) std::swap(at(k, j), at(best, j));
      double pivot = at(k, k);
      min_pivot = std::min(min_pivot, std::fabs(pivot) / std::max(largest, 1e-300));
      if (pivot == 0.0) continue;
      for (int32_t i = k + 1; i < m; i++) at(i, k) /= pivot;
      for (int32_t j = k + 1; j < m; j++) {
        double u = at(k, j);
        if (u == 0.0) continue;
        for (int32_t i = k + 1; i < m; i++) at(i, j) -= at(i, k) * u;
      }
    }
  }
  double& at(int32_t i, int32_t j) { return lu[size_t(j) * m + i]; }
  double get(int32_t i, int32_t j) const { return lu[size_t(j) * m + i]; }
  Dense solve(Dense b) const {  // B x = b
    for (int32_t k = 0; k < m; k++) std::swap(b[k], b[perm[k]]);
    for (int32_t k = 0; k < m; k++)
      for (int32_t i = k + 1; i < m; i++) b[i] -= get(i, k) * b[k];
    for (int32_t k = m - 1; k >= 0; k--) {
      b[k] /= get(k, k);
      for (int32_t i = 0; i < k; i++) b[i] -= get(i, k) * b[k];
    }
    return b;
  }
  Dense solve_transposed(Dense c) const {  // B^T y = c
    for (int32_t k = 0; k < m; k++) {
      for (int32_t i = 0; i < k; i++) c[k] -= get(i, k) * c[i];
      c[k] /= get(k, k);
    }
    for (int32_t k = m - 1; k >= 0; k--)
      for (int32_t i = k + 1; i < m; i++) c[k] -= get(i, k) * c[i];
    for (int32_t k = m - 1; k >= 0; k--) std::swap(c[k], c[perm[k]]);
    return c;
  }
};

static double inf_norm(const Dense& v) {
  double norm = 0.0;
  for (double x : v) norm = std::max(norm, std::fabs(x));
  return norm;
}

// max_i |(B x - b)_i| / (||B|| ||x|| + ||b||), B x computed column by column.
static double relative_residual(const Dense& B, int32_t m, const Dense& x, const Dense& b, bool transposed) {
  Dense r = b;
  double bnorm = 0.0;
  for (int32_t j = 0; j < m; j++) {
    for (int32_t i = 0; i < m; i++) {
      double bij = B[size_t(j) * m + i];
      bnorm = std::max(bnorm, std::fabs(bij));
      if (transposed) {
        r[j] -= bij * x[i];
      } else {
        r[i] -= bij * x[j];
      }
    }
  }
  return inf_norm(r) / (bnorm * inf_norm(x) + inf_norm(b) + 1e-300);
}

// relative_residual without forming B (for large bases).
static double sparse_relative_residual(const SparseMatrix& A, const std::vector<int32_t>& basic, const Dense& x,
                                       const Dense& b, bool transposed) {
  Dense r = b;
  double bnorm = 1.0;  // logicals
  for (int32_t p = 0; p < A.rows; p++) {
    int32_t var = basic[p];
    auto entry = [&](int32_t i, double a) {
      bnorm = std::max(bnorm, std::fabs(a));
      if (transposed) {
        r[p] -= a * x[i];
      } else {
        r[i] -= a * x[p];
      }
    };
    if (var >= A.cols) {
      entry(var - A.cols, -1.0);
    } else {
      for (int64_t k = A.start[var]; k < A.start[var + 1]; k++) entry(A.index[k], A.value[k]);
    }
  }
  return inf_norm(r) / (bnorm * inf_norm(x) + inf_norm(b));
}

static SparseVector sparse_from_dense(const Dense& d, bool keep_index) {
  SparseVector v(int32_t(d.size()));
  for (int32_t i = 0; i < int32_t(d.size()); i++) v.set(i, d[i]);
  if (!keep_index) v.invalidate_index();
  return v;
}

static Dense dense_from_sparse(const SparseVector& v) { return Dense(v.array.begin(), v.array.end()); }

// The index lists each nonzero exactly once and nothing else.
static bool index_exact(const SparseVector& v) {
  if (v.count < 0) return false;
  std::vector<char> listed(v.dim, 0);
  for (int32_t k = 0; k < v.count; k++) {
    int32_t i = v.index[k];
    if (i < 0 || i >= v.dim || listed[i] || v.array[i] == 0.0) return false;
    listed[i] = 1;
  }
  for (int32_t i = 0; i < v.dim; i++)
    if (v.array[i] != 0.0 && !listed[i]) return false;
  return true;
}

static double max_difference(const SparseVector& a, const SparseVector& b) {
  double diff = 0.0;
  for (int32_t i = 0; i < a.dim; i++) diff = std::max(diff, std::fabs(a.array[i] - b.array[i]));
  return diff;
}

static Dense random_dense(std::mt19937& rng, int32_t m) {
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  Dense v(m);
  for (double& x : v) x = unit(rng);
  return v;
}

static Dense random_sparse_dense(std::mt19937& rng, int32_t m, int32_t nonzeros) {
  Dense v(m, 0.0);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (int32_t k = 0; k < nonzeros; k++) v[rng() % m] = unit(rng) + (unit(rng) > 0 ? 0.5 : -0.5);
  return v;
}

// Solve checks of `factor` (for basis `basic`) against the dense reference.
// Residuals are relative: ||B x - b|| / (||B|| ||x|| + ||b||). Fresh factors
// are usually backward stable to 1e-15, but threshold pivoting (0.1) admits
// some growth (seen up to 7e-12 over hundreds of seeds); Forrest–Tomlin
// updates add unpivoted row-eta multipliers (in the hundreds on these random
// dense-ish bases, seen up to 8e-11).
static void check_solves(const BasisFactor& factor, const SparseMatrix& A, const std::vector<int32_t>& basic,
                         std::mt19937& rng, int rounds, const char* label) {
  int32_t m = A.rows;
  const double tolerance = factor.updates() == 0 ? 1e-10 : 1e-9;
  Dense B = dense_basis(A, basic);
  DenseLU reference(B, m);
  for (int round = 0; round < rounds; round++) {
    // Dense right-hand sides.
    Dense b = random_dense(rng, m);
    SparseVector x = sparse_from_dense(b, round % 2 == 0);
    factor.ftran(x);
    CHECK(index_exact(x));
    Dense xd = dense_from_sparse(x), xr = reference.solve(b);
    double res = relative_residual(B, m, xd, b, false);
    double err = 0.0;
    for (int32_t i = 0; i < m; i++) err = std::max(err, std::fabs(xd[i] - xr[i]));
    if (!(res < tolerance) || !(err <= 1e-7 * (1.0 + inf_norm(xr)))) {
      std::fprintf(stderr, "[%s] ftran m=%d residual %.3g error %.3g\n", label, m, res, err);
      failures++;
    }
    SparseVector y = sparse_from_dense(b, round % 2 == 1);
    factor.btran(y);
    CHECK(index_exact(y));
    Dense yd = dense_from_sparse(y), yr = reference.solve_transposed(b);
    res = relative_residual(B, m, yd, b, true);
    err = 0.0;
    for (int32_t i = 0; i < m; i++) err = std::max(err, std::fabs(yd[i] - yr[i]));
    if (!(res < tolerance) || !(err <= 1e-7 * (1.0 + inf_norm(yr)))) {
      std::fprintf(stderr, "[%s] btran m=%d residual %.3g error %.3g\n", label, m, res, err);
      failures++;
    }
    // Sparse right-hand sides: hyper-sparse and dense solves agree.
    Dense s = random_sparse_dense(rng, m, 1 + int32_t(rng() % 3));
    for (int transposed = 0; transposed < 2; transposed++) {
      SparseVector hyper = sparse_from_dense(s, true), dense = sparse_from_dense(s, false);
      if (transposed) {
        factor.btran(hyper);
        factor.btran(dense);
      } else {
        factor.ftran(hyper);
        factor.ftran(dense);
      }
      CHECK(index_exact(hyper));
      CHECK(index_exact(dense));
      double scale = 1.0 + inf_norm(dense_from_sparse(dense));
      if (!(max_difference(hyper, dense) <= 1e-12 * scale)) {
        std::fprintf(stderr, "[%s] sparse %s differs by %.3g\n", label, transposed ? "btran" : "ftran",
                     max_difference(hyper, dense));
        failures++;
      }
      Dense sd = dense_from_sparse(hyper);
      res = relative_residual(B, m, sd, s, transposed);
      if (!(res < tolerance)) {
        std::fprintf(stderr, "[%s] sparse %s residual %.3g\n", label, transposed ? "btran" : "ftran", res);
        failures++;
      }
    }
  }
}

// A random basis problem: row i is covered either by its logical or by a
// structural with its diagonal in row i (so the basis is nonsingular), at
// shuffled positions. `triangular`: off-diagonals only below the diagonal.
struct BasisProblem {
  SparseMatrix A;
  std::vector<int32_t> basic;
};

static BasisProblem random_basis_problem(std::mt19937& rng, int32_t m, double logical_fraction, int32_t extra,
                                         bool triangular, int32_t spare_columns) {
  MatrixBuilder builder(m);
  std::vector<int32_t> structural_of_row(m);
  std::vector<int32_t> order(m);
  for (int32_t i = 0; i < m; i++) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);  // row order for the triangular structure
  std::vector<int32_t> rank(m);
  for (int32_t k = 0; k < m; k++) rank[order[k]] = k;
  for (int32_t i = 0; i < m; i++) {
    auto entries = random_column(rng, m, i, extra);
    if (triangular) {  // keep only rows later than i in `order`
      std::vector<std::pair<int32_t, double>> kept;
      for (auto e : entries)
        if (e.first == i || rank[e.first] > rank[i]) kept.push_back(e);
      entries = kept;
    }
    structural_of_row[i] = builder.add_column(entries);
  }
  for (int32_t k = 0; k < spare_columns; k++) builder.add_column(random_column(rng, m, -1, 1 + extra));
  BasisProblem problem;
  problem.A = builder.A;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int32_t i = 0; i < m; i++)
    problem.basic.push_back(unit(rng) < logical_fraction ? problem.A.cols + i : structural_of_row[i]);
  std::shuffle(problem.basic.begin(), problem.basic.end(), rng);
  return problem;
}

// ------------------------------------------------------------------- tests

static void test_sparse_vector() {
  SparseVector v(10);
  v.set(3, 2.0);
  v.set(7, -1.0);
  v.set(3, 5.0);
  CHECK(v.count == 2 && v.array[3] == 5.0);
  v.set(3, 0.0);
  CHECK(v.count == 1 && v.index[0] == 7);
  v.set(3, 1.0);
  v.add(5, 1e-20);
  CHECK(v.count == 3);
  v.tidy();
  CHECK(v.count == 2 && v.array[5] == 0.0 && index_exact(v));
  v.invalidate_index();
  v.array[9] = 4.0;
  v.rebuild_index();
  CHECK(v.count == 3 && index_exact(v));
  v.clear();
  CHECK(v.count == 0 && v.array[7] == 0.0 && v.array[9] == 0.0);
}

static void test_random_bases() {
  std::mt19937 rng(12345);
  const int32_t sizes[] = {1, 2, 3, 5, 8, 13, 30, 60, 120, 300};
  int cases = 0;
  for (int32_t m : sizes) {
    for (int32_t density = 0; density < 2; density++) {
      // low: about 2 extra entries per column; high: a third of the column
      int32_t extra = density == 0 ? 2 : std::max(1, m / 3);
      for (double logical_fraction : {0.0, 0.3, 0.8}) {
        for (int triangular = 0; triangular < 2; triangular++) {
          if (m == 300 && density == 1 && logical_fraction > 0.5) continue;  // keep the test fast
          BasisProblem problem = random_basis_problem(rng, m, logical_fraction, extra, triangular, 0);
          BasisFactor factor;
          factor.setup(problem.A);
          std::vector<int32_t> basic = problem.basic;
          int replaced = factor.factorize(basic);
          CHECK(replaced == 0);
          CHECK(basic == problem.basic);
          CHECK(factor.updates() == 0 && factor.replaced().empty());
          CHECK(factor.fill_ratio() >= 1.0 - 1e-12);
          if (triangular) CHECK(factor.fill_ratio() <= 1.0 + 1e-12);  // no fill in a triangular basis
          char label[96];
          std::snprintf(label, sizeof label, "random m=%d extra=%d logicals=%.1f tri=%d", m, extra,
                        logical_fraction, triangular);
          check_solves(factor, problem.A, basic, rng, m <= 30 ? 6 : 3, label);
          // The position <-> row pairing is a permutation.
          std::vector<char> hit(m, 0);
          for (int32_t p = 0; p < m; p++) hit[factor.row_of_position(p)] = 1;
          CHECK(std::count(hit.begin(), hit.end(), 1) == m);
          cases++;
        }
      }
    }
  }
  std::printf("random bases: %d cases\n", cases);
}

// Badly scaled rows and columns (factors 1e-3..1e3): still backward stable.
static void test_scaled_bases() {
  std::mt19937 rng(321);
  std::uniform_real_distribution<double> exponent(-3.0, 3.0);
  for (int32_t m : {20, 100, 250}) {
    for (double logical_fraction : {0.0, 0.4}) {
      BasisProblem problem = random_basis_problem(rng, m, logical_fraction, 4, false, 0);
      std::vector<double> row_scale(m), col_scale(problem.A.cols);
      for (double& f : row_scale) f = std::pow(10.0, exponent(rng));
      for (double& f : col_scale) f = std::pow(10.0, exponent(rng));
      for (int32_t j = 0; j < problem.A.cols; j++)
        for (int64_t k = problem.A.start[j]; k < problem.A.start[j + 1]; k++)
          problem.A.value[k] *= col_scale[j] * row_scale[problem.A.index[k]];
      BasisFactor factor;
      factor.setup(problem.A);
      std::vector<int32_t> basic = problem.basic;
      CHECK(factor.factorize(basic) == 0);
      check_solves(factor, problem.A, basic, rng, 3, "scaled");
    }
  }
}

// A tighter threshold gives the same solutions.
static void test_pivot_threshold() {
  std::mt19937 rng(7);
  BasisProblem problem = random_basis_problem(rng, 80, 0.2, 10, false, 0);
  for (double threshold : {0.01, 0.1, 0.5, 0.9}) {
    BasisFactor factor;
    factor.setup(problem.A);
    factor.set_pivot_threshold(threshold);
    std::vector<int32_t> basic = problem.basic;
    CHECK(factor.factorize(basic) == 0);
    check_solves(factor, problem.A, basic, rng, 2, "threshold");
  }
}

// Random entering columns, leaving positions with a reasonable pivot; every
// step checked against the dense reference, every tenth against a fresh
// factorisation; refactorise when update() refuses.
static void run_update_sequence(int32_t m, int32_t extra, double logical_fraction, int steps, bool save_spike,
                                uint32_t seed) {
  std::mt19937 rng(seed);
  BasisProblem problem = random_basis_problem(rng, m, logical_fraction, extra, false, 2 * m);
  const SparseMatrix& A = problem.A;
  const int32_t n = A.cols;
  BasisFactor factor;
  factor.setup(A);
  std::vector<int32_t> basic = problem.basic;
  CHECK(factor.factorize(basic) == 0);
  std::vector<char> in_basis(n + m, 0);
  for (int32_t v : basic) in_basis[v] = 1;
  int refused = 0, refactorised = 0, done = 0;
  char label[96];
  std::snprintf(label, sizeof label, "updates m=%d extra=%d spike=%d", m, extra, int(save_spike));
  for (int step = 0; step < steps; step++) {
    int32_t q;
    do q = int32_t(rng() % (n + m));
    while (in_basis[q]);
    SparseVector column(m);
    Dense aq;
    dense_column(A, q, aq);
    for (int32_t i = 0; i < m; i++)
      if (aq[i] != 0.0) column.set(i, aq[i]);
    if (save_spike) {
      factor.ftran_for_update(column);
    } else {
      factor.ftran(column);
    }
    CHECK(index_exact(column));
    double largest = 0.0;
    for (int32_t k = 0; k < column.count; k++) largest = std::max(largest, std::fabs(column.array[column.index[k]]));
    if (largest < 1e-9) continue;
    std::vector<int32_t> candidates;
    for (int32_t k = 0; k < column.count; k++)
      if (std::fabs(column.array[column.index[k]]) >= 0.1 * largest) candidates.push_back(column.index[k]);
    int32_t pos = candidates[rng() % candidates.size()];
    in_basis[basic[pos]] = 0;
    in_basis[q] = 1;
    basic[pos] = q;
    if (factor.update(pos, column)) {
      done++;
    } else {
      refused++;
      refactorised++;
      int replaced = factor.factorize(basic);
      for (auto r : factor.replaced()) {
        in_basis[r.old_var] = 0;
        in_basis[r.new_var] = 1;
      }
      CHECK(replaced == 0);
    }
    check_solves(factor, A, basic, rng, 1, label);
    if (step % 10 == 9) {
      std::vector<int32_t> same = basic;
      BasisFactor fresh;
      fresh.setup(A);
      CHECK(fresh.factorize(same) == 0);
      for (int transposed = 0; transposed < 2; transposed++) {
        Dense b = random_dense(rng, m);
        SparseVector x1 = sparse_from_dense(b, true), x2 = sparse_from_dense(b, true);
        if (transposed) {
          factor.btran(x1);
          fresh.btran(x2);
        } else {
          factor.ftran(x1);
          fresh.ftran(x2);
        }
        double scale = 1.0 + inf_norm(dense_from_sparse(x2));
        if (!(max_difference(x1, x2) <= 1e-8 * scale)) {
          std::fprintf(stderr, "[%s] step %d: updated and fresh %s differ by %.3g\n", label, step,
                       transposed ? "btran" : "ftran", max_difference(x1, x2));
          failures++;
        }
      }
    }
    // Periodic refactorisation, as the simplex does.
    if (step % 60 == 59) {
      refactorised++;
      CHECK(factor.factorize(basic) == 0);
    }
  }
  std::printf("%s: %d updates, %d refused, %d refactorisations, fill %.2f\n", label, done, refused,
              refactorised, factor.fill_ratio());
  CHECK(done > steps / 2);
}

static void test_updates() {
  run_update_sequence(1, 0, 0.0, 50, true, 1);
  run_update_sequence(5, 2, 0.3, 200, false, 2);
  run_update_sequence(40, 3, 0.5, 200, true, 3);
  run_update_sequence(40, 3, 0.5, 200, false, 4);
  run_update_sequence(120, 2, 0.8, 200, true, 5);
  run_update_sequence(200, 4, 0.2, 200, false, 6);
  run_update_sequence(60, 20, 0.0, 200, true, 7);
}

static void test_update_limit() {
  std::mt19937 rng(99);
  BasisProblem problem = random_basis_problem(rng, 30, 1.0, 2, false, 0);  // all logicals
  BasisFactor factor;
  factor.setup(problem.A);
  factor.set_update_limit(5);
  std::vector<int32_t> basic = problem.basic;
  CHECK(factor.factorize(basic) == 0);
  std::vector<char> in_basis(problem.A.cols + 30, 0);
  for (int32_t v : basic) in_basis[v] = 1;
  int accepted = 0;
  for (int32_t q = 0; q < problem.A.cols && accepted < 6; q++) {
    SparseVector column(30);
    Dense aq;
    dense_column(problem.A, q, aq);
    for (int32_t i = 0; i < 30; i++)
      if (aq[i] != 0.0) column.set(i, aq[i]);
    factor.ftran(column);
    int32_t pos = -1;
    for (int32_t k = 0; k < column.count; k++)
      if (std::fabs(column.array[column.index[k]]) > 0.5) pos = column.index[k];
    if (pos < 0) continue;
    bool ok = factor.update(pos, column);
    if (accepted < 5) {
      CHECK(ok);
      basic[pos] = q;
      accepted++;
      check_solves(factor, problem.A, basic, rng, 1, "limit");
    } else {
      CHECK(!ok);
      CHECK(factor.updates() == 5);
      check_solves(factor, problem.A, basic, rng, 1, "limit-unchanged");  // refused: old basis kept
      accepted++;
    }
  }
  CHECK(accepted == 6);
}

// update() refuses an inconsistent column (saved spike vs. a doctored FTRAN
// result) and a zero pivot, and leaves the factorisation as it was.
static void test_update_refusals() {
  std::mt19937 rng(4242);
  const int32_t m = 50;
  BasisProblem problem = random_basis_problem(rng, m, 0.5, 3, false, m);
  BasisFactor factor;
  factor.setup(problem.A);
  std::vector<int32_t> basic = problem.basic;
  CHECK(factor.factorize(basic) == 0);
  const int32_t q = problem.A.cols - 1;  // a spare column, not basic
  SparseVector column(m);
  for (int64_t k = problem.A.start[q]; k < problem.A.start[q + 1]; k++)
    column.set(problem.A.index[k], problem.A.value[k]);
  SparseVector original = column;
  factor.ftran_for_update(column);
  int32_t pos = -1;
  for (int32_t k = 0; k < column.count; k++)
    if (pos < 0 || std::fabs(column.array[column.index[k]]) > std::fabs(column.array[pos])) pos = column.index[k];
  CHECK(pos >= 0);
  SparseVector doctored = column;
  doctored.array[pos] *= 1.0 + 1e-6;
  CHECK(!factor.update(pos, doctored));
  CHECK(factor.updates() == 0);
  check_solves(factor, problem.A, basic, rng, 1, "refused mismatch");
  // A zero pivot: the position where the FTRAN'd column is zero.
  SparseVector again = original;
  factor.ftran(again);
  int32_t zero_pos = -1;
  for (int32_t p = 0; p < m; p++)
    if (again.array[p] == 0.0) zero_pos = p;
  if (zero_pos >= 0) CHECK(!factor.update(zero_pos, again));
  check_solves(factor, problem.A, basic, rng, 1, "refused zero pivot");
  // The genuine update goes through.
  again = original;
  factor.ftran_for_update(again);
  CHECK(factor.update(pos, again));
  basic[pos] = q;
  check_solves(factor, problem.A, basic, rng, 2, "after refusals");
}

// Factorise `basic` and check the repair: the count, replaced() against the
// basis before and after, logicals of distinct rows, and a nonsingular result.
static void check_repair(const SparseMatrix& A, std::vector<int32_t> basic, int expected_min, int expected_max,
                         const char* label) {
  std::mt19937 rng(5);
  int32_t m = A.rows;
  std::vector<int32_t> before = basic;
  BasisFactor factor;
  factor.setup(A);
  int replaced = factor.factorize(basic);
  if (replaced < expected_min || replaced > expected_max) {
    std::fprintf(stderr, "[%s] %d replaced, expected %d..%d\n", label, replaced, expected_min, expected_max);
    failures++;
  }
  CHECK(int(factor.replaced().size()) == replaced);
  std::vector<int32_t> expected = before;
  for (auto r : factor.replaced()) {
    CHECK(r.position >= 0 && r.position < m);
    CHECK(before[r.position] == r.old_var);
    CHECK(r.new_var >= A.cols && r.new_var < A.cols + m);
    expected[r.position] = r.new_var;
  }
  CHECK(expected == basic);
  std::set<int32_t> distinct(basic.begin(), basic.end());
  CHECK(int32_t(distinct.size()) == m);
  DenseLU reference(dense_basis(A, basic), m);
  if (!(reference.min_pivot > 1e-10)) {
    std::fprintf(stderr, "[%s] repaired basis still singular (pivot %.3g)\n", label, reference.min_pivot);
    failures++;
  }
  check_solves(factor, A, basic, rng, 2, label);
}

static void test_singular_bases() {
  std::mt19937 rng(2024);
  for (int32_t m : {1, 4, 12, 50, 150}) {
    MatrixBuilder builder(m);
    std::vector<int32_t> structural(m);
    for (int32_t i = 0; i < m; i++) structural[i] = builder.add_column(random_column(rng, m, i, 3));
    int32_t zero = builder.add_column({});
    // Rank deficient: a column equal to the sum of two others (of rows 0, 1).
    auto sum = random_column(rng, m, -1, 0);
    {
      Dense a, b;
      MatrixBuilder tmp = builder;
      dense_column(tmp.A, structural[0], a);
      dense_column(tmp.A, structural[std::min(1, m - 1)], b);
      sum.clear();
      for (int32_t i = 0; i < m; i++)
        if (a[i] + b[i] != 0.0) sum.push_back({i, a[i] + b[i]});
    }
    int32_t combination = builder.add_column(sum);
    // Nearly dependent: the same plus a 1e-13 perturbation.
    auto nearly = sum;
    if (!nearly.empty()) nearly[0].second *= 1.0 + 1e-13;
    int32_t near_combination = builder.add_column(nearly);
    const SparseMatrix& A = builder.A;
    const int32_t n = A.cols;
    std::vector<int32_t> base(m);
    for (int32_t i = 0; i < m; i++) base[i] = structural[i];

    char label[64];
    std::snprintf(label, sizeof label, "duplicate m=%d", m);
    if (m >= 2) {
      std::vector<int32_t> basic = base;
      basic[m - 1] = basic[0];
      check_repair(A, basic, 1, 1, label);
      std::snprintf(label, sizeof label, "duplicate logical m=%d", m);
      basic = base;
      basic[0] = n + 0;
      basic[m - 1] = n + 0;
      check_repair(A, basic, 1, 1, label);
    }
    std::snprintf(label, sizeof label, "zero column m=%d", m);
    std::vector<int32_t> basic = base;
    basic[m / 2] = zero;
    check_repair(A, basic, 1, 1, label);
    if (m >= 3) {
      std::snprintf(label, sizeof label, "combination m=%d", m);
      basic = base;
      basic[m - 1] = combination;
      check_repair(A, basic, 1, 1, label);
      std::snprintf(label, sizeof label, "near combination m=%d", m);
      basic = base;
      basic[m - 1] = near_combination;
      check_repair(A, basic, 1, 1, label);
    }
    std::snprintf(label, sizeof label, "all zero m=%d", m);
    basic.assign(m, zero);
    check_repair(A, basic, m, m, label);
    // Several problems at once, shuffled positions, some logicals.
    if (m >= 12) {
      std::snprintf(label, sizeof label, "mixed m=%d", m);
      basic = base;
      basic[1] = zero;
      basic[2] = combination;
      basic[3] = basic[4];
      basic[5] = n + 7;
      basic[6] = n + 7;
      std::shuffle(basic.begin(), basic.end(), rng);
      check_repair(A, basic, 3, 3, label);  // the zero column and one of each duplicate
    }
  }
  // A structurally singular random sparse matrix (no diagonal guarantee).
  for (int32_t m : {10, 40, 120}) {
    MatrixBuilder builder(m);
    for (int32_t j = 0; j < m; j++) builder.add_column(random_column(rng, m, -1, 1 + int32_t(rng() % 2)));
    std::vector<int32_t> basic(m);
    for (int32_t j = 0; j < m; j++) basic[j] = j;
    char label[64];
    std::snprintf(label, sizeof label, "random sparse m=%d", m);
    check_repair(builder.A, basic, 0, m, label);
  }
}

static void test_bad_input() {
  MatrixBuilder builder(3);
  builder.add_column({{0, 1.0}});
  BasisFactor factor;
  factor.setup(builder.A);
  bool thrown = false;
  std::vector<int32_t> short_basis = {0, 1};
  try {
    factor.factorize(short_basis);
  } catch (const std::invalid_argument&) {
    thrown = true;
  }
  CHECK(thrown);
  thrown = false;
  std::vector<int32_t> out_of_range = {0, 1, 4};
  try {
    factor.factorize(out_of_range);
  } catch (const std::invalid_argument&) {
    thrown = true;
  }
  CHECK(thrown);
  // Malformed matrices: row out of range, repeated row.
  for (int bad = 0; bad < 2; bad++) {
    MatrixBuilder broken(3);
    broken.add_column({{0, 1.0}, {bad ? 0 : 3, 2.0}});
    BasisFactor f;
    thrown = false;
    try {
      f.setup(broken.A);
    } catch (const std::invalid_argument&) {
      thrown = true;
    }
    CHECK(thrown);
  }
  // Empty problem.
  MatrixBuilder empty(0);
  BasisFactor none;
  none.setup(empty.A);
  std::vector<int32_t> no_basis;
  CHECK(none.factorize(no_basis) == 0);
  SparseVector v(0);
  none.ftran(v);
  none.btran(v);
  CHECK(v.count == 0);
}

// ---------------------------------------------------------------- timing

// CPU time of this thread: the tests may share the machine with other work.
static double cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

static void time_large_case(int32_t m, double logical_fraction, int32_t extra, const char* label) {
  std::mt19937 rng(31337);
  BasisProblem problem = random_basis_problem(rng, m, logical_fraction, extra, false, m);
  const SparseMatrix& A = problem.A;
  BasisFactor factor;
  factor.setup(A);
  std::vector<int32_t> basic = problem.basic;
  double t0 = cpu_seconds();
  const int factor_rounds = 5;
  for (int k = 0; k < factor_rounds; k++) {
    basic = problem.basic;
    CHECK(factor.factorize(basic) == 0);
  }
  double factor_time = (cpu_seconds() - t0) / factor_rounds;

  const int solves = 400;
  std::vector<Dense> sparse_rhs, dense_rhs;
  for (int k = 0; k < solves; k++) sparse_rhs.push_back(random_sparse_dense(rng, m, 1 + int32_t(rng() % 3)));
  for (int k = 0; k < 20; k++) dense_rhs.push_back(random_dense(rng, m));
  auto time_solves = [&](const std::vector<Dense>& rhs, bool transposed, bool keep_index, int64_t& nonzeros) {
    std::vector<SparseVector> vectors;
    for (const Dense& d : rhs) vectors.push_back(sparse_from_dense(d, keep_index));
    nonzeros = 0;
    double start = cpu_seconds();
    for (SparseVector& v : vectors) {
      if (transposed) {
        factor.btran(v);
      } else {
        factor.ftran(v);
      }
      nonzeros += v.count;
    }
    return (cpu_seconds() - start) / rhs.size();
  };
  int64_t nz_f, nz_b, nz_fd, nz_bd, unused;
  double ftran_sparse = time_solves(sparse_rhs, false, true, nz_f);
  double btran_sparse = time_solves(sparse_rhs, true, true, nz_b);
  double ftran_sparse_as_dense = time_solves(sparse_rhs, false, false, unused);
  double ftran_dense = time_solves(dense_rhs, false, false, nz_fd);
  double btran_dense = time_solves(dense_rhs, true, false, nz_bd);

  // Update throughput: entering spare structurals, refactorising on refusal.
  std::vector<char> in_basis(A.cols + m, 0);
  for (int32_t v : basic) in_basis[v] = 1;
  int updates = 0, refusals = 0;
  double start = cpu_seconds();
  for (int step = 0; step < 300; step++) {
    int32_t q = m + int32_t(rng() % (A.cols - m));
    if (in_basis[q]) continue;
    SparseVector column(m);
    for (int64_t k = A.start[q]; k < A.start[q + 1]; k++) column.set(A.index[k], A.value[k]);
    factor.ftran_for_update(column);
    int32_t pos = -1;
    double largest = 0.0;
    for (int32_t k = 0; k < column.count; k++) {
      double a = std::fabs(column.array[column.index[k]]);
      if (a > largest) {
        largest = a;
        pos = column.index[k];
      }
    }
    if (pos < 0) continue;
    in_basis[basic[pos]] = 0;
    in_basis[q] = 1;
    basic[pos] = q;
    if (factor.update(pos, column)) {
      updates++;
    } else {
      refusals++;
      factor.factorize(basic);
    }
  }
  double update_time = (cpu_seconds() - start);
  for (int transposed = 0; transposed < 2; transposed++) {
    Dense b = random_dense(rng, m);
    SparseVector x = sparse_from_dense(b, false);
    if (transposed) {
      factor.btran(x);
    } else {
      factor.ftran(x);
    }
    double res = sparse_relative_residual(A, basic, dense_from_sparse(x), b, transposed);
    if (!(res < (factor.updates() == 0 ? 1e-10 : 1e-9))) {
      std::fprintf(stderr, "[%s] %s residual %.3g\n", label, transposed ? "btran" : "ftran", res);
      failures++;
    }
  }

  std::printf(
      "%s: m=%d factorize %.3f ms (fill %.2f); per solve: ftran sparse %.1f us (avg nnz %.0f), btran sparse %.1f us "
      "(avg nnz %.0f), ftran sparse-as-dense %.1f us, ftran dense %.1f us, btran dense %.1f us; "
      "300 steps of ftran+update: %.1f ms (%d updates, %d refusals), fill now %.2f\n",
      label, m, 1e3 * factor_time, factor.fill_ratio(), 1e6 * ftran_sparse, double(nz_f) / solves,
      1e6 * btran_sparse, double(nz_b) / solves, 1e6 * ftran_sparse_as_dense, 1e6 * ftran_dense,
      1e6 * btran_dense, 1e3 * update_time, updates, refusals, factor.fill_ratio());
}

int main() {
  test_sparse_vector();
  test_random_bases();
  test_pivot_threshold();
  test_scaled_bases();
  test_updates();
  test_update_limit();
  test_update_refusals();
  test_singular_bases();
  test_bad_input();
  time_large_case(5000, 0.9, 3, "timing mostly logicals");
  time_large_case(5000, 0.5, 3, "timing half logicals");
  time_large_case(5000, 0.0, 2, "timing all structural");
  if (failures) std::fprintf(stderr, "%d check(s) failed\n", failures);
  else std::printf("all basis factor checks passed\n");
  return failures ? 1 : 0;
}
