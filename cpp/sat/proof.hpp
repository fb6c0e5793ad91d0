// Proof output: DRAT (text or binary) and LRAT (text or binary).
// DRAT lines carry literals only; LRAT lines carry the clause id and the ids
// of the antecedents ("hints") in the order a checker unit-propagates them.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "sat/types.hpp"

namespace satmip::sat {

enum class ProofFormat { kDratText, kDratBinary, kLratText, kLratBinary };

class ProofWriter {
 public:
  // Opens the file for writing; throws std::runtime_error naming the file.
  ProofWriter(const std::string& path, ProofFormat format);
  ~ProofWriter();
  ProofWriter(const ProofWriter&) = delete;
  ProofWriter& operator=(const ProofWriter&) = delete;

  bool lrat() const { return format_ == ProofFormat::kLratText || format_ == ProofFormat::kLratBinary; }
  void add(uint64_t id, const Lit* lits, size_t size, const std::vector<uint64_t>& hints);
  void remove(uint64_t id, const Lit* lits, size_t size);
  void flush();
  uint64_t lines() const { return lines_; }

 private:
  void put(char c) {
    if (pos_ == sizeof(buf_)) drain();
    buf_[pos_++] = c;
  }
  void put_uint(uint64_t x);
  void put_int(int64_t x);
  void put_varint(uint64_t x);
  void drain();

  FILE* file_ = nullptr;
  ProofFormat format_;
  uint64_t last_id_ = 0;  // LRAT deletion lines are numbered with the latest id
  uint64_t lines_ = 0;
  size_t pos_ = 0;
  char buf_[1 << 16];
};

}  // namespace satmip::sat
