// LU factorisation of a simplex basis, solves with it (FTRAN/BTRAN) and
// Forrest–Tomlin updates.
//
// Computational form: n structural columns (the CSC matrix A, m rows) plus m
// logical columns; logical column n+i is -e_i. A basis lists m variables in
// [0, n+m); basis position p holds variable basic[p], and B's column p is that
// variable's column.
//
// Factorisation (lu_factor.cpp), after Suhl & Suhl (1990):
//  1. triangular part: column singletons (pivot rows go straight to U) then
//     row singletons (their columns become L etas); no arithmetic on B;
//  2. kernel: Markowitz pivoting with threshold partial pivoting (|pivot| >=
//     threshold * column max) and a search over the rows/columns of smallest
//     count that stops after a few candidates (Zlatev); once the active
//     submatrix is a quarter full it is finished as a dense matrix (partial
//     pivoting, contiguous column updates);
//  3. a column whose remaining part is empty or negligible (largest entry,
//     a forced singleton's included, below kSingularTolerance of the column's
//     largest original entry) is dependent: the dependent columns are
//     replaced by the logicals of the rows left without a pivot and the basis
//     is factorised again (rarely more than once), see replaced().
// Internally everything is indexed by row: pivot k pairs a row with a basis
// position, L is a sequence of column etas, U is kept by rows and by columns
// (both are needed: FTRAN scatters columns, BTRAN scatters rows, the update
// edits both), ordered by a pivot sequence that updates append to.
//
// Solves (lu_solve.cpp): a sparse right-hand side is solved hyper-sparsely — the
// pivots that can be reached are processed in pivot order through a heap — and
// the solve switches to plain sweeps once the result gets dense.
//
// Updates (lu_update.cpp): Forrest–Tomlin. The leaving position's U column is
// replaced by the partially transformed entering column (the "spike"), its U
// row is eliminated by a row eta R, and its pivot moves to the end of the pivot
// sequence. B_k^-1 = U_k^-1 R_k ... R_1 L^-1.
//
// Not thread-safe: the const solves share scratch space inside the object.
#pragma once
#include <cstdint>
#include <vector>

#include "lp/model.hpp"
#include "lp/sparse_vector.hpp"

namespace satmip::lp {

// Many short growable lists (rows or columns of a sparse matrix) sharing one
// flat array. A list that outgrows its room moves to the end of the array; the
// array is compacted when the holes left behind get too large.
struct ListStore {
  std::vector<int64_t> start;
  std::vector<int32_t> length, room;
  std::vector<int32_t> index;
  std::vector<double> value;  // unused (empty) when the lists hold indices only
  bool has_values = true;
  int64_t used = 0;        // end of the occupied part of index/value
  int64_t total_room = 0;  // sum of room: used - total_room are holes

  // `lists` empty lists with no room; entries_hint sizes the array.
  void reset(int32_t lists, bool with_values, int64_t entries_hint);
  // Make list l hold at least `needed` entries without moving again.
  void reserve(int32_t l, int32_t needed) {
    if (room[l] < needed) move_to_end(l, needed);
  }
  void append(int32_t l, int32_t i, double v) {
    if (length[l] == room[l]) move_to_end(l, length[l] + 1);
    int64_t at = start[l] + length[l]++;
    index[at] = i;
    if (has_values) value[at] = v;
  }
  void append(int32_t l, int32_t i) { append(l, i, 0.0); }
  // Position (0-based within the list) of entry i, or -1.
  int32_t find(int32_t l, int32_t i) const {
    const int32_t* p = index.data() + start[l];
    for (int32_t k = 0, len = length[l]; k < len; k++)
      if (p[k] == i) return k;
    return -1;
  }
  // Remove the k-th entry (the last entry takes its place).
  void remove_at(int32_t l, int32_t k) {
    int64_t at = start[l] + k, last = start[l] + --length[l];
    index[at] = index[last];
    if (has_values) value[at] = value[last];
  }
  void erase(int32_t l, int32_t i) {
    int32_t k = find(l, i);
    if (k >= 0) remove_at(l, k);
  }
  int64_t entries() const;

 private:
  void move_to_end(int32_t l, int32_t needed);
  void compact(int64_t extra);
};

class BasisFactor {
 public:
  struct Replaced {
    int32_t position, old_var, new_var;
  };

