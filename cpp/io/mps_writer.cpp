// MPS writer: free MPS that io::parse_mps reads back as the same model (the
// exceptions are listed at format_mps in io/mps.hpp).
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "io/dimacs.hpp"  // FileError
#include "io/mps.hpp"
#include "io/mps_text.hpp"

namespace satmip::io {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Values at least this large are infinite in MPS (as the reader reads them).
constexpr double kInfinityThreshold = 1e30;

[[noreturn]] void invalid(const std::string& what) { throw std::invalid_argument("format_mps: " + what); }

double as_mps_bound(double v) {
  if (v >= kInfinityThreshold) return kInf;
  if (v <= -kInfinityThreshold) return -kInf;
  return v;
}

// ---- checking the model ------------------------------------------------------

void check_size(size_t got, size_t want, const char* what) {
  if (got != want)
    invalid(std::string(what) + " has " + std::to_string(got) + " entries, expected " + std::to_string(want));
}

void check_no_nan(const std::vector<double>& values, const char* what) {
  for (size_t i = 0; i < values.size(); ++i)
    if (std::isnan(values[i])) invalid(std::string(what) + "[" + std::to_string(i) + "] is NaN");
}

void check_model(const lp::Model& m) {
  const lp::SparseMatrix& A = m.A;
  if (A.rows < 0 || A.cols < 0) invalid("negative matrix dimensions");
  size_t rows = size_t(A.rows), cols = size_t(A.cols);
  check_size(m.cost.size(), cols, "cost");
  check_size(m.col_lower.size(), cols, "col_lower");
  check_size(m.col_upper.size(), cols, "col_upper");
  check_size(m.row_lower.size(), rows, "row_lower");
  check_size(m.row_upper.size(), rows, "row_upper");
  if (!m.integer.empty()) check_size(m.integer.size(), cols, "integer");
  if (!m.row_names.empty()) check_size(m.row_names.size(), rows, "row_names");
  if (!m.col_names.empty()) check_size(m.col_names.size(), cols, "col_names");
  check_size(A.start.size(), cols + 1, "A.start");
  check_size(A.value.size(), A.index.size(), "A.value");
  if (A.start[0] != 0) invalid("A.start[0] must be 0");
  for (size_t j = 0; j < cols; ++j)
    if (A.start[j + 1] < A.start[j]) invalid("A.start decreases at column " + std::to_string(j));
  if (A.start[cols] != int64_t(A.index.size()))
    invalid("A.start ends at " + std::to_string(A.start[cols]) + " but A has " +
            std::to_string(A.index.size()) + " entries");
  for (size_t k = 0; k < A.index.size(); ++k) {
    if (A.index[k] < 0 || size_t(A.index[k]) >= rows)
      invalid("A.index[" + std::to_string(k) + "] = " + std::to_string(A.index[k]) + " is not a row");
    if (!std::isfinite(A.value[k])) invalid("A.value[" + std::to_string(k) + "] is not finite");
  }
  for (size_t j = 0; j < cols; ++j)
    if (!std::isfinite(m.cost[j])) invalid("cost[" + std::to_string(j) + "] is not finite");
  check_no_nan(m.col_lower, "col_lower");
  check_no_nan(m.col_upper, "col_upper");
  check_no_nan(m.row_lower, "row_lower");
  check_no_nan(m.row_upper, "row_upper");
  if (m.sense != 1 && m.sense != -1) invalid("sense must be 1 (minimise) or -1 (maximise)");
  if (!std::isfinite(m.offset)) invalid("offset is not finite");
}

// ---- names -----------------------------------------------------------------

// Hands out the names of one MPS name space (rows, or columns): names that are
// fine are kept, the others are repaired and made unique.
class NameSpace {
 public:
  explicit NameSpace(bool rows) : rows_(rows) {}

  // Claims `name` as it is, if it can be written and is not taken.
  bool keep(const std::string& name) { return writable(name) && used_.insert(name).second; }

  // A writable, unused name close to `wanted` (or `fallback` when nothing is left of it).
  std::string derive(const std::string& wanted, const std::string& fallback) {
    std::string base;
    for (char c : wanted) base += is_name_char(c) ? c : '_';
    if (base.empty()) base = fallback;
    if (keep(base)) return base;
    for (size_t k = 1;; ++k) {
      std::string candidate = base + "_" + std::to_string(k);
      if (keep(candidate)) return candidate;
    }
  }

