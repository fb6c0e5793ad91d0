#include "io/mps_lines.hpp"

#include <algorithm>
#include <cstring>

#include "io/mps_text.hpp"

namespace satmip::io {

// Raw bytes of the next line into raw_ (see next() for NULs and blanks).
bool MpsLines::read_raw_line() {
  raw_.clear();
  nul_ = false;
  line_non_ascii_ = false;
  bool any = false;  // bytes or a newline: "\n" is one empty line, "" none
  size_t blank_run = 0;
  for (;;) {
    if (p_ == end_) {
      if (eof_ || !source_.next(p_, end_)) {
        eof_ = true;
        p_ = end_ = nullptr;
        return any;
      }
      continue;
    }
    any = true;
    const char* stop = static_cast<const char*>(std::memchr(p_, '\n', size_t(end_ - p_)));
    const char* until = stop ? stop : end_;
    for (; p_ < until; ++p_) {
      char c = *p_;
      if (c == '\0' && !scanning_) {
        nul_ = true;  // left unread: the caller reports it
        return true;
      }
      if (mps_text::is_space(c)) {
        if (++blank_run > kMaxBlankRun) continue;
      } else {
        blank_run = 0;
        if (static_cast<unsigned char>(c) >= 0x80) line_non_ascii_ = saw_non_ascii_ = true;
      }
      raw_ += c;
    }
    if (stop) {
      ++p_;
      return true;
    }
  }
}

bool MpsLines::next(std::string_view& line) {
  if (nul_) return false;  // the text ended at its NUL for the parser
  if (!read_raw_line()) return false;
  if (latin1_ && line_non_ascii_) {
    decoded_ = mps_text::latin1_to_utf8(raw_);
    line = decoded_;
    return true;
  }
  if (line_non_ascii_ && !mps_text::is_valid_utf8(raw_)) throw NotUtf8{};
  line = raw_;
  return true;
}

void MpsLines::check_rest_encoding() {
  if (latin1_ || !saw_non_ascii_) return;  // all-ASCII text reads the same either way
  scanning_ = true;
  nul_ = false;
  while (read_raw_line())
    if (line_non_ascii_ && !mps_text::is_valid_utf8(raw_)) throw NotUtf8{};
}

std::string_view NameStore::keep(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > capacity_ - used_) {
    capacity_ = std::max(kBlock, s.size());
    blocks_.emplace_back(new char[capacity_]);
    used_ = 0;
  }
  char* dst = blocks_.back().get() + used_;
  std::memcpy(dst, s.data(), s.size());
  used_ += s.size();
  return {dst, s.size()};
}

}  // namespace satmip::io
