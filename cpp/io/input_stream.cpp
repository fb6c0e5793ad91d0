// Chunked, decompressing file input (see input_stream.hpp).
#include "io/input_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

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

FileError::FileError(const std::string& file_, const std::string& msg)
    : std::runtime_error(file_ + ": " + msg), file(file_) {}

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

}  // namespace

// Produces decompressed bytes into a caller's buffer; 0 means the end.
class FileSource::Decoder {
 public:
  virtual ~Decoder() = default;
  virtual size_t read(char* dst, size_t n) = 0;
};

namespace {

class PlainDecoder : public FileSource::Decoder {
 public:
  PlainDecoder(std::unique_ptr<InputFile> in, std::unique_ptr<Buffer> buf)
      : in_(std::move(in)), buf_(std::move(buf)) {}
  size_t read(char* dst, size_t n) override {
    if (buf_->avail() > 0) {  // the bytes read to detect the format
      size_t k = std::min(n, buf_->avail());
      std::memcpy(dst, buf_->ptr(), k);
      buf_->begin += k;
      return k;
    }
    return in_->read(dst, n);
  }

 private:
  std::unique_ptr<InputFile> in_;
  std::unique_ptr<Buffer> buf_;
};

// Concatenated members (pigz, pbzip2, xz a; xz b) decode as one stream.
template <class Codec>
class CodecDecoder : public FileSource::Decoder {
 public:
  CodecDecoder(std::unique_ptr<InputFile> in, std::unique_ptr<Buffer> buf)
      : in_(std::move(in)), buf_(std::move(buf)), codec_(in_->path()) {}
  size_t read(char* dst, size_t n) override {
    Buffer& buf = *buf_;
    while (!done_) {
      if (buf.avail() == 0 && !buf.eof) in_->fill(buf);
      Step s = codec_.step(buf.ptr(), std::min(buf.avail(), kMaxStep), dst, std::min(n, kMaxStep), buf.eof);
      buf.begin += s.consumed;
      if (s.stream_end) {
        if (buf.avail() == 0 && !buf.eof) in_->fill(buf);  // does another member follow?
        if (buf.avail() == 0) done_ = true;
        else codec_.restart();
      } else if (s.consumed == 0 && s.produced == 0) {  // stalled with output room left
        if (buf.eof && buf.avail() == 0)
          throw FileError(in_->path(), std::string("truncated ") + Codec::kName + " data (unexpected end of file)");
        if (buf.avail() > 0)  // cannot happen with a sane library; avoids spinning
          throw FileError(in_->path(), std::string("corrupt ") + Codec::kName + " data");
      }
      if (s.produced > 0) return s.produced;
    }
    return 0;
  }

 private:
  std::unique_ptr<InputFile> in_;
  std::unique_ptr<Buffer> buf_;
  Codec codec_;
  bool done_ = false;
};

// Fallback when a library is missing: the output of "TOOL -dc -- 'path'".
class PipeDecoder : public FileSource::Decoder {
 public:
  PipeDecoder(const char* tool, const std::string& path) : tool_(tool), path_(path) {
    std::string quoted = "'";  // single quotes: the shell expands nothing inside
    for (char c : path) quoted += (c == '\'') ? std::string("'\\''") : std::string(1, c);
    quoted += "'";
    std::string cmd = std::string(tool) + " -dc -- " + quoted + " 2>/dev/null";
    pipe_ = ::popen(cmd.c_str(), "r");
    if (!pipe_) {
      int err = errno;
      throw FileError(path, std::string("cannot run ") + tool + ": " + std::strerror(err));
    }
  }
  ~PipeDecoder() override {
    if (pipe_) ::pclose(pipe_);
  }
  size_t read(char* dst, size_t n) override {
    if (!pipe_) return 0;
    size_t got = std::fread(dst, 1, n, pipe_);
    if (got > 0) return got;
    int status = ::pclose(pipe_);
    pipe_ = nullptr;
    if (status != 0) {
      int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      if (code == 127) throw FileError(path_, std::string("cannot decompress: '") + tool_ + "' not found");
      throw FileError(path_, std::string("corrupt or truncated ") + tool_ + " data (" + tool_ +
                                 " -dc exited with status " + std::to_string(code) + ")");
    }
    return 0;
  }

 private:
  const char* tool_;
  std::string path_;
  FILE* pipe_ = nullptr;
};

std::unique_ptr<FileSource::Decoder> open_decoder(const std::string& path) {
  auto in = std::make_unique<InputFile>(path);
  auto buf = std::make_unique<Buffer>();
  in->fill(*buf, 6);  // longest magic number (xz)
  switch (detect_format(buf->ptr(), buf->avail())) {
    case Format::kPlain: return std::make_unique<PlainDecoder>(std::move(in), std::move(buf));
#ifdef SATMIP_HAVE_ZLIB
    case Format::kGzip: return std::make_unique<CodecDecoder<GzipCodec>>(std::move(in), std::move(buf));
#else
    case Format::kGzip: return std::make_unique<PipeDecoder>("gzip", path);
#endif
#ifdef SATMIP_HAVE_LZMA
    case Format::kXz: return std::make_unique<CodecDecoder<XzCodec>>(std::move(in), std::move(buf));
#else
    case Format::kXz: return std::make_unique<PipeDecoder>("xz", path);
#endif
#ifdef SATMIP_HAVE_BZIP2
    case Format::kBzip2: return std::make_unique<CodecDecoder<Bzip2Codec>>(std::move(in), std::move(buf));
#else
    case Format::kBzip2: return std::make_unique<PipeDecoder>("bzip2", path);
#endif
  }
  return nullptr;  // unreachable
}

}  // namespace

FileSource::FileSource(const std::string& path)
    : path_(path), decoder_(open_decoder(path)), chunk_(new char[kChunk]) {}

FileSource::~FileSource() = default;

bool FileSource::next(const char*& begin, const char*& end) {
  size_t got = decoder_->read(chunk_.get(), kChunk);
  begin = chunk_.get();
  end = begin + got;
  return got > 0;
}

}  // namespace satmip::io
