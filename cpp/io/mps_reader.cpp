// MPS reader: a port of the reference reader python/satmip/bench/mps.py (same
// dialect, warnings and error messages; see io/mps.hpp). One pass over the
// lines, pulled one at a time from the (decompressing) input, so memory is
// that of the model; fields are views into the current line, and the names
// kept are copied into a NameStore.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "io/input_stream.hpp"
#include "io/mps.hpp"
#include "io/mps_lines.hpp"
#include "io/mps_text.hpp"
#include "io/name_table.hpp"

namespace satmip::io {

MpsError::MpsError(const std::string& file_, long line_, const std::string& reason_)
    : std::invalid_argument(file_ + ":" + std::to_string(line_) + ": " + reason_),
      file(file_),
      line(line_),
      reason(reason_) {}

namespace {

using mps_text::equals_keyword;
using mps_text::is_space;
using mps_text::py_repr;

constexpr double kInf = std::numeric_limits<double>::infinity();
// MPS writers use 1e30 for "no bound": RHS, RANGES and BOUNDS values at least
// this large are infinite.
constexpr double kInfinityThreshold = 1e30;
// Row-table codes of N rows (constraint rows have their index, >= 0).
constexpr int32_t kObjectiveRow = -1;
constexpr int32_t kDroppedRow = -2;
// Room for the codes above and for "count + 1" arrays.
constexpr size_t kMaxRowsOrColumns = size_t(INT32_MAX) - 2;

enum class Section { kNone, kName, kObjSense, kObjName, kRows, kColumns, kRhs, kRanges, kBounds };

enum class Bound { kUp, kLo, kFx, kLi, kUi, kMi, kPl, kFr, kBv, kUnknown };

// The fields of one data line (views into the text).
struct Fields {
  const std::string_view* data = nullptr;
  size_t size = 0;
  std::string_view operator[](size_t i) const { return data[i]; }
  Fields tail(size_t from) const { return from < size ? Fields{data + from, size - from} : Fields{}; }
  std::string joined() const {  // Python's ' '.join(fields)
    std::string out;
    for (size_t i = 0; i < size; ++i) {
      if (i) out += ' ';
      out += data[i];
    }
    return out;
  }
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  return out;
}

bool is_one_of(std::string_view keyword, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (keyword == w) return true;
  return false;
}

// Sections that change the model: reading past them would give the wrong problem.
bool is_unsupported_section(std::string_view keyword) {
  return is_one_of(keyword, {"QUADOBJ", "QMATRIX", "QSECTION", "QCMATRIX", "CSECTION", "SOS", "SETS",
                             "INDICATORS", "GENCONS", "PWLOBJ", "LAZYCONS", "USERCUTS", "SCENARIOS",
                             "BRANCH"});
}

std::optional<Section> section_of(std::string_view keyword) {
  if (keyword == "NAME") return Section::kName;
  if (keyword == "OBJSENSE" || keyword == "OBJSENS") return Section::kObjSense;
  if (keyword == "OBJNAME") return Section::kObjName;
  if (keyword == "ROWS") return Section::kRows;
  if (keyword == "COLUMNS") return Section::kColumns;
  if (keyword == "RHS") return Section::kRhs;
  if (keyword == "RANGES") return Section::kRanges;
  if (keyword == "BOUNDS") return Section::kBounds;
  return std::nullopt;
}

bool is_sense_word(std::string_view word, bool& maximise) {
  if (equals_keyword(word, "MAX") || equals_keyword(word, "MAXIMIZE") || equals_keyword(word, "MAXIMISE")) {
    maximise = true;
    return true;
  }
  if (equals_keyword(word, "MIN") || equals_keyword(word, "MINIMIZE") || equals_keyword(word, "MINIMISE")) {
    maximise = false;
    return true;
  }
  return false;
}

Bound bound_of(std::string_view type) {
  static constexpr std::pair<std::string_view, Bound> kTypes[] = {
      {"UP", Bound::kUp}, {"LO", Bound::kLo}, {"FX", Bound::kFx}, {"LI", Bound::kLi}, {"UI", Bound::kUi},
      {"MI", Bound::kMi}, {"PL", Bound::kPl}, {"FR", Bound::kFr}, {"BV", Bound::kBv}};
  for (const auto& [name, bound] : kTypes)
    if (equals_keyword(type, name)) return bound;
  return Bound::kUnknown;
}

bool takes_value(Bound b) {
  return b == Bound::kUp || b == Bound::kLo || b == Bound::kFx || b == Bound::kLi || b == Bound::kUi;
}
bool sets_lower(Bound b) {
  return b == Bound::kLo || b == Bound::kFx || b == Bound::kMi || b == Bound::kFr || b == Bound::kBv ||
         b == Bound::kLi;
}
bool sets_upper(Bound b) {
  return b == Bound::kUp || b == Bound::kFx || b == Bound::kPl || b == Bound::kFr || b == Bound::kBv ||
         b == Bound::kUi;
}

// [lower, upper] of a row from its type, RHS and RANGES value (the standard table).
std::pair<double, double> row_interval(char type, double rhs, bool has_range, double span) {
  if (!has_range) {
    if (type == 'E') return {rhs, rhs};
    if (type == 'L') return {-kInf, rhs};
    return {rhs, kInf};
  }
  double width = std::fabs(span);
  if (type == 'L' || (type == 'E' && span < 0)) return {rhs - width, rhs};
  if (type == 'G' || (type == 'E' && span > 0)) return {rhs, rhs + width};
  return {rhs, rhs};  // E row with range 0
}

// Standard fixed-MPS field positions (0-based, end exclusive, in characters)
// and the gaps between them, which must be blank.
constexpr std::pair<size_t, size_t> kFixedFields[] = {{1, 3},   {4, 12},  {14, 22},
                                                     {24, 36}, {39, 47}, {49, 61}};
constexpr std::pair<size_t, size_t> kFixedGaps[] = {{0, 1}, {3, 4}, {12, 14}, {22, 24}, {36, 39}, {47, 49}};

constexpr const char* kNoEndata = "the file ends without ENDATA (cut off?): the model is what was read up to here";

class MpsParser {
 public:
  MpsParser(MpsLines& lines, const std::string& path, bool fixed) : lines_(lines), path_(path), fixed_(fixed) {}

