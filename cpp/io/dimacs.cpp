// DIMACS CNF reader: a single hand-written pass over the bytes, pulled a
// chunk at a time from a ByteSource (a decompressing file or a string), so
// that only the formula itself is held in memory.
#include "io/dimacs.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace satmip::io {

DimacsError::DimacsError(const std::string& file_, long line_, const std::string& msg)
    : std::invalid_argument(file_ + ":" + std::to_string(line_) + ": " + msg),
      file(file_),
      line(line_) {}

// ===========================================================================
// Parsing
// ===========================================================================
namespace {

// Variables are limited to 2^31-2 so that nvars+1 (arrays indexed by variable)
// and -var both fit in int32.
constexpr uint64_t kMaxVar = uint64_t(INT32_MAX) - 1;
constexpr uint64_t kMaxClauses = uint64_t(INT64_MAX);

enum CharClass : uint8_t { kBad, kBlank, kNewline, kDigit, kMinus, kOther };

constexpr std::array<uint8_t, 256> make_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c < 0x20 || c >= 0x7f) t[c] = kBad;
    else if (c >= '0' && c <= '9') t[c] = kDigit;
    else t[c] = kOther;
  }
  t[' '] = t['\t'] = t['\r'] = t['\v'] = t['\f'] = kBlank;
  t['\n'] = kNewline;
  t['-'] = kMinus;
  return t;
}
constexpr std::array<uint8_t, 256> kClass = make_classes();

inline uint8_t cls(char c) { return kClass[static_cast<unsigned char>(c)]; }
inline bool is_space(char c) { return cls(c) == kBlank || cls(c) == kNewline; }

// Printable excerpt of input for error messages (never spans lines).
std::string excerpt(std::string_view s, size_t max_len = 40) {
  std::string out;
  for (char c : s.substr(0, max_len)) out += (cls(c) == kBad) ? '?' : c;
  if (s.size() > max_len) out += "...";
  return out;
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", c);
  return buf;
}

// Parses an unsigned decimal number (digits only) not above `limit`.
enum class NumResult { kOk, kMalformed, kTooLarge };
NumResult parse_unsigned(std::string_view s, uint64_t limit, uint64_t& value) {
  if (s.empty()) return NumResult::kMalformed;
  value = 0;
  for (char c : s) {
    if (cls(c) != kDigit) return NumResult::kMalformed;
    if (value > (limit - uint64_t(c - '0')) / 10) return NumResult::kTooLarge;
    value = value * 10 + uint64_t(c - '0');
  }
  return NumResult::kOk;
}

// Longest text kept of a token or header line for parsing and messages;
// beyond it a token is reported, not read on (an endless one must not hang).
constexpr size_t kMaxHeaderText = 4096;
constexpr size_t kMaxTokenScan = 4096;

class Parser {
 public:
  Parser(ByteSource& source, const std::string& name, bool strict, int64_t var_limit)
      : source_(source), name_(name), strict_(strict), var_limit_(var_limit > 0 ? uint64_t(var_limit) : kMaxVar) {}

  Cnf run() {
    bool line_start = true;  // only blanks since the last newline
    while (more()) {
      char c = *p_;
      switch (cls(c)) {
        case kNewline: ++line_; ++p_; line_start = true; break;
        case kBlank: ++p_; break;
        case kDigit:
        case kMinus: parse_literal(); line_start = false; break;
        case kBad:
          fail(line_, "unexpected character " + hex_byte(static_cast<unsigned char>(c)));
        default:  // kOther: 'c', 'p' and '%' mean something only at the start of a line
          if (line_start && c == 'c') { skip_to_newline(); break; }
          if (line_start && c == 'p') { parse_header(); break; }
          if (line_start && c == '%') return finish(line_, "before the '%' end marker");
          fail_token("");
      }
    }
    return finish(eof_line(), "at end of file");
  }

 private:
  [[noreturn]] void fail(long line, const std::string& msg) const { throw DimacsError(name_, line, msg); }

  // ---- input: p_ .. end_ is the unread part of the current chunk ----------

