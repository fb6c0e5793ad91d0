#include "sat/proof.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace satmip::sat {

ProofWriter::ProofWriter(const std::string& path, ProofFormat format) : format_(format) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw std::runtime_error(path + ": cannot open proof file: " + std::strerror(errno));
}

ProofWriter::~ProofWriter() {
  if (!file_) return;
  drain();
  std::fclose(file_);
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

}  // namespace satmip::sat