  lp::Model parse() {
    std::string_view raw;
    bool ended = false;
    while (lines_.next(raw)) {
      ++lineno_;
      if (lines_.stopped_at_nul()) fail("NUL byte in the line: not MPS text (a binary file?)");
      if (lines_.too_long())
        fail("line longer than " + std::to_string(MpsLines::kMaxLine >> 20) + " MiB: not MPS text");
      std::string_view line = mps_text::rstrip(raw);  // also drops CRLF's \r
      if (line.empty() || line[0] == '*') continue;
      if (!is_space(line[0]) && !is_unindented_sense(line)) {
        if ((ended = start_section(line))) break;  // ENDATA: what follows is not part of the model
        continue;
      }
      if (fixed_) split_fixed(line);
      else split_free(line);
      if (!fields_.empty()) data_line(Fields{fields_.data(), fields_.size()});
    }
    // Read anyway (some writers leave it out), but say so: a cut-off file is another model.
    if (!ended) warn(kNoEndata);
    return finish();
  }

 private:
  // ---- errors, warnings, numbers -------------------------------------------

  [[noreturn]] void fail(const std::string& reason) const { throw MpsError(path_, lineno_, reason); }

  void warn(const std::string& reason) {
    warnings_.push_back(path_ + ":" + std::to_string(lineno_) + ": " + reason);
  }

  // Every number must be finite, wherever it is: an infinite coefficient
  // makes a model whose rows no point can be checked against. Infinite RHS,
  // RANGES and BOUNDS values are written as 1e30 or more (bound_number).
  double number(std::string_view token) const {
    double value;
    if (!mps_text::parse_number(token, value)) fail("bad number " + py_repr(token));
    if (!std::isfinite(value))
      fail("number " + py_repr(token) + " is not finite (write 1e30 or more for an infinite bound)");
    return value;
  }

  double bound_number(std::string_view token) const {
    double value = number(token);
    if (value >= kInfinityThreshold) return kInf;
    if (value <= -kInfinityThreshold) return -kInf;
    return value;
  }

