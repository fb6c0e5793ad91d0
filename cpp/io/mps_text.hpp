// Lexical rules of MPS text shared by the reader and the writer: which bytes
// separate fields, how numbers are read and written, and how values are quoted
// in messages. The reader's messages quote names and numbers as Python's
// repr() does, so that they read exactly like those of the reference reader
// (python/satmip/bench/mps.py).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace satmip::io::mps_text {

// Python's str.isspace() restricted to ASCII: blank, \t \n \v \f \r and the
// separators \x1c-\x1f. (Non-ASCII spaces such as U+00A0 do not separate fields.)
inline bool is_space(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return u == ' ' || (u >= '\t' && u <= '\r') || (u >= 0x1c && u <= 0x1f);
}

std::string_view rstrip(std::string_view s);
std::string_view strip(std::string_view s);

// ASCII case-insensitive comparison with an upper-case keyword.
bool equals_keyword(std::string_view token, std::string_view upper_keyword);

// A number as Python's float() reads it (sign, digits, point, exponent, "inf",
// "infinity"; huge values become +-inf), plus Fortran exponents ("1.5D+03").
// False for anything else, including NaN and digit separators ("1_0").
bool parse_number(std::string_view token, double& value);

// Shortest text that reads back as the same double ("0.1", "1e+30", "-3").
std::string format_number(double value);

// Python's repr() of a str (the quotes and escapes it would print), for UTF-8 text,
// kept short for messages: of a longer text, the first max_chars characters and "..."
// (as repr(text[:max_chars]) + "..."), so that garbage is never echoed at length.
constexpr size_t kReprChars = 40;
std::string py_repr(std::string_view utf8, size_t max_chars = kReprChars);
// Python's repr() of a float ("2.0", "1e+16", "-inf").
std::string py_repr(double value);

// Strict UTF-8 (as Python's "utf-8" codec: no overlong forms, no surrogates).
bool is_valid_utf8(std::string_view bytes);
// Each byte as the Unicode character of the same number, encoded as UTF-8.
std::string latin1_to_utf8(std::string_view bytes);

}  // namespace satmip::io::mps_text