  // Remember A (by pointer: A must stay alive and unchanged until the next
  // setup()); m = A.rows, n = A.cols. Discards any factorisation.
  void setup(const SparseMatrix& A);
  // Factorise B = [columns basic[0..m)]. Returns the number of columns that
  // were (numerically) dependent; those positions are replaced by logicals in
  // `basic`, and replaced() lists (position, old variable, new logical) so the
  // simplex can fix its state: one entry per position, with the variable the
  // caller passed and the logical now there. Duplicated variables count as
  // dependent. Throws std::invalid_argument on a malformed basis (wrong size,
  // variable out of range).
  int factorize(std::vector<int32_t>& basic);
  // rhs := B^-1 rhs (in: indexed by row; out: indexed by basis position).
  // rhs.dim must be m. A valid index with at most m/10 entries selects the
  // hyper-sparse solve; an invalid one (count < 0) a dense solve. On return
  // the index is valid and lists exactly the nonzeros; values with
  // |v| <= kDropTolerance are dropped.
  void ftran(SparseVector& rhs) const;
  // As ftran, and remembers the partially transformed column for the next
  // update(): use it on the entering column to make the update cheaper and its
  // accuracy check sharper. Forgotten by update() and factorize().
  void ftran_for_update(SparseVector& rhs);
  // rhs := B^-T rhs (in: indexed by basis position; out: indexed by row).
  // Same index conventions as ftran.
  void btran(SparseVector& rhs) const;
  // Replace the variable at basis position `pos` by a new column whose
  // FTRAN'd form (B^-1 a_q, as computed by ftran on the entering column) is
  // `column`. Returns false when update_limit() updates have accumulated or
  // the update is numerically unsafe: column[pos] zero, the new U pivot below
  // kSingularTolerance of its column, or the new U pivot differing from
  // u_old * column[pos] by more than kUpdateTolerance relative. The
  // factorisation is then left as it was (still the old basis) and the caller
  // refactorises. The last check only has teeth when the column came from
  // ftran_for_update(); after a plain ftran() the spike is rebuilt from
  // `column` itself (as U * column), which agrees with it by construction.
  bool update(int32_t pos, const SparseVector& column);
  int32_t updates() const { return updates_; }  // since the last factorize()
  const std::vector<Replaced>& replaced() const { return replaced_; }
  // (entries of L, U and the update etas, diagonal included) / nnz(B) at the
  // last factorisation.
  double fill_ratio() const;

  int32_t rows() const { return m_; }
  int32_t structurals() const { return n_; }
  bool factorized() const { return factorized_; }
  // Basis position whose pivot is in row r, and the reverse (a permutation).
  int32_t position_of_row(int32_t r) const { return position_of_row_[r]; }
  int32_t row_of_position(int32_t p) const { return row_of_position_[p]; }

  // Threshold partial pivoting in the kernel, in (0, 1]; raise it (e.g. to 0.5
  // or 0.9) to trade sparsity for stability after numerical trouble.
  void set_pivot_threshold(double threshold);
  double pivot_threshold() const { return pivot_threshold_; }
  // Updates allowed between factorisations (default 100).
  void set_update_limit(int32_t limit) { update_limit_ = limit; }
  int32_t update_limit() const { return update_limit_; }

  // Pivots below this fraction of their column's largest entry mark the
  // column as dependent.
  static constexpr double kSingularTolerance = 1e-9;
  // Entries this small are dropped from factors and solve results.
  static constexpr double kDropTolerance = 1e-14;
  // Relative mismatch between the updated pivot and the FTRAN'd column's
  // pivot above which update() refuses.
  static constexpr double kUpdateTolerance = 1e-8;

 private:
  // ---- factorisation (lu_factor.cpp)
  void build_basis_matrix(const std::vector<int32_t>& basic);
  void find_triangular_part();
  void factorize_kernel();
  void load_kernel();
  bool choose_kernel_pivot(int32_t& pivot_row, int32_t& pivot_col);
  double kernel_column_max(int32_t col);
  void drop_dependent_column(int32_t col);
  void eliminate_kernel_pivot(int32_t pivot_row, int32_t pivot_col);
  bool kernel_is_dense() const;
  void factorize_dense_tail();
  void record_pivot(int32_t row, int32_t position, double value);
  void replace_dependent_columns(std::vector<int32_t>& basic);
  void assemble_factors();
  // count buckets of the kernel (doubly linked lists by count)
  void bucket_insert_col(int32_t col);
  void bucket_remove_col(int32_t col);
  void bucket_insert_row(int32_t row);
  void bucket_remove_row(int32_t row);