  // ---- splitting lines -----------------------------------------------------

  void split_free(std::string_view line) {
    fields_.clear();
    size_t i = 0, n = line.size();
    for (;;) {
      while (i < n && is_space(line[i])) ++i;
      if (i == n) return;
      size_t begin = i;
      while (i < n && !is_space(line[i])) ++i;
      fields_.push_back(line.substr(begin, i - begin));
    }
  }

  // Characters [from, to) of the line; the positions count characters, not
  // bytes, as the reference reader does.
  std::string_view char_slice(std::string_view line, size_t from, size_t to) const {
    if (char_starts_.empty()) {
      from = std::min(from, line.size());
      to = std::min(to, line.size());
      return line.substr(from, to - from);
    }
    size_t chars = char_starts_.size() - 1;
    size_t begin = char_starts_[std::min(from, chars)], end = char_starts_[std::min(to, chars)];
    return line.substr(begin, end - begin);
  }

  void split_fixed(std::string_view line) {
    char_starts_.clear();
    for (char c : line) {
      if (static_cast<unsigned char>(c) >= 0x80) {  // multi-byte characters: index them
        for (size_t i = 0; i < line.size(); ++i)
          if ((static_cast<unsigned char>(line[i]) & 0xc0) != 0x80) char_starts_.push_back(i);
        char_starts_.push_back(line.size());
        break;
      }
    }
    for (auto [from, to] : kFixedGaps)
      if (!mps_text::strip(char_slice(line, from, to)).empty())
        fail("text in columns " + std::to_string(from + 1) + "-" + std::to_string(to) +
             " lies outside the fixed MPS fields");
    fields_.clear();
    for (auto [from, to] : kFixedFields) {
      std::string_view field = mps_text::strip(char_slice(line, from, to));
      if (!field.empty()) fields_.push_back(field);
    }
  }

  // ---- sections ------------------------------------------------------------

  // "OBJSENSE" followed by "MAX" written in column 1, as some writers do.
  bool is_unindented_sense(std::string_view line) const {
    bool maximise;
    return section_ == Section::kObjSense && is_sense_word(line, maximise);
  }

  // Handles a section header; returns true at ENDATA.
  bool start_section(std::string_view line) {
    split_free(line);
    std::string keyword = upper(fields_[0]);
    if (is_unsupported_section(keyword))
      fail("section " + keyword + " is not supported (only linear MPS is read)");
    std::optional<Section> next = section_of(keyword);
    if (!next) {
      if (keyword == "ENDATA") return true;
      fail("unknown section " + py_repr(fields_[0]));
    }
    if (section_ == Section::kColumns) close_columns();
    section_ = *next;
    if (section_ == Section::kName) {
      name_ = names_.keep(mps_text::strip(line.substr(4)));
    } else if (section_ == Section::kRows) {
      seen_rows_ = true;
    } else if (fields_.size() > 1 && (section_ == Section::kObjSense || section_ == Section::kObjName)) {
      data_line(Fields{fields_.data(), fields_.size()}.tail(1));  // free MPS: the value on the header line
    }
    return false;
  }

  void data_line(Fields f) {
    switch (section_) {
      case Section::kRows: return rows_line(f);
      case Section::kColumns: return columns_line(f);
      case Section::kRhs: return rhs_line(f);
      case Section::kRanges: return ranges_line(f);
      case Section::kBounds: return bounds_line(f);
      case Section::kObjSense: return objsense_line(f);
      case Section::kObjName: return objname_line(f);
      case Section::kNone:
      case Section::kName: break;
    }
    std::string where = section_ == Section::kName ? "section NAME" : "any section";
    fail("data line " + py_repr(f.joined()) + " outside " + where + " that takes data");
  }

  // ---- OBJSENSE / OBJNAME --------------------------------------------------

  void objsense_line(Fields f) {
    bool maximise;
    if (f.size != 1 || !is_sense_word(f[0], maximise))
      fail("OBJSENSE must be MIN or MAX, not " + py_repr(f.joined()));
    sense_ = maximise ? -1 : 1;
  }