 private:
  static bool is_name_char(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f;
  }
  bool writable(const std::string& name) const {
    if (name.empty()) return false;
    for (char c : name)
      if (!is_name_char(c)) return false;
    // In COLUMNS, a row named 'MARKER' would read as a marker line.
    return !(rows_ && mps_text::equals_keyword(name, "'MARKER'"));
  }
  bool rows_;
  std::unordered_set<std::string> used_;
};

struct Names {
  std::string objective;
  std::vector<std::string> rows, cols;
};

// The given names that can be kept as they are (kept[i] = 1); the others are left empty.
std::vector<std::string> keep_names(NameSpace& space, const std::vector<std::string>& given, size_t count,
                                    std::vector<uint8_t>& kept) {
  std::vector<std::string> out(count);
  for (size_t i = 0; i < count; ++i) {
    if (given.empty() || !space.keep(given[i])) continue;
    out[i] = given[i];
    kept[i] = 1;
  }
  return out;
}

// Valid names are claimed first, so that a repaired name never takes one of them.
Names writable_names(const lp::Model& m) {
  size_t rows = size_t(m.A.rows), cols = size_t(m.A.cols);
  Names names;
  NameSpace row_space(true), col_space(false);
  std::vector<uint8_t> row_kept(rows), col_kept(cols);
  names.rows = keep_names(row_space, m.row_names, rows, row_kept);
  bool objective_kept = row_space.keep(m.objective_name);
  if (objective_kept) names.objective = m.objective_name;
  for (size_t i = 0; i < rows; ++i) {
    if (row_kept[i]) continue;
    names.rows[i] = row_space.derive(m.row_names.empty() ? "" : m.row_names[i], "R" + std::to_string(i));
  }
  if (!objective_kept) names.objective = row_space.derive(m.objective_name, "obj");
  names.cols = keep_names(col_space, m.col_names, cols, col_kept);
  for (size_t j = 0; j < cols; ++j) {
    if (col_kept[j]) continue;
    names.cols[j] = col_space.derive(m.col_names.empty() ? "" : m.col_names[j], "C" + std::to_string(j));
  }
  return names;
}

// ---- rows --------------------------------------------------------------------

struct RowForm {
  char type;          // 'E', 'L' or 'G'
  double rhs;         // may be +-inf (written as +-1e30)
  double range = 0;   // > 0 for a ranged row
};

// A ranged row lo < up, both finite: G with rhs lo or L with rhs up, and a
// width R that the reader's lo + R (or up - R) turns back into the other side.
// up - lo itself can be an ulp off, so its neighbours are tried too. The sums
// lo + R are an ulp of R apart, so for some rows no R hits up exactly (nor
// up - R lo); then the form whose far side is fewest ulps off is taken.
RowForm ranged_form(double lo, double up, const std::string& name) {
  double width = up - lo;
  if (!(width < kInfinityThreshold))
    invalid("row " + name + ": range " + mps_text::format_number(width) +
            " is 1e30 or more, which MPS reads as infinite");
  auto ulps_off = [](double got, double want) {
    return std::fabs(got - want) / (std::nextafter(std::fabs(want), kInf) - std::fabs(want));
  };
  RowForm best{'G', lo, width};
  double best_ulps = kInf;
  double above = width, below = width;
  for (int step = 0; step < 8; ++step) {
    for (double r : {above, below}) {
      if (!(r > 0 && r < kInfinityThreshold)) continue;
      double g_ulps = ulps_off(lo + r, up), l_ulps = ulps_off(up - r, lo);
      if (g_ulps < best_ulps) best = {'G', lo, r}, best_ulps = g_ulps;
      if (l_ulps < best_ulps) best = {'L', up, r}, best_ulps = l_ulps;
      if (best_ulps == 0) return best;
    }
    above = std::nextafter(above, kInf);
    below = std::nextafter(below, 0.0);
  }
  return best;
}

RowForm row_form(double lo, double up, const std::string& name) {
  lo = as_mps_bound(lo);
  up = as_mps_bound(up);
  if (lo == up) return {'E', lo};
  if (lo > up) invalid("row " + name + " has lower bound > upper bound, which MPS cannot express");
  if (lo == -kInf) return {'L', up};  // up = +inf: a free constraint (an N row would be dropped)
  if (up == kInf) return {'G', lo};
  return ranged_form(lo, up, name);
}

// ---- text ----------------------------------------------------------------------

class MpsText {
 public:
  void header(std::string_view section) {
    out_ += section;
    out_ += '\n';
  }
  // A data line: indent, then the fields two blanks apart.
  MpsText& line(std::string_view indent) {
    out_ += indent;
    first_ = true;
    return *this;
  }
  MpsText& field(std::string_view text) {
    if (!first_) out_ += "  ";
    first_ = false;
    out_ += text;
    return *this;
  }
  // Numbers in the shortest form that reads back exactly; +-inf as +-1e30.
  MpsText& number(double v) {
    if (v == kInf) return field("1e+30");
    if (v == -kInf) return field("-1e+30");
    return field(mps_text::format_number(v));
  }
  void end_line() { out_ += '\n'; }
  std::string& str() { return out_; }

