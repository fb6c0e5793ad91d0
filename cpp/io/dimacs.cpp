// DIMACS CNF reader. Two stages: read_maybe_compressed() turns a file into one
// string (decompressing by magic bytes), parse_dimacs() turns that string into
// a flat literal array with a single hand-written pass over the bytes.
#include "io/dimacs.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef SATMIP_HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef SATMIP_HAVE_LZMA
#include <lzma.h>
#endif
#ifdef SATMIP_HAVE_BZIP2
#include <bzlib.h>
#endif

namespace satmip::io {

DimacsError::DimacsError(const std::string& file_, long line_, const std::string& msg)
    : std::invalid_argument(file_ + ":" + std::to_string(line_) + ": " + msg),
      file(file_),
      line(line_) {}

FileError::FileError(const std::string& file_, const std::string& msg)
    : std::runtime_error(file_ + ": " + msg), file(file_) {}

// ===========================================================================
// Reading files
// ===========================================================================
namespace {

constexpr size_t kChunk = size_t(1) << 20;  // read / decompress granularity

// Input bytes not yet consumed by a decoder, refilled from the file.
struct Buffer {
  std::unique_ptr<char[]> data{new char[kChunk]};
  size_t begin = 0, end = 0;
  bool eof = false;
  size_t avail() const { return end - begin; }
  const char* ptr() const { return data.get() + begin; }
};

// Owns a file descriptor; every failure becomes a FileError naming the file.
class InputFile {
 public:
  explicit InputFile(const std::string& path) : path_(path) {
    do fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0) fail("cannot open");
  }
  ~InputFile() { ::close(fd_); }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& path() const { return path_; }

  // Size of a regular file, 0 when unknown (pipes, devices).
  size_t size_hint() const {
    struct stat st;
    if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) return size_t(st.st_size);
    return 0;
  }

  // Reads up to n bytes; 0 means end of file.
  size_t read(char* dst, size_t n) {
    for (;;) {
      ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) return size_t(got);
      if (errno != EINTR) fail("read error");
    }
  }

  // Appends to buf until it holds at least `want` bytes or the file ends.
  void fill(Buffer& buf, size_t want = 1) {
    if (buf.begin == buf.end) buf.begin = buf.end = 0;
    while (buf.avail() < want && !buf.eof && buf.end < kChunk) {
      size_t got = read(buf.data.get() + buf.end, kChunk - buf.end);
      if (got == 0) buf.eof = true;
      buf.end += got;
    }
  }

 private:
  [[noreturn]] void fail(const char* what) const {
    int err = errno;  // before anything else can overwrite it
    throw FileError(path_, std::string(what) + ": " + std::strerror(err));
  }
  std::string path_;
  int fd_ = -1;
};

enum class Format { kPlain, kGzip, kXz, kBzip2 };

Format detect_format(const char* p, size_t n) {
  auto starts = [&](const char* magic, size_t len) {
    return n >= len && std::memcmp(p, magic, len) == 0;
  };
  if (starts("\x1f\x8b", 2)) return Format::kGzip;
  if (starts("\xfd" "7zXZ\0", 6)) return Format::kXz;
  if (starts("BZh", 3)) return Format::kBzip2;
  return Format::kPlain;
}

std::string read_plain(InputFile& in, Buffer& buf) {
  // One spare byte so that the final read() that reports EOF needs no regrowth.
  std::string out(std::max(in.size_hint(), buf.avail()) + 1, '\0');
  size_t used = buf.avail();
  std::memcpy(&out[0], buf.ptr(), used);
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    size_t got = in.read(&out[used], out.size() - used);
    if (got == 0) break;
    used += got;
  }
  out.resize(used);
  return out;
}

// ---- streaming decompression --------------------------------------------
// Each codec wraps one library behind the same step() so that the buffer
// management, concatenated members and truncation checks live in one place.
struct Step {
  size_t consumed = 0, produced = 0;
  bool stream_end = false;
};

// The libraries count bytes in 32-bit unsigned ints.
constexpr size_t kMaxStep = size_t(1) << 30;