  void objname_line(Fields f) {
    if (f.size != 1) fail("OBJNAME takes one row name, not " + py_repr(f.joined()));
    if (seen_rows_) fail("OBJNAME must come before ROWS");
    objective_choice_ = names_.keep(f[0]);
  }

  // ---- ROWS ----------------------------------------------------------------

  void rows_line(Fields f) {
    if (f.size != 2) fail("ROWS line needs a type and a name, got " + py_repr(f.joined()));
    std::string_view type = f[0], name = f[1];  // name: kept once known to be new
    char t = type.size() == 1 ? char(type[0] & ~0x20) : '?';  // ASCII upper case
    if (t != 'N' && t != 'E' && t != 'L' && t != 'G')
      fail("unknown row type " + py_repr(type) + " for row " + py_repr(name));
    if (row_code_.contains(name)) fail("duplicate row name " + py_repr(name));
    name = names_.keep(name);
    if (t == 'N') {
      row_code_.insert(name, n_row_code(name));
      return;
    }
    if (row_names_.size() >= kMaxRowsOrColumns) fail("too many rows");
    row_code_.insert(name, int32_t(row_names_.size()));
    row_names_.push_back(name);
    row_types_.push_back(t);
    rhs_.push_back(0.0);
    range_.push_back(0.0);
    has_range_.push_back(0);
    has_rhs_.push_back(0);
    row_mark_.push_back(-1);
  }

  // The first N row (or the one OBJNAME names) is the objective; others are dropped.
  int32_t n_row_code(std::string_view name) {
    if (!objective_name_ && (!objective_choice_ || *objective_choice_ == name)) {
      objective_name_ = name;
      return kObjectiveRow;
    }
    return kDroppedRow;
  }

  int32_t row_for(std::string_view name, const char* section) const {
    const int32_t* code = row_code_.find(name);
    if (!code) fail("unknown row " + py_repr(name) + " in " + section);
    return *code;
  }

  // ---- COLUMNS -------------------------------------------------------------

  void columns_line(Fields f) {
    if (f.size >= 2 && equals_keyword(f[1], "'MARKER'")) return marker_line(f);
    if (f.size != 3 && f.size != 5)
      fail("COLUMNS line needs a column and one or two (row, value) pairs, got " + std::to_string(f.size) +
           " fields");
    int32_t col = column_for(f[0]);
    add_entry(col, f[1], f[2]);
    if (f.size == 5) add_entry(col, f[3], f[4]);
  }

  void marker_line(Fields f) {
    std::string kind;
    if (f.size == 3) {
      std::string_view word = f[2];
      while (!word.empty() && word.front() == '\'') word.remove_prefix(1);
      while (!word.empty() && word.back() == '\'') word.remove_suffix(1);
      kind = upper(word);
    }
    if (kind == "INTORG" && !in_integer_block_) {
      in_integer_block_ = true;
    } else if (kind == "INTEND" && in_integer_block_) {
      in_integer_block_ = false;
    } else {
      const char* state = in_integer_block_ ? "inside" : "outside";
      fail("unexpected marker " + py_repr(f.tail(2).joined()) + " " + state + " an INTORG block");
    }
  }

  int32_t column_for(std::string_view name) {
    if (current_col_ >= 0 && col_names_[size_t(current_col_)] == name) return current_col_;
    if (col_names_.size() >= kMaxRowsOrColumns) fail("too many columns");
    if (col_code_.contains(name))
      fail("column " + py_repr(name) + " appears again after other columns (its entries must be together)");
    name = names_.keep(name);
    col_code_.insert(name, int32_t(col_names_.size()));
    current_col_ = int32_t(col_names_.size());
    col_names_.push_back(name);
    cost_.push_back(0.0);
    integer_.push_back(in_integer_block_);
    binary_by_default_.push_back(in_integer_block_);
    lower_.push_back(0.0);
    upper_.push_back(kInf);
    has_lower_.push_back(0);
    has_upper_.push_back(0);
    col_count_.push_back(0);
    return current_col_;
  }