 private:
  std::string out_;
  bool first_ = true;
};

std::string model_name_line(const std::string& name) {
  std::string clean;
  for (char c : name) clean += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '_' : c;
  std::string_view trimmed = mps_text::strip(clean);
  return trimmed.empty() ? "NAME" : "NAME " + std::string(trimmed);
}

void write_columns(MpsText& text, const lp::Model& m, const Names& names) {
  const lp::SparseMatrix& A = m.A;
  std::vector<int64_t> last_entry_col(size_t(A.rows), -1);  // finds duplicate entries
  bool in_integer_block = false;
  text.header("COLUMNS");
  for (size_t j = 0; j < size_t(A.cols); ++j) {
    bool integer = !m.integer.empty() && m.integer[j];
    if (integer != in_integer_block) {
      text.line("    ").field("MARKER").field("'MARKER'").field(integer ? "'INTORG'" : "'INTEND'").end_line();
      in_integer_block = integer;
    }
    const std::string& col = names.cols[j];
    bool written = false;
    if (m.cost[j] != 0.0) {
      text.line("    ").field(col).field(names.objective).number(m.cost[j]).end_line();
      written = true;
    }
    for (int64_t k = A.start[j]; k < A.start[j + 1]; ++k) {
      size_t row = size_t(A.index[size_t(k)]);
      if (last_entry_col[row] == int64_t(j))
        invalid("column " + col + " has two entries in row " + names.rows[row]);
      last_entry_col[row] = int64_t(j);
      if (A.value[size_t(k)] == 0.0) continue;  // the reader drops explicit zeros anyway
      text.line("    ").field(col).field(names.rows[row]).number(A.value[size_t(k)]).end_line();
      written = true;
    }
    // A column exists only through a COLUMNS line; a zero entry declares it.
    if (!written) text.line("    ").field(col).field(names.objective).field("0").end_line();
  }
  if (in_integer_block) text.line("    ").field("MARKER").field("'MARKER'").field("'INTEND'").end_line();
}

// Bounds that differ from the default [0, +inf); integer columns get both
// sides explicitly so that no reader applies the marker-binary convention.
void write_bounds(MpsText& text, const lp::Model& m, const Names& names) {
  bool header_written = false;
  auto bound = [&](const char* type, size_t j) -> MpsText& {
    if (!header_written) text.header("BOUNDS");
    header_written = true;
    return text.line(" ").field(type).field("BND").field(names.cols[j]);
  };
  for (size_t j = 0; j < size_t(m.A.cols); ++j) {
    bool integer = !m.integer.empty() && m.integer[j];
    double lo = as_mps_bound(m.col_lower[j]), up = as_mps_bound(m.col_upper[j]);
    if (lo == up) {
      bound("FX", j).number(lo).end_line();
      continue;
    }
    if (lo == -kInf && up == kInf) {
      bound("FR", j).end_line();
      continue;
    }
    // LO 0 also before a negative UP: readers differ on what UP < 0 does to a zero lower bound.
    if (lo == -kInf) {
      bound("MI", j).end_line();
    } else if (lo != 0.0 || integer || up < 0) {
      bound("LO", j).number(lo).end_line();
    }
    if (up != kInf) {
      bound("UP", j).number(up).end_line();
    } else if (integer) {
      bound("PL", j).end_line();
    }
  }
}

}  // namespace

std::string format_mps(const lp::Model& m) {
  check_model(m);
  Names names = writable_names(m);
  size_t rows = size_t(m.A.rows);
  std::vector<RowForm> forms;
  forms.reserve(rows);
  for (size_t i = 0; i < rows; ++i) forms.push_back(row_form(m.row_lower[i], m.row_upper[i], names.rows[i]));

  MpsText text;
  text.str().reserve(64 * (rows + size_t(m.A.cols) + m.A.index.size()));
  text.header(model_name_line(m.name));
  if (m.sense == -1) {
    text.header("OBJSENSE");
    text.line("    ").field("MAX").end_line();
  }
  text.header("ROWS");
  text.line(" ").field("N").field(names.objective).end_line();
  for (size_t i = 0; i < rows; ++i)
    text.line(" ").field(std::string_view(&forms[i].type, 1)).field(names.rows[i]).end_line();

  write_columns(text, m, names);

  text.header("RHS");
  if (m.offset != 0.0) text.line("    ").field("RHS").field(names.objective).number(-m.offset).end_line();
  for (size_t i = 0; i < rows; ++i)
    if (forms[i].rhs != 0.0)
      text.line("    ").field("RHS").field(names.rows[i]).number(forms[i].rhs).end_line();
  bool ranges_written = false;
  for (size_t i = 0; i < rows; ++i) {
    if (forms[i].range == 0.0) continue;
    if (!ranges_written) text.header("RANGES");
    ranges_written = true;
    text.line("    ").field("RNG").field(names.rows[i]).number(forms[i].range).end_line();
  }
  write_bounds(text, m, names);
  text.header("ENDATA");
  return std::move(text.str());
}

void write_mps_file(const lp::Model& model, const std::string& path) {
  std::string text = format_mps(model);
  FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) {
    int err = errno;
    throw FileError(path, std::string("cannot open for writing: ") + std::strerror(err));
  }
  size_t written = std::fwrite(text.data(), 1, text.size(), file);
  int write_err = written == text.size() ? 0 : errno;
  if (std::fclose(file) != 0 && write_err == 0) write_err = errno;
  if (written != text.size() || write_err != 0)
    throw FileError(path, std::string("write error: ") + std::strerror(write_err ? write_err : EIO));
}

}  // namespace satmip::io
