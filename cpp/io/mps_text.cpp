#include "io/mps_text.hpp"

#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include <locale.h>

namespace satmip::io::mps_text {

std::string_view rstrip(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && is_space(s[n - 1])) --n;
  return s.substr(0, n);
}

std::string_view strip(std::string_view s) {
  s = rstrip(s);
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  return s.substr(i);
}

bool equals_keyword(std::string_view token, std::string_view upper_keyword) {
  if (token.size() != upper_keyword.size()) return false;
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    if (c != upper_keyword[i]) return false;
  }
  return true;
}

// ---- numbers ---------------------------------------------------------------
namespace {

// from_chars leaves the value alone when it overflows or underflows; Python
// gives +-inf or (+-)0 there, as strtod does. strtod_l with the "C" locale so
// that the host's LC_NUMERIC cannot change the decimal point.
double parse_out_of_range(std::string_view unsigned_text) {
  static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", locale_t(0));
  std::string copy(unsigned_text);
  return strtod_l(copy.c_str(), nullptr, c_locale);
}

// Python's float() on ASCII text without surrounding blanks.
bool parse_python_float(std::string_view s, double& value) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i == s.size() || s[i] == '+' || s[i] == '-') return false;
  const char* first = s.data() + i;
  const char* last = s.data() + s.size();
  double v = 0.0;
  auto [ptr, ec] = std::from_chars(first, last, v, std::chars_format::general);
  if (ptr != last) return false;
  if (ec == std::errc::result_out_of_range) {
    v = parse_out_of_range(std::string_view(first, size_t(last - first)));
  } else if (ec != std::errc()) {
    return false;
  }
  value = negative ? -v : v;
  return true;
}

}  // namespace

bool parse_number(std::string_view token, double& value) {
  if (token.find('_') != std::string_view::npos) return false;  // Python accepts "1_0"; MPS does not
  double v;
  if (!parse_python_float(token, v)) {
    if (token.find_first_of("Dd") == std::string_view::npos) return false;
    std::string fortran(token);  // rare: Fortran numbers, or a bad number about to be reported
    for (char& c : fortran) c = c == 'D' ? 'E' : c == 'd' ? 'e' : c;
    if (!parse_python_float(fortran, v)) return false;
  }
  if (std::isnan(v)) return false;
  value = v;
  return true;
}

std::string format_number(double value) {
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

std::string py_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest digits and decimal exponent, then Python's layout: positional
  // for exponents -4..15 (with at least one digit after the point), else
  // d.ddde+XX with at least two exponent digits.
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, size_t(result.ptr - buf));
  std::string out;
  if (sci[0] == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos))
    if (c != '.') digits += c;
  int exponent = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out += "0." + std::string(size_t(-exponent - 1), '0') + digits;
    } else {
      size_t int_len = size_t(exponent) + 1;
      if (digits.size() <= int_len) {
        out += digits + std::string(int_len - digits.size(), '0') + ".0";
      } else {
        out += digits.substr(0, int_len) + "." + digits.substr(int_len);
      }
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  char exp_text[16];
  std::snprintf(exp_text, sizeof exp_text, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out + exp_text;
}

// ---- text ------------------------------------------------------------------
namespace {

// Decodes one UTF-8 character at s[i] (valid input assumed), advancing i.
uint32_t next_code_point(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i++]);
  if (c < 0x80) return c;
  int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
  uint32_t cp = c & (0x3f >> extra);
  for (int k = 0; k < extra && i < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3f);
  return cp;
}

// Python's str.isprintable() for one character: exact below U+0100, the
// common separators, format characters and private use above.
bool is_printable(uint32_t cp) {
  if (cp < 0x20 || cp == 0x7f) return false;
  if (cp < 0x80) return true;
  if (cp <= 0xa0 || cp == 0xad) return false;
  if (cp < 0x100) return true;
  if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
      (cp >= 0x205f && cp <= 0x206f) || cp == 0x3000 || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb))
    return false;
  if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) return false;  // private use
  return true;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xc0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += char(0xe0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  } else {
    out += char(0xf0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3f));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  }
}

}  // namespace

std::string py_repr(std::string_view text, size_t max_chars) {
  // The first max_chars code points, as Python's repr(text[:max_chars]) + "...".
  size_t cut = 0, chars = 0;
  while (cut < text.size() && chars < max_chars) {
    next_code_point(text, cut);
    ++chars;
  }
  if (cut < text.size()) return py_repr(text.substr(0, cut), max_chars) + "...";
  std::string_view utf8 = text;
  bool has_single = utf8.find('\'') != std::string_view::npos;
  bool has_double = utf8.find('"') != std::string_view::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, quote);
  for (size_t i = 0; i < utf8.size();) {
    uint32_t cp = next_code_point(utf8, i);
    if (cp == uint32_t(quote) || cp == '\\') {
      out += '\\';
      out += char(cp);
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (!is_printable(cp)) {
      char esc[16];
      if (cp < 0x100) std::snprintf(esc, sizeof esc, "\\x%02x", unsigned(cp));
      else if (cp < 0x10000) std::snprintf(esc, sizeof esc, "\\u%04x", unsigned(cp));
      else std::snprintf(esc, sizeof esc, "\\U%08x", unsigned(cp));
      out += esc;
    } else {
      append_utf8(out, cp);
    }
  }
  out += quote;
  return out;
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    uint32_t min_cp;
    if (c >= 0xc2 && c <= 0xdf) extra = 1, min_cp = 0x80;
    else if (c >= 0xe0 && c <= 0xef) extra = 2, min_cp = 0x800;
    else if (c >= 0xf0 && c <= 0xf4) extra = 3, min_cp = 0x10000;
    else return false;
    if (end - p <= extra) return false;
    uint32_t cp = c & (0x3f >> extra);
    for (int k = 1; k <= extra; ++k) {
      if ((p[k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[k] & 0x3f);
    }
    if (cp < min_cp || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    p += extra + 1;
  }
  return true;
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) append_utf8(out, static_cast<unsigned char>(c));
  return out;
}

}  // namespace satmip::io::mps_text
