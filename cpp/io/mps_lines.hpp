// The lines of MPS text, pulled from a ByteSource one at a time, decoded as
// the reference reader decodes the whole file: UTF-8, or Latin-1 when the
// text is not valid UTF-8. Since '\n' never occurs inside a UTF-8 sequence,
// the text is valid exactly when each line is; a line that is not throws
// NotUtf8, and the caller reads again from the start as Latin-1.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/input_stream.hpp"

namespace satmip::io {

struct NotUtf8 {};

class MpsLines {
 public:
  MpsLines(ByteSource& source, bool latin1) : source_(source), latin1_(latin1) {}

  // The next line without its '\n'; false at the end of the text. A line
  // stops early at a NUL byte (then stopped_at_nul()): MPS text has none,
  // and /dev/zero is one endless line of them. A run of more than
  // kMaxBlankRun blanks keeps only its first kMaxBlankRun: free format splits
  // at a blank either way, and in fixed format what follows such a run lies
  // beyond the last field (column 61) either way. So gigabytes of blanks
  // never make a long line.
  bool next(std::string_view& line);
  bool stopped_at_nul() const { return nul_; }

  // Reads the rest of the text (NULs allowed: it is not MPS data) to decide
  // its encoding, as the reference reader decodes the whole file first.
  // Throws NotUtf8 when decoding as UTF-8 and some line is not valid UTF-8.
  void check_rest_encoding();

  static constexpr size_t kMaxBlankRun = 80;

 private:
  bool read_raw_line();

  ByteSource& source_;
  bool latin1_;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool eof_ = false;
  bool nul_ = false;
  bool scanning_ = false;     // check_rest_encoding: NULs are bytes like others
  bool saw_non_ascii_ = false;
  bool line_non_ascii_ = false;
  std::string raw_, decoded_;
};

// Storage for the names the parser keeps (lines are gone once parsed):
// views into it stay valid as long as the store lives.
class NameStore {
 public:
  std::string_view keep(std::string_view s);

 private:
  static constexpr size_t kBlock = size_t(1) << 16;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0, capacity_ = 0;
};

}  // namespace satmip::io