  // True when a byte is available at p_ (fetching the next chunk if needed).
  bool more() {
    if (p_ < end_) return true;
    while (!eof_) {
      if (end_ > chunk_begin_) last_byte_ = end_[-1];
      if (!source_.next(chunk_begin_, end_)) {
        eof_ = true;
        p_ = end_ = chunk_begin_ = nullptr;
        return false;
      }
      p_ = chunk_begin_;
      if (p_ < end_) return true;
    }
    return false;
  }

  // Line of the last byte: a final newline does not start another line.
  long eof_line() const { return last_byte_ == '\n' ? line_ - 1 : line_; }

  // The rest of a token that is not a literal (its first bytes, already
  // consumed, in `read`): name the bad byte if there is one, else quote it.
  [[noreturn]] void fail_token(std::string read) {
    for (char c : read)
      if (cls(c) == kBad) fail(line_, "unexpected character " + hex_byte(static_cast<unsigned char>(c)));
    while (read.size() < kMaxTokenScan && more() && !is_space(*p_)) {
      char c = *p_++;
      if (cls(c) == kBad) fail(line_, "unexpected character " + hex_byte(static_cast<unsigned char>(c)));
      read += c;
    }
    fail(line_, "invalid literal '" + excerpt(read) + "'");
  }

  void skip_to_newline() {
    while (more()) {
      const void* nl = std::memchr(p_, '\n', size_t(end_ - p_));
      if (nl) {
        p_ = static_cast<const char*>(nl);
        return;
      }
      p_ = end_;
    }
  }

  // Hot path: one signed integer, then its effect on the clause being built.
  void parse_literal() {
    char text[24];  // the token as written (for messages), first bytes only
    size_t len = 0;
    auto keep = [&](char c) {
      if (len < sizeof text) text[len++] = c;
    };
    bool neg = (*p_ == '-');
    if (neg) keep(*p_++);
    if (!more() || cls(*p_) != kDigit) fail_token(std::string(text, len));
    uint64_t v = 0;
    do {
      v = v * 10 + uint64_t(*p_ - '0');
      keep(*p_++);
      if (v > kMaxVar) fail_range(std::string(text, len));
    } while (more() && cls(*p_) == kDigit);
    if (p_ < end_ && !is_space(*p_)) fail_token(std::string(text, len));
    if (!have_header_) fail(line_, "clause before the 'p cnf' header (missing 'p cnf' header)");

    if (v == 0) {
      end_clause();
      return;
    }
    if (v > max_var_) {
      if (v > var_limit_)
        fail(line_, "variable " + std::to_string(v) + " exceeds the limit maxvar=" + std::to_string(var_limit_) +
                        " (memory is sized by the largest variable index; raise the option maxvar to allow it)");
      if (strict_ && int64_t(v) > cnf_.header_vars)
        fail(line_, "literal " + std::string(text, len) + " exceeds the " + std::to_string(cnf_.header_vars) +
                        " variables declared in the 'p cnf' header");
      max_var_ = v;
    }
    cnf_.lits.push_back(neg ? -int32_t(v) : int32_t(v));
    clause_open_ = true;
    last_lit_line_ = line_;
  }

  [[noreturn]] void fail_range(std::string digits) {
    while (digits.size() < kMaxTokenScan && more() && cls(*p_) == kDigit) digits += *p_++;
    fail(line_, "literal " + excerpt(digits) + " out of range (variables must be at most " +
                    std::to_string(kMaxVar) + ")");
  }

  void end_clause() {
    cnf_.lits.push_back(0);
    ++cnf_.nclauses;
    clause_open_ = false;
    if (strict_ && cnf_.nclauses > cnf_.header_clauses)
      fail(line_, "more clauses than the " + std::to_string(cnf_.header_clauses) +
                      " declared in the 'p cnf' header");
  }

