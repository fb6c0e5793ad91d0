#include "lp/model_check.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace satmip::lp {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string text_of(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+inf" : "-inf";
  return std::to_string(v);
}

[[noreturn]] void fail(const std::string& who, const std::string& message) {
  throw std::invalid_argument(who + ": " + message);
}

std::string named(const char* what, int64_t index, const std::vector<std::string>& names) {
  std::string s = std::string(what) + " " + std::to_string(index);
  if (index >= 0 && size_t(index) < names.size() && !names[size_t(index)].empty())
    s += " ('" + names[size_t(index)] + "')";
  return s;
}

// The array entry that holds a bad value, as a message's prefix: "cost[2]: ".
std::string entry(const std::string& array, int64_t index) {
  return array.empty() ? "" : array + "[" + std::to_string(index) + "]: ";
}

// lower_entry / upper_entry: the entries' prefixes (entry()), or empty.
void check_bound_values(const std::string& who, const std::string& where, double lower, double upper,
                        const std::string& lower_entry = "", const std::string& upper_entry = "") {
  if (std::isnan(lower)) fail(who, lower_entry + "the lower bound of " + where + " is NaN");
  if (std::isnan(upper)) fail(who, upper_entry + "the upper bound of " + where + " is NaN");
  if (lower == kInf) fail(who, lower_entry + "the lower bound of " + where + " is +inf");
  if (upper == -kInf) fail(who, upper_entry + "the upper bound of " + where + " is -inf");
}

}  // namespace

void check_bounds(const std::string& who, const char* what, int64_t index, double lower, double upper) {
  check_bound_values(who, std::string(what) + " " + std::to_string(index), lower, upper);
}

void check_finite(const std::string& who, const std::string& what, double value) {
  if (!std::isfinite(value)) fail(who, what + " is " + text_of(value) + ": it must be finite");
}

void check_model(const Model& m, const std::string& who, const ArrayNames& arrays) {
  const SparseMatrix& A = m.A;
  if (A.rows < 0 || A.cols < 0) fail(who, "negative numbers of rows or columns");
  const auto n = size_t(A.cols), rows = size_t(A.rows);
  if (m.cost.size() != n || m.col_lower.size() != n || m.col_upper.size() != n)
    fail(who, "cost, col_lower and col_upper must have num_cols (" + std::to_string(n) + ") entries");
  if (m.row_lower.size() != rows || m.row_upper.size() != rows)
    fail(who, "row_lower and row_upper must have num_rows (" + std::to_string(rows) + ") entries");
  if (!m.integer.empty() && m.integer.size() != n) fail(who, "integer must have one entry per column");
  if (A.start.size() != n + 1 || A.start[0] != 0 || A.index.size() != A.value.size() ||
      size_t(A.start[n]) != A.index.size())
    fail(who, "inconsistent CSC matrix (A_start, A_index, A_value)");
  for (size_t j = 0; j < n; ++j)
    if (A.start[j] > A.start[j + 1]) fail(who, "A_start must not decrease (column " + std::to_string(j) + ")");
  if (m.sense != 1 && m.sense != -1) fail(who, "sense must be 1 or -1");
  check_finite(who, "the objective offset", m.offset);
  for (size_t j = 0; j < n; ++j) {
    const std::string column = named("column", int64_t(j), m.col_names);
    if (!std::isfinite(m.cost[j]))
      fail(who, entry(arrays.cost, int64_t(j)) + "the cost of " + column + " is " + text_of(m.cost[j]) +
                    ": costs must be finite");
    check_bound_values(who, column, m.col_lower[j], m.col_upper[j], entry(arrays.col_lower, int64_t(j)),
                       entry(arrays.col_upper, int64_t(j)));
    for (int64_t p = A.start[j]; p < A.start[j + 1]; ++p) {
      const int32_t i = A.index[size_t(p)];
      if (i < 0 || size_t(i) >= rows)
        fail(who, "row index " + std::to_string(i) + " of " + column + " is out of range (num_rows " +
                      std::to_string(rows) + ")");
      if (!std::isfinite(A.value[size_t(p)]))
        fail(who, arrays.matrix + "[" + std::to_string(i) + ", " + std::to_string(j) + "]: the matrix entry in " +
                      named("row", i, m.row_names) + ", " + column + " is " + text_of(A.value[size_t(p)]) +
                      ": entries must be finite");
    }
  }
  for (size_t i = 0; i < rows; ++i)
    check_bound_values(who, named("row", int64_t(i), m.row_names), m.row_lower[i], m.row_upper[i],
                       entry(arrays.row_lower, int64_t(i)), entry(arrays.row_upper, int64_t(i)));
}

}  // namespace satmip::lp
