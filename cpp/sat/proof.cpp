#include "sat/proof.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace satmip::sat {

ProofWriter::ProofWriter(const std::string& path, ProofFormat format) : path_(path), format_(format) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw std::runtime_error(path + ": cannot open proof file: " + std::strerror(errno));
}

ProofWriter::~ProofWriter() {
  if (!file_) return;
  try {
    close();
  } catch (const std::exception&) {  // destructors must not throw; close() reports it
    if (file_) std::fclose(file_);
  }
}

void ProofWriter::close() {
  if (!file_) return;
  drain();
  FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) throw std::runtime_error(path_ + ": writing the proof failed: " + std::strerror(errno));
  if (lrat() && !late_inputs_.empty()) renumber();
}

void ProofWriter::input(uint64_t id) {
  ++inputs_;
  if (late_inputs_.empty() && id == inputs_) early_inputs_ = inputs_;
  else late_inputs_.push_back(id);
}

void ProofWriter::drain() {
  if (pos_ && std::fwrite(buf_, 1, pos_, file_) != pos_) {
    pos_ = 0;
    throw std::runtime_error("writing the proof failed: " + std::string(std::strerror(errno)));
  }
  pos_ = 0;
}

void ProofWriter::flush() {
  drain();
  std::fflush(file_);
}

void ProofWriter::put_uint(uint64_t x) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = char('0' + x % 10);
    x /= 10;
  } while (x);
  while (n) put(tmp[--n]);
}

void ProofWriter::put_int(int64_t x) {
  if (x < 0) {
    put('-');
    put_uint(uint64_t(-x));
  } else {
    put_uint(uint64_t(x));
  }
}

void ProofWriter::put_varint(uint64_t x) {
  while (x > 127) {
    put(char((x & 127) | 128));
    x >>= 7;
  }
  put(char(x));
}

// Binary formats map a literal l to 2|l| + (l < 0); that is exactly the
// internal encoding, so internal literals are written as they are.
void ProofWriter::add(uint64_t id, const Lit* lits, size_t size, const std::vector<uint64_t>& hints) {
  lines_++;
  switch (format_) {
    case ProofFormat::kDratText:
      for (size_t i = 0; i < size; i++) put_int(to_dimacs(lits[i])), put(' ');
      put('0'), put('\n');
      break;
    case ProofFormat::kDratBinary:
      put('a');
      for (size_t i = 0; i < size; i++) put_varint(lits[i]);
      put(0);
      break;
    case ProofFormat::kLratText:
      put_uint(id), put(' ');
      for (size_t i = 0; i < size; i++) put_int(to_dimacs(lits[i])), put(' ');
      put('0');
      for (uint64_t h : hints) put(' '), put_uint(h);
      put(' '), put('0'), put('\n');
      break;
    case ProofFormat::kLratBinary:
      put('a');
      put_varint(2 * id);
      for (size_t i = 0; i < size; i++) put_varint(lits[i]);
      put(0);
      for (uint64_t h : hints) put_varint(2 * h);
      put(0);
      break;
  }
  if (id > last_id_) last_id_ = id;
}

void ProofWriter::remove(uint64_t id, const Lit* lits, size_t size) {
  lines_++;
  switch (format_) {
    case ProofFormat::kDratText:
      put('d');
      for (size_t i = 0; i < size; i++) put(' '), put_int(to_dimacs(lits[i]));
      put(' '), put('0'), put('\n');
      break;
    case ProofFormat::kDratBinary:
      put('d');
      for (size_t i = 0; i < size; i++) put_varint(lits[i]);
      put(0);
      break;
    case ProofFormat::kLratText:
      put_uint(last_id_), put(' '), put('d'), put(' '), put_uint(id), put(' '), put('0'), put('\n');
      break;
    case ProofFormat::kLratBinary:
      put('d');
      put_varint(2 * id);
      put(0);
      break;
  }
}

// ---- LRAT renumbering (see proof.hpp) --------------------------------------