  // The header line up to (not including) its newline. A run of blanks is
  // kept as one blank, so that only a header longer than kMaxHeaderText in
  // its own words is cut (and then reported as malformed).
  std::string header_line() {
    std::string line;
    while (more() && *p_ != '\n') {
      char c = *p_++;
      if (cls(c) == kBad) fail(line_, "unexpected character " + hex_byte(static_cast<unsigned char>(c)));
      if (cls(c) == kBlank && !line.empty() && cls(line.back()) == kBlank) continue;
      if (line.size() < kMaxHeaderText) line += c;
    }
    return line;
  }

  // "p cnf V C" on one line, blanks anywhere between and around the fields.
  void parse_header() {
    if (have_header_) fail(line_, "second 'p' header (the first is on line " + std::to_string(header_line_) + ")");
    const std::string line = header_line();
    std::string_view whole(line);
    std::array<std::string_view, 5> field;  // a fifth field means trailing junk
    size_t n = 0;
    for (size_t q = 0; q < whole.size() && n < field.size();) {
      while (q < whole.size() && cls(whole[q]) == kBlank) ++q;
      size_t s = q;
      while (q < whole.size() && cls(whole[q]) != kBlank) ++q;
      if (q > s) field[n++] = whole.substr(s, q - s);
    }
    auto malformed = [&]() {
      fail(line_, "malformed header '" + excerpt(whole, 60) + "' (expected 'p cnf VARIABLES CLAUSES')");
    };
    if (n < 2 || field[0] != "p") malformed();
    if (field[1] != "cnf")
      fail(line_, "unsupported format '" + excerpt(field[1]) + "' in header (only 'p cnf' is supported)");
    if (n != 4) malformed();
    uint64_t vars = 0, clauses = 0;
    NumResult rv = parse_unsigned(field[2], kMaxVar, vars);
    NumResult rc = parse_unsigned(field[3], kMaxClauses, clauses);
    if (rv == NumResult::kMalformed || rc == NumResult::kMalformed) malformed();
    if (rv == NumResult::kTooLarge)
      fail(line_, "too many variables in header (at most " + std::to_string(kMaxVar) + ")");
    if (rc == NumResult::kTooLarge) fail(line_, "clause count in header is too large");

    have_header_ = true;
    header_line_ = line_;
    cnf_.header_vars = int32_t(vars);
    cnf_.header_clauses = int64_t(clauses);
    // No reservation by the header's counts: they may be anything ("p cnf 1 10^18").
  }

  Cnf finish(long end_line, const char* where) {
    if (!have_header_) fail(end_line, "missing 'p cnf' header");
    if (clause_open_) fail(last_lit_line_, std::string("clause not terminated by 0 ") + where);
    if (strict_ && cnf_.nclauses != cnf_.header_clauses)
      fail(end_line, "found " + std::to_string(cnf_.nclauses) + " clauses but the 'p cnf' header declares " +
                         std::to_string(cnf_.header_clauses));
    cnf_.nvars = strict_ ? cnf_.header_vars : std::max(cnf_.header_vars, int32_t(max_var_));
    // Give back a grossly over-reserved buffer (the array may live long in Python).
    if (cnf_.lits.capacity() > cnf_.lits.size() + cnf_.lits.size() / 2 + 1024) cnf_.lits.shrink_to_fit();
    return std::move(cnf_);
  }

  ByteSource& source_;
  const char* chunk_begin_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool eof_ = false;
  char last_byte_ = 0;  // of the input read so far
  const std::string& name_;
  bool strict_;
  uint64_t var_limit_;

  long line_ = 1;
  bool have_header_ = false;
  long header_line_ = 0;
  bool clause_open_ = false;
  long last_lit_line_ = 0;
  uint64_t max_var_ = 0;
  Cnf cnf_;
};

}  // namespace

Cnf parse_dimacs(const std::string& text, const std::string& name, bool strict, int64_t var_limit) {
  StringSource source(text);
  return Parser(source, name, strict, var_limit).run();
}

Cnf read_dimacs_file(const std::string& path, bool strict, int64_t var_limit) {
  FileSource source(path);
  return Parser(source, path, strict, var_limit).run();
}

}  // namespace satmip::io
