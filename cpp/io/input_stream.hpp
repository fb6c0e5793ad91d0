// Reading input files a chunk at a time, decompressed (gzip / xz / bzip2,
// told apart by magic bytes, not by file name), so that readers hold one
// chunk of the text, never the whole of it: a small .xz of gigabytes of
// blanks, or /dev/zero, must not fill memory.
#pragma once
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace satmip::io {

// File cannot be opened or read (missing, permission, broken compression
// stream): maps to Python OSError. what() names the file.
struct FileError : std::runtime_error {
  std::string file;
  FileError(const std::string& file, const std::string& msg);
};

// Input text as a sequence of chunks.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // The next chunk [begin, end), valid until the next call; false at the end.
  virtual bool next(const char*& begin, const char*& end) = 0;
};

// Text held in memory: one chunk.
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string_view text) : text_(text) {}
  bool next(const char*& begin, const char*& end) override {
    if (given_ || text_.empty()) return false;
    given_ = true;
    begin = text_.data();
    end = text_.data() + text_.size();
    return true;
  }

 private:
  std::string_view text_;
  bool given_ = false;
};

// A file, decompressed on the fly, in chunks of about 1 MiB. Throws FileError.
class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::string& path);
  ~FileSource() override;
  bool next(const char*& begin, const char*& end) override;
  const std::string& path() const { return path_; }

  class Decoder;  // one per compression format (input_stream.cpp)

 private:
  std::string path_;
  std::unique_ptr<Decoder> decoder_;
  std::unique_ptr<char[]> chunk_;
};

}  // namespace satmip::io