  void add_entry(int32_t col, std::string_view row_name, std::string_view token) {
    int32_t row = row_for(row_name, "COLUMNS");
    double value = number(token);
    if (row == kDroppedRow || value == 0.0) return;  // free rows are not in the model; zeros are not stored
    int32_t& mark = row_mark_[size_t(row + 1)];     // slot 0: the objective
    if (mark == col) {
      warn("column " + py_repr(col_names_[size_t(col)]) + " has a second value for row " + py_repr(row_name) +
           ": ignored");
      return;
    }
    mark = col;
    if (row == kObjectiveRow) {
      cost_[size_t(col)] = value;
      return;
    }
    entry_rows_.push_back(row);
    entry_values_.push_back(value);
    ++col_count_[size_t(col)];
  }

  void close_columns() {
    if (in_integer_block_) {
      warn("INTORG marker block not closed by INTEND before the end of COLUMNS");
      in_integer_block_ = false;
    }
  }

  // ---- RHS and RANGES ------------------------------------------------------

  // Index of the first row name of an RHS/RANGES line: an odd field count means a set name leads.
  size_t first_pair(Fields f, const char* section) const {
    if (f.size < 2 || f.size > 5)
      fail(std::string(section) + " line needs an optional set name and one or two (row, value) pairs");
    return f.size % 2;
  }

  void rhs_line(Fields f) {
    for (size_t i = first_pair(f, "RHS"); i < f.size; i += 2) {
      std::string_view row_name = f[i], token = f[i + 1];
      int32_t row = row_for(row_name, "RHS");
      if (row == kObjectiveRow) {
        set_objective_constant(row_name, number(token));
      } else if (row == kDroppedRow) {
        warn("RHS on free row " + py_repr(row_name) + " ignored (the row is dropped)");
      } else if (first_value(has_rhs_, row, row_name, "RHS")) {
        rhs_[size_t(row)] = bound_number(token);
      }
    }
  }

  void set_objective_constant(std::string_view row_name, double value) {
    if (offset_set_) {
      warn("second RHS value for objective row " + py_repr(row_name) + " ignored");
      return;
    }
    offset_ = -value;  // MPS convention: RHS on the objective is minus the constant
    offset_set_ = true;
  }

  // True the first time a row gets a value in this section; later ones are ignored (as HiGHS).
  bool first_value(std::vector<uint8_t>& given, int32_t row, std::string_view row_name, const char* section) {
    if (given[size_t(row)]) {
      warn(std::string("second ") + section + " value for row " + py_repr(row_name) + " ignored");
      return false;
    }
    given[size_t(row)] = 1;
    return true;
  }

  void ranges_line(Fields f) {
    for (size_t i = first_pair(f, "RANGES"); i < f.size; i += 2) {
      std::string_view row_name = f[i], token = f[i + 1];
      int32_t row = row_for(row_name, "RANGES");
      if (row < 0) {
        warn("RANGES entry for N row " + py_repr(row_name) + " ignored");
      } else if (first_value(has_range_, row, row_name, "RANGES")) {
        range_[size_t(row)] = bound_number(token);
      }
    }
  }

  // ---- BOUNDS --------------------------------------------------------------

  void bounds_line(Fields f) {
    std::string type = upper(f[0]);
    if (type == "SC" || type == "SI")
      fail("bound type " + std::string(f[0]) + " (semi-continuous/semi-integer) is not supported");
    Bound bound = bound_of(type);
    if (bound == Bound::kUnknown) fail("unknown bound type " + py_repr(f[0]));
    std::string_view col_name;
    std::optional<std::string_view> token;
    if (takes_value(bound)) {
      if (f.size == 3) col_name = f[1], token = f[2];
      else if (f.size == 4) col_name = f[2], token = f[3];
      else fail(std::string(f[0]) + " bound needs an optional bound name, a column and a value");
    } else {
      col_name = column_of_valueless_bound(f);
    }
    const int32_t* col = col_code_.find(col_name);
    if (!col) fail("unknown column " + py_repr(col_name) + " in BOUNDS");
    apply_bound(bound, type, *col, token ? bound_number(*token) : 0.0);
  }

