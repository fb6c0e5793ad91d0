// Compact clauses in one arena of 32-bit words, referenced by 32-bit offsets.
// Every clause carries its 64-bit id from the start, because LRAT proof lines
// name the ids of a learned clause's antecedents.
#pragma once
#include <cstring>
#include <stdexcept>
#include <vector>

#include "sat/types.hpp"

namespace satmip::sat {

// A 64-bit id kept as two 32-bit words: clauses start on any 4-byte word of
// the arena, so the header must not require 8-byte alignment.
struct ClauseId {
  uint32_t lo, hi;
  ClauseId& operator=(uint64_t x) {
    lo = uint32_t(x);
    hi = uint32_t(x >> 32);
    return *this;
  }
  operator uint64_t() const { return (uint64_t(hi) << 32) | lo; }
};

struct Clause {
  ClauseId id;
  uint32_t size;
  uint32_t glue : 20;
  uint32_t learnt : 1;
  uint32_t garbage : 1;
  uint32_t used : 2;       // recently used in conflict analysis (reduce keeps it)
  uint32_t vivified : 1;   // already vivified in this round
  uint32_t subsume : 1;    // candidate for the next subsumption round
  uint32_t moved : 1;      // during collection: 'id' holds the new reference
  uint32_t unused : 5;

  Lit* lits() { return reinterpret_cast<Lit*>(this + 1); }
  const Lit* lits() const { return reinterpret_cast<const Lit*>(this + 1); }
  Lit& operator[](uint32_t i) { return lits()[i]; }
  Lit operator[](uint32_t i) const { return lits()[i]; }
  Lit* begin() { return lits(); }
  Lit* end() { return lits() + size; }
  const Lit* begin() const { return lits(); }
  const Lit* end() const { return lits() + size; }
};
static_assert(sizeof(Clause) == 16 && alignof(Clause) == 4, "clause header: four 32-bit words");

constexpr uint32_t kHeaderWords = sizeof(Clause) / sizeof(uint32_t);

class Arena {
 public:
  CRef alloc(uint64_t id, const Lit* lits, uint32_t size, bool learnt, uint32_t glue) {
    size_t need = kHeaderWords + size;
    // Watches keep the reference in 31 bits.
    if (mem_.size() + need >= (size_t(1) << 31)) throw std::length_error("clause arena exceeds 8 GiB");
    CRef ref = CRef(mem_.size());
    mem_.resize(mem_.size() + need);
    Clause& c = at(ref);
    std::memset(&c, 0, sizeof(Clause));
    c.id = id;
    c.size = size;
    c.learnt = learnt;
    c.glue = glue > 0xFFFFF ? 0xFFFFF : glue;
    std::memcpy(c.lits(), lits, size * sizeof(Lit));
    return ref;
  }
  Clause& at(CRef r) { return *reinterpret_cast<Clause*>(&mem_[r]); }
  const Clause& at(CRef r) const { return *reinterpret_cast<const Clause*>(&mem_[r]); }
  size_t words() const { return mem_.size(); }
  size_t bytes() const { return mem_.capacity() * sizeof(uint32_t); }
  void free_words(size_t n) { wasted_ += n; }
  size_t wasted() const { return wasted_; }
  void swap(Arena& other) { mem_.swap(other.mem_); std::swap(wasted_, other.wasted_); }
  void reserve(size_t words) { mem_.reserve(words); }
  static size_t words_of(const Clause& c) { return kHeaderWords + c.size; }

 private:
  std::vector<uint32_t> mem_;
  size_t wasted_ = 0;
};

// A watcher: the blocking literal (if true the clause is satisfied and need not
// be visited) and the clause reference with a binary flag in the low bit, so a
// binary clause is propagated from the watch alone, without touching memory.
struct Watch {
  Lit blocker;
  uint32_t tagged;
  Watch() = default;
  Watch(Lit b, CRef r, bool binary) : blocker(b), tagged((r << 1) | (binary ? 1u : 0u)) {}
  CRef ref() const { return tagged >> 1; }
  bool binary() const { return tagged & 1u; }
};
using Watches = std::vector<Watch>;

}  // namespace satmip::sat