#ifdef SATMIP_HAVE_ZLIB
class GzipCodec {
 public:
  static constexpr const char* kName = "gzip";
  explicit GzipCodec(const std::string& path) : path_(path) {
    // 15 + 16: largest window, gzip wrapper only (we saw the gzip magic).
    if (inflateInit2(&z_, 15 + 16) != Z_OK) throw FileError(path, "zlib initialisation failed");
  }
  ~GzipCodec() { inflateEnd(&z_); }
  void restart() { inflateReset(&z_); }
  Step step(const char* in, size_t in_len, char* out, size_t out_len, bool /*input_done*/) {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
    z_.avail_in = uInt(in_len);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = uInt(out_len);
    int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)  // BUF_ERROR: no progress
      throw FileError(path_, std::string("corrupt gzip data: ") + (z_.msg ? z_.msg : zError(rc)));
    return {in_len - z_.avail_in, out_len - z_.avail_out, rc == Z_STREAM_END};
  }

 private:
  z_stream z_{};
  std::string path_;
};
#endif

#ifdef SATMIP_HAVE_LZMA
class XzCodec {
 public:
  static constexpr const char* kName = "xz";
  explicit XzCodec(const std::string& path) : path_(path) {
    // CONCATENATED: multi-stream files (xz a; xz b; cat) decode as one.
    if (lzma_stream_decoder(&s_, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
      throw FileError(path, "liblzma initialisation failed");
  }
  ~XzCodec() { lzma_end(&s_); }
  void restart() {}  // never needed: LZMA_CONCATENATED reports the end only once
  Step step(const char* in, size_t in_len, char* out, size_t out_len, bool input_done) {
    s_.next_in = reinterpret_cast<const uint8_t*>(in);
    s_.avail_in = in_len;
    s_.next_out = reinterpret_cast<uint8_t*>(out);
    s_.avail_out = out_len;
    lzma_ret rc = lzma_code(&s_, input_done ? LZMA_FINISH : LZMA_RUN);
    if (rc != LZMA_OK && rc != LZMA_STREAM_END && rc != LZMA_BUF_ERROR)
      throw FileError(path_, std::string("corrupt xz data: ") + describe(rc));
    return {in_len - s_.avail_in, out_len - s_.avail_out, rc == LZMA_STREAM_END};
  }

 private:
  static const char* describe(lzma_ret rc) {
    switch (rc) {
      case LZMA_MEM_ERROR: return "out of memory";
      case LZMA_FORMAT_ERROR: return "not in xz format";
      case LZMA_OPTIONS_ERROR: return "unsupported options";
      case LZMA_DATA_ERROR: return "data is corrupt";
      default: return "decoder error";
    }
  }
  lzma_stream s_ = LZMA_STREAM_INIT;
  std::string path_;
};
#endif

#ifdef SATMIP_HAVE_BZIP2
class Bzip2Codec {
 public:
  static constexpr const char* kName = "bzip2";
  explicit Bzip2Codec(const std::string& path) : path_(path) { init(); }
  ~Bzip2Codec() { BZ2_bzDecompressEnd(&s_); }
  // bzip2 has no reset: a new member (pbzip2 output) needs a fresh decoder.
  void restart() {
    BZ2_bzDecompressEnd(&s_);
    init();
  }
  Step step(const char* in, size_t in_len, char* out, size_t out_len, bool /*input_done*/) {
    s_.next_in = const_cast<char*>(in);
    s_.avail_in = unsigned(in_len);
    s_.next_out = out;
    s_.avail_out = unsigned(out_len);
    int rc = BZ2_bzDecompress(&s_);
    if (rc != BZ_OK && rc != BZ_STREAM_END)
      throw FileError(path_, rc == BZ_MEM_ERROR ? "out of memory decompressing bzip2 data"
                                                : "corrupt bzip2 data");
    return {in_len - s_.avail_in, out_len - s_.avail_out, rc == BZ_STREAM_END};
  }

 private:
  void init() {
    s_ = bz_stream{};
    if (BZ2_bzDecompressInit(&s_, 0, 0) != BZ_OK)
      throw FileError(path_, "libbz2 initialisation failed");
  }
  bz_stream s_{};
  std::string path_;
};
#endif

template <class Codec>
[[maybe_unused]] std::string decompress(InputFile& in, Buffer& buf) {
  Codec codec(in.path());
  // CNF compresses 2-10x: start at 4x (each later doubling is amortised) rather
  // than zero-filling a worst-case buffer.
  std::string out(std::max<size_t>(in.size_hint() * 4, kChunk), '\0');
  size_t used = 0;
  for (;;) {
    if (buf.avail() == 0 && !buf.eof) in.fill(buf);
    if (used == out.size()) out.resize(out.size() * 2);
    Step s = codec.step(buf.ptr(), std::min(buf.avail(), kMaxStep), &out[used],
                        std::min(out.size() - used, kMaxStep), buf.eof);
    buf.begin += s.consumed;
    used += s.produced;
    if (s.stream_end) {
      if (buf.avail() == 0 && !buf.eof) in.fill(buf);  // does another member follow?
      if (buf.avail() == 0) break;
      codec.restart();
      continue;
    }
    if (s.consumed == 0 && s.produced == 0) {  // stalled with output room left
      if (buf.eof && buf.avail() == 0)
        throw FileError(in.path(), std::string("truncated ") + Codec::kName + " data (unexpected end of file)");
      if (buf.avail() > 0)  // cannot happen with a sane library; avoids spinning
        throw FileError(in.path(), std::string("corrupt ") + Codec::kName + " data");
    }
  }
  out.resize(used);
  return out;
}

// Fallback when a library is missing: run "TOOL -dc -- 'path'" and collect stdout.
[[maybe_unused]] std::string run_decompressor(const char* tool, const std::string& path) {
  std::string quoted = "'";  // single quotes: the shell expands nothing inside
  for (char c : path) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  std::string cmd = std::string(tool) + " -dc -- " + quoted + " 2>/dev/null";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) {
    int err = errno;
    throw FileError(path, std::string("cannot run ") + tool + ": " + std::strerror(err));
  }
  std::string out(kChunk, '\0');
  size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    size_t got = std::fread(&out[used], 1, out.size() - used, pipe);
    used += got;
    if (got == 0) break;
  }
  int status = ::pclose(pipe);
  if (status != 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 127) throw FileError(path, std::string("cannot decompress: '") + tool + "' not found");
    throw FileError(path, std::string("corrupt or truncated ") + tool + " data (" + tool +
                              " -dc exited with status " + std::to_string(code) + ")");
  }
  out.resize(used);
  return out;
}

}  // namespace