  // MI/PL/FR/BV lines: "MI BND x", "MI x" or "MI x <ignored value>"; with three
  // fields a known column first means there is no bound name (as HiGHS).
  std::string_view column_of_valueless_bound(Fields f) const {
    if (f.size == 2) return f[1];
    if (f.size == 3) {
      bool first_is_column = col_code_.contains(f[1]) && !col_code_.contains(f[2]);
      return first_is_column ? f[1] : f[2];
    }
    if (f.size == 4) return f[2];
    fail(std::string(f[0]) + " bound needs an optional bound name and a column");
  }

  void apply_bound(Bound bound, const std::string& type, int32_t col, double value) {
    size_t j = size_t(col);
    bool lower_side = sets_lower(bound), upper_side = sets_upper(bound);
    if ((lower_side && has_lower_[j]) || (upper_side && has_upper_[j])) {
      const char* side = lower_side && has_lower_[j] ? "lower" : "upper";
      warn(type + " bound on column " + py_repr(col_names_[j]) + " ignored: its " + side +
           " bound is already set (HiGHS keeps the first)");
      return;
    }
    binary_by_default_[j] = 0;
    has_lower_[j] |= lower_side;
    has_upper_[j] |= upper_side;
    if (bound == Bound::kBv || bound == Bound::kLi || bound == Bound::kUi) integer_[j] = 1;
    if (bound == Bound::kBv) {
      lower_[j] = 0.0;
      upper_[j] = 1.0;
    } else if (bound == Bound::kMi || bound == Bound::kFr) {
      lower_[j] = -kInf;
    }
    if (bound == Bound::kPl || bound == Bound::kFr) upper_[j] = kInf;
    if (bound == Bound::kLo || bound == Bound::kFx || bound == Bound::kLi) lower_[j] = value;
    if (bound == Bound::kUp || bound == Bound::kFx || bound == Bound::kUi) set_upper(j, value);
    bool integer_bound = bound == Bound::kLi || bound == Bound::kUi;
    if (integer_bound && std::isfinite(value) && value != std::nearbyint(value))
      warn(type + " bound " + py_repr(value) + " on integer column " + py_repr(col_names_[j]) +
           " is not integral");
  }

  void set_upper(size_t j, double value) {
    if (value < 0 && lower_[j] == 0.0)
      warn("negative upper bound " + py_repr(value) + " on column " + py_repr(col_names_[j]) +
           " with lower bound 0: lower bound kept at 0, as HiGHS does (some readers make it -inf)");
    upper_[j] = value;
  }

  // ---- result --------------------------------------------------------------

  lp::Model finish() {
    if (!seen_rows_) fail("no ROWS section: not an MPS file");
    if (section_ == Section::kColumns) close_columns();
    if (objective_choice_ && objective_name_ != objective_choice_)
      fail("OBJNAME names " + py_repr(*objective_choice_) + ", which is not an N row");
    if (!objective_name_) warnings_.push_back(path_ + ": no N row, so the objective is 0");

    lp::Model m;
    m.name = std::string(name_);
    m.objective_name = std::string(objective_name_.value_or(""));
    m.sense = sense_;
    m.offset = offset_;
    size_t rows = row_names_.size(), cols = col_names_.size();
    m.row_lower.resize(rows);
    m.row_upper.resize(rows);
    for (size_t i = 0; i < rows; ++i)
      std::tie(m.row_lower[i], m.row_upper[i]) =
          row_interval(row_types_[i], rhs_[i], has_range_[i], range_[i]);
    // Marker-block integers that no BOUNDS entry touched are binary (MPSX convention).
    for (size_t j = 0; j < cols; ++j) {
      if (binary_by_default_[j]) {
        lower_[j] = 0.0;
        upper_[j] = 1.0;
      }
    }
    m.cost = std::move(cost_);
    m.col_lower = std::move(lower_);
    m.col_upper = std::move(upper_);
    m.integer = std::move(integer_);
    // Entries were read column by column, so they already are in CSC order.
    m.A.rows = int32_t(rows);
    m.A.cols = int32_t(cols);
    m.A.start.assign(cols + 1, 0);
    for (size_t j = 0; j < cols; ++j) m.A.start[j + 1] = m.A.start[j] + col_count_[j];
    m.A.index = std::move(entry_rows_);
    m.A.value = std::move(entry_values_);
    m.row_names.assign(row_names_.begin(), row_names_.end());
    m.col_names.assign(col_names_.begin(), col_names_.end());
    m.warnings = std::move(warnings_);
    return m;
  }

