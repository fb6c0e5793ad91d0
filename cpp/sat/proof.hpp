// Proof output: DRAT (text or binary) and LRAT (text or binary).
// DRAT lines carry literals only; LRAT lines carry the clause id and the ids
// of the antecedents ("hints") in the order a checker unit-propagates them.
//
// LRAT ids: a checker numbers the input clauses 1..M in the order of the
// formula it is given, and every derived clause needs an id above M. The
// solver numbers inputs and derived clauses from one counter, which gives
// exactly that when all clauses are added before the first solve. A clause
// added after derived clauses exist (incremental use) gets a solver id above
// its input number; then close() rewrites the file once, renumbering the
// input clauses 1..M and the derived ones from M + 1 in their order.
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
  // The solver's id of the next input clause (called for every input clause, in order).
  void input(uint64_t id);
  void add(uint64_t id, const Lit* lits, size_t size, const std::vector<uint64_t>& hints);
  void remove(uint64_t id, const Lit* lits, size_t size);
  void flush();
  // Writes what is buffered, closes the file and (LRAT) renumbers it if needed.
  // Throws std::runtime_error naming the file on failure.
  void close();
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
  uint64_t final_id(uint64_t id) const;
  void renumber();

  FILE* file_ = nullptr;
  std::string path_;
  ProofFormat format_;
  uint64_t inputs_ = 0;                // input clauses so far (M)
  uint64_t early_inputs_ = 0;          // those whose solver id is their input number
  std::vector<uint64_t> late_inputs_;  // solver ids of the others, increasing
  uint64_t last_id_ = 0;  // LRAT deletion lines are numbered with the latest id
  uint64_t lines_ = 0;
  size_t pos_ = 0;
  char buf_[1 << 16];
};

}  // namespace satmip::sat