std::string read_maybe_compressed(const std::string& path) {
  InputFile in(path);
  Buffer buf;
  in.fill(buf, 6);  // longest magic number (xz)
  switch (detect_format(buf.ptr(), buf.avail())) {
    case Format::kPlain: return read_plain(in, buf);
#ifdef SATMIP_HAVE_ZLIB
    case Format::kGzip: return decompress<GzipCodec>(in, buf);
#else
    case Format::kGzip: return run_decompressor("gzip", path);
#endif
#ifdef SATMIP_HAVE_LZMA
    case Format::kXz: return decompress<XzCodec>(in, buf);
#else
    case Format::kXz: return run_decompressor("xz", path);
#endif
#ifdef SATMIP_HAVE_BZIP2
    case Format::kBzip2: return decompress<Bzip2Codec>(in, buf);
#else
    case Format::kBzip2: return run_decompressor("bzip2", path);
#endif
  }
  return {};  // unreachable
}

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

class Parser {
 public:
  Parser(const std::string& text, const std::string& name, bool strict)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()), name_(name),
        strict_(strict) {}

  Cnf run() {
    bool line_start = true;  // only blanks since the last newline
    while (p_ < end_) {
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
          fail_token(p_);
      }
    }
    return finish(eof_line(), "at end of file");
  }

 private:
  [[noreturn]] void fail(long line, const std::string& msg) const { throw DimacsError(name_, line, msg); }

  // A token that is not a literal: name the bad byte if there is one, else quote it.
  [[noreturn]] void fail_token(const char* tok) const {
    const char* e = tok;
    while (e < end_ && !is_space(*e)) ++e;
    for (const char* q = tok; q < e; ++q)
      if (cls(*q) == kBad) fail(line_, "unexpected character " + hex_byte(static_cast<unsigned char>(*q)));
    fail(line_, "invalid literal '" + excerpt({tok, size_t(e - tok)}) + "'");
  }

  // Line of the last byte: a final newline does not start another line.
  long eof_line() const { return (end_ > begin_ && end_[-1] == '\n') ? line_ - 1 : line_; }

  void skip_to_newline() {
    const void* nl = std::memchr(p_, '\n', size_t(end_ - p_));
    p_ = nl ? static_cast<const char*>(nl) : end_;
  }

  // Hot path: one signed integer, then its effect on the clause being built.
  void parse_literal() {
    const char* tok = p_;
    bool neg = (*p_ == '-');
    if (neg) ++p_;
    if (p_ == end_ || cls(*p_) != kDigit) fail_token(tok);
    uint64_t v = 0;
    do {
      v = v * 10 + uint64_t(*p_ - '0');
      if (v > kMaxVar) fail_range(tok);
      ++p_;
    } while (p_ < end_ && cls(*p_) == kDigit);
    if (p_ < end_ && !is_space(*p_)) fail_token(tok);
    if (!have_header_) fail(line_, "clause before the 'p cnf' header (missing 'p cnf' header)");

    if (v == 0) {
      end_clause();
      return;
    }
    if (v > max_var_) {
      if (strict_ && int64_t(v) > cnf_.header_vars)
        fail(line_, "literal " + std::string(tok, size_t(p_ - tok)) + " exceeds the " +
                        std::to_string(cnf_.header_vars) + " variables declared in the 'p cnf' header");
      max_var_ = v;
    }
    cnf_.lits.push_back(neg ? -int32_t(v) : int32_t(v));
    clause_open_ = true;
    last_lit_line_ = line_;
  }

  [[noreturn]] void fail_range(const char* tok) const {
    const char* e = tok + (*tok == '-');
    while (e < end_ && cls(*e) == kDigit) ++e;
    fail(line_, "literal " + excerpt({tok, size_t(e - tok)}) + " out of range (variables must be at most " +
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

  // "p cnf V C" on one line, blanks anywhere between and around the fields.
  void parse_header() {
    if (have_header_) fail(line_, "second 'p' header (the first is on line " + std::to_string(header_line_) + ")");
    const char* line_end = static_cast<const char*>(std::memchr(p_, '\n', size_t(end_ - p_)));
    if (!line_end) line_end = end_;
    std::string_view whole(p_, size_t(line_end - p_));
    for (char c : whole)
      if (cls(c) == kBad) fail(line_, "unexpected character " + hex_byte(static_cast<unsigned char>(c)));

    std::array<std::string_view, 5> field;  // a fifth field means trailing junk
    size_t n = 0;
    for (const char* q = p_; q < line_end && n < field.size();) {
      while (q < line_end && cls(*q) == kBlank) ++q;
      const char* s = q;
      while (q < line_end && cls(*q) != kBlank) ++q;
      if (q > s) field[n++] = std::string_view(s, size_t(q - s));
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
    p_ = line_end;
    reserve_literals(clauses);
  }

  // Typical CNF text spends 3-6 bytes per literal; the header's clause count is
  // a lower bound (one 0 each). Never reserve more than the text could hold.
  void reserve_literals(uint64_t clauses) {
    size_t rest = size_t(end_ - p_);
    size_t guess = std::max<uint64_t>(rest / 4, clauses);
    cnf_.lits.reserve(std::min(guess, rest / 2 + 1));
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

  const char* begin_;
  const char* p_;
  const char* end_;
  const std::string& name_;
  bool strict_;

  long line_ = 1;
  bool have_header_ = false;
  long header_line_ = 0;
  bool clause_open_ = false;
  long last_lit_line_ = 0;
  uint64_t max_var_ = 0;
  Cnf cnf_;
};

}  // namespace

Cnf parse_dimacs(const std::string& text, const std::string& name, bool strict) {
  return Parser(text, name, strict).run();
}

Cnf read_dimacs_file(const std::string& path, bool strict) {
  return parse_dimacs(read_maybe_compressed(path), path, strict);
}

}  // namespace satmip::io