  MpsLines& lines_;
  NameStore names_;  // row, column, model and objective names (the lines are gone)
  const std::string& path_;
  bool fixed_;
  long lineno_ = 0;
  Section section_ = Section::kNone;
  std::vector<std::string_view> fields_;  // of the current line, reused
  std::vector<size_t> char_starts_;       // fixed format, non-ASCII line: byte offset of each character

  std::string_view name_;
  int sense_ = 1;
  bool seen_rows_ = false;
  std::optional<std::string_view> objective_choice_;  // from OBJNAME
  std::optional<std::string_view> objective_name_;
  double offset_ = 0.0;
  bool offset_set_ = false;
  std::vector<std::string> warnings_;

  // rows: name -> constraint index, or kObjectiveRow / kDroppedRow
  NameTable row_code_;
  std::vector<std::string_view> row_names_;
  std::vector<char> row_types_;  // 'E', 'L' or 'G'
  std::vector<double> rhs_, range_;
  std::vector<uint8_t> has_rhs_, has_range_;
  // Per row (slot 0: the objective, slot i + 1: row i), the last column with
  // an entry in it; finds a repeated entry within a column.
  std::vector<int32_t> row_mark_{-1};

  // columns
  NameTable col_code_;
  std::vector<std::string_view> col_names_;
  std::vector<double> cost_, lower_, upper_;
  std::vector<uint8_t> integer_, binary_by_default_, has_lower_, has_upper_;
  std::vector<int64_t> col_count_;  // matrix entries per column
  bool in_integer_block_ = false;
  int32_t current_col_ = -1;

  // matrix entries in the order read (column by column)
  std::vector<int32_t> entry_rows_;
  std::vector<double> entry_values_;
};


// One reading of the whole text. Before its result or error counts, the
// rest of the text is read to settle its encoding (NotUtf8: read again).
lp::Model parse_once(ByteSource& source, const std::string& name, bool fixed, bool latin1) {
  MpsLines lines(source, latin1);
  lp::Model model;
  try {
    model = MpsParser(lines, name, fixed).parse();
  } catch (const MpsError&) {
    lines.check_rest_encoding();
    throw;
  }
  lines.check_rest_encoding();
  return model;
}

// A file is read once per attempt (free format, then fixed; UTF-8, then
// Latin-1), each time from its start: nothing of it is held in between.
template <class OpenSource>
lp::Model parse_source(OpenSource open, const std::string& name, MpsFormat format, bool latin1) {
  if (format != MpsFormat::kAuto) return parse_once(*open(), name, format == MpsFormat::kFixed, latin1);
  std::optional<MpsError> free_error;
  try {
    return parse_once(*open(), name, false, latin1);
  } catch (const MpsError& e) {
    free_error = e;
  }
  lp::Model model;
  try {
    model = parse_once(*open(), name, true, latin1);
  } catch (const MpsError& fixed_error) {
    // The reading that got further is most likely the one the file was written for.
    if (fixed_error.line > free_error->line) throw;
    throw *free_error;
  }
  std::string note = name + ": read as fixed-format MPS because free format failed: " + free_error->reason;
  model.warnings.insert(model.warnings.begin(), note);
  return model;
}

// Decode as the reference reader does: UTF-8, or Latin-1 when that fails.
template <class OpenSource>
lp::Model parse_decoded(OpenSource open, const std::string& name, MpsFormat format) {
  try {
    return parse_source(open, name, format, false);
  } catch (const NotUtf8&) {
    return parse_source(open, name, format, true);
  }
}

}  // namespace

lp::Model parse_mps(const std::string& text, const std::string& name, MpsFormat format) {
  return parse_decoded([&] { return std::make_unique<StringSource>(text); }, name, format);
}

lp::Model read_mps_file(const std::string& path, MpsFormat format) {
  return parse_decoded([&] { return std::make_unique<FileSource>(path); }, path, format);
}

}  // namespace satmip::io