  // ---- solves (lu_solve.cpp)
  void ftran_in_rows(SparseVector& rhs) const;  // L, R: rhs stays in row space
  void ftran_upper(SparseVector& rhs) const;    // U, then rows -> positions
  void solve_lower(SparseVector& v) const;
  void solve_lower_transposed(SparseVector& v) const;
  void apply_row_etas(SparseVector& v) const;
  void apply_row_etas_transposed(SparseVector& v) const;
  void solve_upper(SparseVector& v) const;
  void solve_upper_transposed(SparseVector& v) const;
  bool sparse_enough(int32_t count) const;

  // ---- problem
  const SparseMatrix* A_ = nullptr;
  int32_t m_ = 0, n_ = 0;
  bool factorized_ = false;
  double pivot_threshold_ = 0.1;
  int32_t search_limit_ = 8;  // candidate rows/columns examined per kernel pivot
  int32_t update_limit_ = 100;

  // ---- B for the current factorisation, by position (CSC) and by row (CSR)
  std::vector<int32_t> bcol_start_, bcol_index_;
  std::vector<double> bcol_value_, bcol_max_;
  std::vector<int32_t> brow_start_, brow_index_;
  std::vector<double> brow_value_;

  // ---- factorisation work: triangular part and kernel
  std::vector<int32_t> row_count_, col_count_, stack_;
  std::vector<uint8_t> row_done_, col_done_;
  std::vector<int32_t> dependent_cols_;
  ListStore kernel_cols_;  // active submatrix by column: (row, value)
  ListStore kernel_rows_;  // active submatrix by row: column pattern only
  std::vector<int32_t> col_head_, col_next_, col_prev_;  // columns by count
  std::vector<int32_t> row_head_, row_next_, row_prev_;  // rows by count
  std::vector<double> kernel_col_max_;  // < 0: not known
  int64_t kernel_entries_ = 0;
  int32_t kernel_cols_left_ = 0;
  std::vector<double> dense_;  // the dense tail of the kernel, column-major
  std::vector<int32_t> dense_rows_, dense_cols_;
  std::vector<double> multiplier_;      // pivot column multipliers by row
  std::vector<int32_t> seen_;           // stamp per row during a column update
  int32_t stamp_ = 0;

  // ---- pivot sequence as found (elimination order)
  std::vector<int32_t> pivot_row_, pivot_position_;
  std::vector<double> pivot_value_;
  std::vector<int32_t> urow_start_, urow_position_;  // U rows by pivot, in positions
  std::vector<double> urow_value_;

  // ---- the factors
  std::vector<int32_t> row_of_position_, position_of_row_;
  // L: etas in order; eta k has pivot row l_pivot_row_[k] and entries
  // l_index_/l_value_[l_start_[k] .. l_start_[k+1]) (rows later in L order).
  std::vector<int32_t> l_pivot_row_, l_start_, l_index_;
  std::vector<double> l_value_;
  std::vector<int32_t> l_order_of_row_;  // eta number of a row, -1 if none
  // L by rows (for BTRAN): row i lists (pivot row of eta k, L value).
  std::vector<int32_t> lrow_start_, lrow_index_;
  std::vector<double> lrow_value_;
  // U: diagonal by row; off-diagonal entries keyed by the rows of both pivots.
  std::vector<double> u_pivot_;
  ListStore u_cols_;  // list r: (row i of an earlier pivot, U value)
  ListStore u_rows_;  // list r: (row j of a later pivot, U value)
  std::vector<int32_t> u_order_;          // pivot rows in U order; -1 = moved away
  std::vector<int32_t> u_order_of_row_;   // slot of a row in u_order_
  // R: Forrest–Tomlin row etas; eta t: v[r_pivot_row_[t]] -= sum value * v[index]
  std::vector<int32_t> r_pivot_row_, r_start_, r_index_;
  std::vector<double> r_value_;

  int32_t updates_ = 0;
  int64_t basis_entries_ = 0;
  std::vector<Replaced> replaced_;

  // ---- scratch
  mutable std::vector<double> work_;      // all zero between calls
  mutable std::vector<int64_t> heap_;     // (order key << 32 | row)
  SparseVector spike_;                    // saved by ftran_for_update
  bool spike_valid_ = false;
  std::vector<double> eta_work_;          // all zero between calls
  std::vector<int32_t> eta_rows_;
  std::vector<double> eta_values_;
};

}  // namespace satmip::lp