uint64_t ProofWriter::final_id(uint64_t id) const {
  if (id <= early_inputs_) return id;
  auto it = std::lower_bound(late_inputs_.begin(), late_inputs_.end(), id);
  uint64_t late_below = uint64_t(it - late_inputs_.begin());
  if (it != late_inputs_.end() && *it == id) return early_inputs_ + late_below + 1;
  return inputs_ + (id - early_inputs_ - late_below);  // derived: in order, after every input
}

namespace {

// Reads the proof just written and writes it again with ids mapped.
class Renumberer {
 public:
  Renumberer(FILE* in, FILE* out) : in_(in), out_(out) {}

  template <class Map>
  bool text(Map map) {
    std::string token;
    while (word(token)) {
      put_id(token, map);  // the line's id (of the new clause, or the latest one before 'd')
      if (!word(token)) return false;
      if (token != "d") {
        while (token != "0") {  // literals, as they are
          put(token);
          if (!word(token)) return false;
        }
      }
      put(token);  // 'd', or the 0 after the literals
      if (!word(token)) return false;
      while (token != "0") {  // hints, or the ids deleted
        put_id(token, map);
        if (!word(token)) return false;
      }
      put(token);
      std::fputc('\n', out_);
      first_ = true;
    }
    return true;
  }

  template <class Map>
  bool binary(Map map) {
    int c;
    while ((c = std::getc(in_)) != EOF) {
      std::fputc(c, out_);
      uint64_t x;
      if (c == 'a') {
        if (!varint(x)) return false;
        put_varint(2 * map(x / 2));
        do {  // literals, as they are
          if (!varint(x)) return false;
          put_varint(x);
        } while (x != 0);
      } else if (c != 'd') {
        return false;
      }
      do {  // hints (sign in the low bit), or the ids deleted
        if (!varint(x)) return false;
        put_varint(x == 0 ? 0 : 2 * map(x / 2) + (x & 1));
      } while (x != 0);
    }
    return true;
  }

 private:
  bool word(std::string& token) {
    token.clear();
    int c;
    while ((c = std::getc(in_)) == ' ' || c == '\n') {}
    while (c != EOF && c != ' ' && c != '\n') {
      token += char(c);
      c = std::getc(in_);
    }
    return !token.empty();
  }
  void put(const std::string& token) {
    if (!first_) std::fputc(' ', out_);
    std::fputs(token.c_str(), out_);
    first_ = false;
  }
  template <class Map>
  void put_id(const std::string& token, Map map) {
    bool negative = token[0] == '-';
    uint64_t id = std::strtoull(token.c_str() + negative, nullptr, 10);
    put((negative ? "-" : "") + std::to_string(map(id)));
  }
  bool varint(uint64_t& x) {
    x = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int c = std::getc(in_);
      if (c == EOF) return false;
      x |= uint64_t(c & 127) << shift;
      if (!(c & 128)) return true;
    }
    return false;
  }
  void put_varint(uint64_t x) {
    while (x > 127) {
      std::fputc(int((x & 127) | 128), out_);
      x >>= 7;
    }
    std::fputc(int(x), out_);
  }

  FILE* in_;
  FILE* out_;
  bool first_ = true;
};

}  // namespace

void ProofWriter::renumber() {
  std::string tmp = path_ + ".renumbering";
  FILE* in = std::fopen(path_.c_str(), "rb");
  FILE* out = in ? std::fopen(tmp.c_str(), "wb") : nullptr;
  if (!in || !out) {
    int err = errno;
    if (in) std::fclose(in);
    throw std::runtime_error(path_ + ": cannot renumber the LRAT proof: " + std::strerror(err));
  }
  auto map = [this](uint64_t id) { return final_id(id); };
  Renumberer r(in, out);
  bool ok = format_ == ProofFormat::kLratText ? r.text(map) : r.binary(map);
  bool read_error = std::ferror(in);
  std::fclose(in);
  bool write_ok = std::fclose(out) == 0;
  if (!ok || read_error || !write_ok || std::rename(tmp.c_str(), path_.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error(path_ + ": cannot renumber the LRAT proof (read back malformed or write failed)");
  }
}

}  // namespace satmip::sat
