// Independent LRAT / DRAT proof checkers (see lrat_checker.hpp).
//
// Deliberately self-contained: nothing here is shared with the solver, so a
// bug in the solver's propagation or clause bookkeeping cannot hide itself by
// being repeated in the checker.
//
// Internal literal encoding: code = 2 * var + (lit < 0), var >= 1. Variables
// 1..nvars keep their number; larger proof variables (extension variables)
// are renumbered densely so that a huge index cannot blow up the arrays.
#include "check/lrat_checker.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace satmip::check {
namespace {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr int64_t kMaxLitMagnitude = std::numeric_limits<int32_t>::max();
constexpr int64_t kMaxId = int64_t{1} << 62;

constexpr int8_t kTrue = 1;
constexpr int8_t kFalse = -1;
constexpr int8_t kUnassigned = 0;

// ---------------------------------------------------------------------------
// Input helpers
// ---------------------------------------------------------------------------

// A proof file read a chunk at a time (proofs run to gigabytes; the
// checker holds the live clauses, not the file), with a little lookahead.
class ProofFile {
 public:
  explicit ProofFile(const std::string& path) : file_(std::fopen(path.c_str(), "rb")), buf_(new char[kSize]) {}
  ~ProofFile() {
    if (file_) std::fclose(file_);
  }
  ProofFile(const ProofFile&) = delete;
  ProofFile& operator=(const ProofFile&) = delete;

  bool is_open() const { return file_ != nullptr; }
  bool read_error() const { return file_ && std::ferror(file_); }

  // Byte k ahead of the current one (k < kLookahead), or -1 past the end.
  int peek(size_t k = 0) {
    if (len_ - pos_ <= k) refill(k + 1);
    return len_ - pos_ > k ? static_cast<unsigned char>(buf_[pos_ + k]) : -1;
  }
  void advance() { ++pos_; }  // after a peek() that was not -1

  static constexpr size_t kLookahead = 2;

 private:
  void refill(size_t want) {
    if (eof_) return;
    std::memmove(buf_.get(), buf_.get() + pos_, len_ - pos_);
    len_ -= pos_;
    pos_ = 0;
    while (len_ < want && !eof_) {
      size_t got = std::fread(buf_.get() + len_, 1, kSize - len_, file_);
      if (got == 0) eof_ = true;
      len_ += got;
    }
  }

  static constexpr size_t kSize = size_t(1) << 20;
  FILE* file_;
  std::unique_ptr<char[]> buf_;
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false;
};

// Binary proofs start with an 'a'/'d' step byte and every step ends with a
// 0 byte; text proofs never contain a NUL byte. This tells text deletion
// lines ("d 1 2 0") apart from binary deletions. Reads until the first NUL.
bool looks_binary(const std::string& path) {
  ProofFile in(path);
  if (!in.is_open() || (in.peek() != 'a' && in.peek() != 'd')) return false;
  for (int c; (c = in.peek()) != -1; in.advance())
    if (c == 0) return true;
  return false;
}

// Maps external DIMACS variables to dense internal ones; owners compare
// num_vars() with their array sizes after mapping to grow them.
class VarMap {
 public:
  explicit VarMap(int32_t nvars) : nvars_(nvars < 0 ? 0 : nvars) {
    if (nvars_ > kMaxVars) throw std::length_error("too many variables");
    count_ = static_cast<uint32_t>(nvars_);
  }

  uint32_t num_vars() const { return count_; }

  uint32_t code(int64_t lit) {
    const int64_t var = lit < 0 ? -lit : lit;
    uint32_t v;
    if (var <= nvars_) {
      v = static_cast<uint32_t>(var);
    } else {
      auto it = extra_.find(var);
      if (it == extra_.end()) {
        if (count_ >= kMaxVars) throw std::length_error("too many variables");
        it = extra_.emplace(var, ++count_).first;
      }
      v = it->second;
    }
    return 2 * v + (lit < 0 ? 1u : 0u);
  }

 private:
  // Keeps literal codes (2 * var + sign) clear of the kNone sentinel.
  static constexpr uint32_t kMaxVars = 1u << 30;

  int64_t nvars_;
  uint32_t count_ = 0;
  std::unordered_map<int64_t, uint32_t> extra_;
};

// Decodes the binary DRAT/LRAT mapping u = 2*|x| + (x < 0); 0 ends a list.
bool decode_signed(uint64_t u, int64_t& x) {
  if (u == 1) return false;  // "-0" does not exist
  const int64_t mag = static_cast<int64_t>(u >> 1);
  x = (u & 1) ? -mag : mag;
  return true;
}

// ---------------------------------------------------------------------------
// Proof reader: one step at a time, text or binary, DRAT or LRAT.
// ---------------------------------------------------------------------------

struct Step {
  bool is_delete = false;
  int64_t id = 0;              // LRAT additions: the new clause id
  std::vector<int64_t> lits;   // clause literals (DRAT add/delete, LRAT add)
  std::vector<int64_t> ids;    // LRAT: hints (add) or deleted ids (delete)
  uint64_t pos = 0;            // text: line of the step's first token; binary: step number
};

class ProofReader {
 public:
  enum class Status { kStep, kEnd, kError };

  ProofReader(ProofFile& in, bool lrat, bool binary) : in_(in), lrat_(lrat), binary_(binary) {}

  const std::string& error() const { return error_; }

  std::string location(uint64_t pos) const {
    return (binary_ ? "proof step " : "proof line ") + std::to_string(pos);
  }

  Status next(Step& s) {
    s.is_delete = false;
    s.id = 0;
    s.lits.clear();
    s.ids.clear();
    const bool ok = binary_ ? next_binary(s) : next_text(s);
    if (!ok) return Status::kError;
    return at_end_ ? Status::kEnd : Status::kStep;
  }

 private:
  // ---- text ----

  static bool is_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
  static bool is_digit(int c) { return c >= '0' && c <= '9'; }

  void skip_space() {
    for (int c; is_space(c = in_.peek()); in_.advance())
      if (c == '\n') ++line_;
  }

  void skip_line() {
    for (int c; (c = in_.peek()) != -1 && c != '\n';) in_.advance();
  }

  bool fail(uint64_t pos, const std::string& what) {
    error_ = location(pos) + ": " + what;
    return false;
  }

  // Reads one integer token with magnitude <= limit.
  bool read_int(int64_t& x, int64_t limit) {
    skip_space();
    if (in_.peek() == -1) return fail(line_, "unexpected end of proof");
    const bool neg = in_.peek() == '-';
    if (neg) in_.advance();
    if (!is_digit(in_.peek())) return fail(line_, "expected a number");
    int64_t v = 0;
    for (int c; is_digit(c = in_.peek()); in_.advance()) {
      const int digit = c - '0';
      if (v > (limit - digit) / 10) return fail(line_, "number out of range");
      v = v * 10 + digit;
    }
    if (in_.peek() != -1 && !is_space(in_.peek())) return fail(line_, "unexpected character in number");
    x = neg ? -v : v;
    return true;
  }

  // Reads integers up to (not including) the terminating 0.
  bool read_int_list(std::vector<int64_t>& out, int64_t limit) {
    for (;;) {
      int64_t x;
      if (!read_int(x, limit)) return false;
      if (x == 0) return true;
      out.push_back(x);
    }
  }

  // A lone 'd' token (followed by white space) marks a deletion.
  bool at_delete_marker() {
    return in_.peek() == 'd' && (in_.peek(1) == -1 || is_space(in_.peek(1)));
  }

  bool next_text(Step& s) {
    for (;;) {
      skip_space();
      if (in_.peek() == -1) {
        at_end_ = true;
        return true;
      }
      if (in_.peek() != 'c') break;
      skip_line();  // comment line
    }
    s.pos = line_;
    if (lrat_) {
      if (!read_int(s.id, kMaxId)) return false;
      skip_space();
    }
    if (at_delete_marker()) {
      in_.advance();
      s.is_delete = true;
      return lrat_ ? read_int_list(s.ids, kMaxId) : read_int_list(s.lits, kMaxLitMagnitude);
    }
    if (!read_int_list(s.lits, kMaxLitMagnitude)) return false;
    return lrat_ ? read_int_list(s.ids, kMaxId) : true;
  }

  // ---- binary ----
  bool read_varint(uint64_t& u) {
    u = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const int byte = in_.peek();
      if (byte == -1) return fail(step_, "unexpected end of proof");
      in_.advance();
      u |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return true;
    }
    return fail(step_, "varint too long");
  }

  bool read_signed(int64_t& x, int64_t limit) {
    uint64_t u;
    if (!read_varint(u)) return false;
    if (!decode_signed(u, x) || (x < 0 ? -x : x) > limit) return fail(step_, "number out of range");
    return true;
  }

  bool read_signed_list(std::vector<int64_t>& out, int64_t limit) {
    for (;;) {
      int64_t x;
      if (!read_signed(x, limit)) return false;
      if (x == 0) return true;
      out.push_back(x);
    }
  }

  bool next_binary(Step& s) {
    if (in_.peek() == -1) {
      at_end_ = true;
      return true;
    }
    s.pos = ++step_;
    const int kind = in_.peek();
    in_.advance();
    if (kind != 'a' && kind != 'd') return fail(step_, "expected 'a' or 'd' step byte");
    s.is_delete = kind == 'd';
    if (!lrat_) return read_signed_list(s.lits, kMaxLitMagnitude);
    if (s.is_delete) return read_signed_list(s.ids, kMaxId);
    return read_signed(s.id, kMaxId) && read_signed_list(s.lits, kMaxLitMagnitude) &&
           read_signed_list(s.ids, kMaxId);
  }

  ProofFile& in_;
  bool lrat_;
  bool binary_;
  bool at_end_ = false;
  uint64_t line_ = 1;
  uint64_t step_ = 0;
  std::string error_;
};

// Shared front matter of both checkers: validates the flat formula.
bool validate_formula(const std::vector<int32_t>& formula, int32_t nvars, std::string& why) {
  if (nvars < 0) {
    why = "formula: negative number of variables";
    return false;
  }
  for (int32_t lit : formula) {
    const int64_t var = lit < 0 ? -static_cast<int64_t>(lit) : lit;
    if (var > nvars) {
      why = "formula: literal " + std::to_string(lit) + " exceeds nvars";
      return false;
    }
  }
  if (!formula.empty() && formula.back() != 0) {
    why = "formula: last clause not terminated by 0";
    return false;
  }
  return true;
}

// Calls f(begin, end) for every 0-terminated clause of the flat formula.
template <class F>
void for_each_clause(const std::vector<int32_t>& formula, F&& f) {
  size_t begin = 0;
  for (size_t i = 0; i < formula.size(); ++i) {
    if (formula[i] != 0) continue;
    f(formula.data() + begin, formula.data() + i);
    begin = i + 1;
  }
}

// ---------------------------------------------------------------------------
// LRAT: every lemma comes with the ids of the clauses that, in order, become
// unit under the negated lemma and finally conflict. No search needed.
// ---------------------------------------------------------------------------

class LratChecker {
 public:
  explicit LratChecker(int32_t nvars) : vars_(nvars) { grow(); }

  int64_t max_id() const { return max_id_; }

  std::vector<uint32_t>& map_lits(const int64_t* b, const int64_t* e) {
    tmp_.clear();
    for (; b != e; ++b) tmp_.push_back(vars_.code(*b));
    grow();
    return tmp_;
  }

  // Ids must arrive in increasing order (checked by the caller).
  void add(int64_t id, const std::vector<uint32_t>& lits) {
    max_id_ = id;
    ids_.push_back(id);
    recs_.push_back({arena_.size(), static_cast<uint32_t>(lits.size()), true});
    arena_.insert(arena_.end(), lits.begin(), lits.end());
  }

  bool remove(int64_t id) {
    const size_t i = find(id);
    if (i == kNotFound) return false;
    recs_[i].live = false;
    ++dead_;
    dead_lits_ += recs_[i].size;
    maybe_collect();
    return true;
  }

  // RUP with hints: true when the lemma is implied, else `why` says why not.
  bool check_rup(const std::vector<uint32_t>& lemma, const std::vector<int64_t>& hints,
                 std::string& why) {
    bool implied = assign_negation(lemma);
    for (size_t h = 0; !implied && h < hints.size(); ++h) {
      const HintResult r = apply_hint(hints[h], why);
      if (r == HintResult::kError) break;
      implied = r == HintResult::kConflict;
    }
    if (!implied && why.empty()) why = "hints end without a conflict";
    undo();
    return implied;
  }

 private:
  struct Rec {
    size_t start;
    uint32_t size;
    bool live;
  };
  static constexpr size_t kNotFound = std::numeric_limits<size_t>::max();
  enum class HintResult { kUnit, kConflict, kError };

  void grow() {
    const size_t n = 2 * (size_t{vars_.num_vars()} + 1);
    if (val_.size() < n) val_.resize(n, kUnassigned);
  }

  void assign(uint32_t lit) {
    val_[lit] = kTrue;
    val_[lit ^ 1] = kFalse;
    trail_.push_back(lit);
  }

  // True when the lemma is a tautology (l and -l), which needs no hints.
  bool assign_negation(const std::vector<uint32_t>& lemma) {
    for (uint32_t l : lemma) {
      if (val_[l] == kTrue) return true;
      if (val_[l] == kUnassigned) assign(l ^ 1);  // false: duplicate literal
    }
    return false;
  }

  void undo() {
    for (uint32_t lit : trail_) val_[lit] = val_[lit ^ 1] = kUnassigned;
    trail_.clear();
  }

  // Ids are sorted because additions must use increasing ids.
  size_t find(int64_t id) const {
    auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    if (it == ids_.end() || *it != id) return kNotFound;
    const size_t i = static_cast<size_t>(it - ids_.begin());
    return recs_[i].live ? i : kNotFound;
  }

  // Applies one hint clause: it must be unit (its literal gets assigned) or
  // falsified (conflict). Anything else is an error described in `why`.
  HintResult apply_hint(int64_t hint, std::string& why) {
    if (hint < 0) {
      why = "RAT hints not supported";
      return HintResult::kError;
    }
    const size_t i = find(hint);
    if (i == kNotFound) {
      why = "hint " + std::to_string(hint) + " refers to an unknown or deleted clause";
      return HintResult::kError;
    }
    // The clause must have at most one literal that is not false. A true one
    // is tolerated as a redundant unit (as the reference lrat-check does).
    uint32_t unit = kNone;
    const uint32_t* c = &arena_[recs_[i].start];
    for (uint32_t k = 0; k < recs_[i].size; ++k) {
      if (val_[c[k]] == kFalse || c[k] == unit) continue;
      if (unit != kNone) {
        why = "hint " + std::to_string(hint) + " is not unit (two non-false literals)";
        return HintResult::kError;
      }
      unit = c[k];
    }
    if (unit == kNone) return HintResult::kConflict;
    if (val_[unit] == kUnassigned) assign(unit);
    return HintResult::kUnit;
  }

  // Drops deleted clauses once they make up most of the store.
  void maybe_collect() {
    if (dead_ < 1024 || dead_ * 2 < recs_.size()) return;
    std::vector<uint32_t> arena;
    arena.reserve(arena_.size() - dead_lits_);
    size_t j = 0;
    for (size_t i = 0; i < recs_.size(); ++i) {
      if (!recs_[i].live) continue;
      Rec r = recs_[i];
      const size_t start = arena.size();
      const uint32_t* lits = arena_.data() + r.start;
      arena.insert(arena.end(), lits, lits + r.size);
      r.start = start;
      recs_[j] = r;
      ids_[j++] = ids_[i];
    }
    recs_.resize(j);
    ids_.resize(j);
    arena_.swap(arena);
    dead_ = dead_lits_ = 0;
  }

  VarMap vars_;
  int64_t max_id_ = 0;        // ids only grow, even when the newest is deleted
  std::vector<int64_t> ids_;  // sorted, parallel to recs_
  std::vector<Rec> recs_;
  std::vector<uint32_t> arena_;
  size_t dead_ = 0;
  size_t dead_lits_ = 0;
  std::vector<int8_t> val_;
  std::vector<uint32_t> trail_;
  std::vector<uint32_t> tmp_;
};

// ---------------------------------------------------------------------------
// DRAT: forward checking with two watched literals. Top-level units are kept
// assigned permanently (their reasons are never deleted), each lemma is
// checked by assigning its negation on top, propagating and backtracking.
// ---------------------------------------------------------------------------

uint64_t mix64(uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Order-independent, so deletions can list literals in any order.
uint64_t clause_hash(const uint32_t* lits, size_t n) {
  uint64_t h = mix64(n);
  for (size_t k = 0; k < n; ++k) h += mix64(lits[k]);
  return h;
}

class DratChecker {
 public:
  explicit DratChecker(int32_t nvars) : vars_(nvars) { grow(); }

  bool refuted() const { return refuted_; }

  // Sorted, duplicate-free literal codes; returns false for a tautology.
  bool normalize(const int64_t* b, const int64_t* e, std::vector<uint32_t>& out) {
    out.clear();
    for (; b != e; ++b) out.push_back(vars_.code(*b));
    grow();
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    for (size_t i = 1; i < out.size(); ++i)
      if ((out[i] ^ 1) == out[i - 1]) return false;
    return true;
  }

  uint32_t code(int64_t lit) {
    const uint32_t c = vars_.code(lit);
    grow();
    return c;
  }

  // RUP, else RAT on `pivot` (kNone: no pivot, i.e. the empty clause).
  bool implied(const std::vector<uint32_t>& lemma, uint32_t pivot) {
    if (refuted_) return true;  // inconsistent clause set implies everything
    bool ok = assign_negation(lemma) || !propagate();
    if (!ok && pivot != kNone) ok = rat(pivot);
    backtrack(top_);
    return ok;
  }

  void add(const std::vector<uint32_t>& lits) {
    if (refuted_) return;
    if (lits.empty()) {
      refuted_ = true;
      return;
    }
    const uint32_t cref = store(lits);
    if (occ_built_)
      for (uint32_t l : lits) occ_[l].push_back(cref);
    attach(cref);
  }

  // Deletes one live copy of the clause. Missing clauses, and reasons of
  // top-level units (as drat-trim does), are kept: keeping more clauses than
  // the proof has is sound for refutations.
  void remove(const std::vector<uint32_t>& lits) {
    if (refuted_) return;
    auto head = buckets_.find(clause_hash(lits.data(), lits.size()));
    if (head == buckets_.end()) return;
    uint32_t prev = kNone;
    for (uint32_t c = head->second; c != kNone; prev = c, c = next_of(c)) {
      if (!same_clause(c, lits) || is_reason(c)) continue;
      unlink(head, c, prev);
      arena_[c] |= kDeadBit;
      dead_words_ += kHeader + size_of(c);
      maybe_collect();
      return;
    }
  }

 private:
  struct Watch {
    uint32_t cref;
    uint32_t blocker;  // some other literal of the clause; true -> skip visit
  };

  // Clause store: arena_[cref] = size (| kDeadBit once deleted),
  // arena_[cref + 1] = next clause of the same hash bucket, then the
  // literals. The header next to the literals keeps a watch visit to one
  // cache line.
  static constexpr uint32_t kHeader = 2;
  static constexpr uint32_t kDeadBit = 1u << 31;

  uint32_t size_of(uint32_t cref) const { return arena_[cref] & ~kDeadBit; }
  bool live(uint32_t cref) const { return !(arena_[cref] & kDeadBit); }
  uint32_t& next_of(uint32_t cref) { return arena_[cref + 1]; }
  uint32_t* lits_of(uint32_t cref) { return arena_.data() + cref + kHeader; }

  void grow() {
    const size_t n = 2 * (size_t{vars_.num_vars()} + 1);
    if (val_.size() >= n) return;
    val_.resize(n, kUnassigned);
    watches_.resize(n);
    mark_.resize(n, 0);
    reason_.resize(n / 2, kNone);
    if (occ_built_) occ_.resize(n);
  }

  uint32_t store(const std::vector<uint32_t>& lits) {
    if (lits.size() >= kDeadBit || arena_.size() + kHeader + lits.size() >= kNone)
      throw std::length_error("proof too large for the DRAT checker's clause arena");
    const auto cref = static_cast<uint32_t>(arena_.size());
    arena_.push_back(static_cast<uint32_t>(lits.size()));
    arena_.push_back(kNone);
    arena_.insert(arena_.end(), lits.begin(), lits.end());
    link(cref);
    return cref;
  }

  void link(uint32_t cref) {
    const uint32_t* lits = lits_of(cref);
    auto inserted = buckets_.emplace(clause_hash(lits, size_of(cref)), cref);
    if (inserted.second) return;
    next_of(cref) = inserted.first->second;  // becomes the bucket's head
    inserted.first->second = cref;
  }

  void unlink(std::unordered_map<uint64_t, uint32_t>::iterator head, uint32_t c, uint32_t prev) {
    const uint32_t next = next_of(c);
    if (prev != kNone) {
      next_of(prev) = next;
    } else if (next != kNone) {
      head->second = next;
    } else {
      buckets_.erase(head);
    }
  }

  // Both sides are duplicate-free, so equal size + inclusion = equality.
  bool same_clause(uint32_t cref, const std::vector<uint32_t>& lits) {
    const uint32_t size = size_of(cref);
    if (!live(cref) || size != lits.size()) return false;
    for (uint32_t l : lits) mark_[l] = 1;
    bool same = true;
    const uint32_t* c = lits_of(cref);
    for (uint32_t k = 0; k < size && same; ++k) same = mark_[c[k]];
    for (uint32_t l : lits) mark_[l] = 0;
    return same;
  }

  bool is_reason(uint32_t cref) {
    const uint32_t* c = lits_of(cref);
    for (uint32_t k = 0; k < size_of(cref); ++k)
      if (val_[c[k]] == kTrue && reason_[c[k] >> 1] == cref) return true;
    return false;
  }

  void assign(uint32_t lit, uint32_t reason) {
    val_[lit] = kTrue;
    val_[lit ^ 1] = kFalse;
    reason_[lit >> 1] = reason;
    trail_.push_back(lit);
  }

  void backtrack(size_t size) {
    while (trail_.size() > size) {
      const uint32_t lit = trail_.back();
      trail_.pop_back();
      val_[lit] = val_[lit ^ 1] = kUnassigned;
      reason_[lit >> 1] = kNone;
    }
    qhead_ = size;
  }

  void watch(uint32_t cref) {
    const uint32_t* c = lits_of(cref);
    watches_[c[0]].push_back({cref, c[1]});
    watches_[c[1]].push_back({cref, c[0]});
  }

  // Watches a new clause at top level: puts non-false literals first, then
  // propagates a resulting unit or records a top-level conflict.
  void attach(uint32_t cref) {
    uint32_t* c = lits_of(cref);
    const uint32_t size = size_of(cref);
    uint32_t nonfalse = 0;
    for (uint32_t k = 0; k < size && nonfalse < 2; ++k)
      if (val_[c[k]] != kFalse) std::swap(c[nonfalse++], c[k]);
    if (size >= 2) watch(cref);
    if (nonfalse == 0) {
      refuted_ = true;
    } else if (nonfalse == 1 && val_[c[0]] == kUnassigned) {
      assign(c[0], cref);
      if (!propagate()) refuted_ = true;
      top_ = trail_.size();
    }
  }

  // Returns true when the negation is immediately contradictory (some lemma
  // literal is already true).
  bool assign_negation(const std::vector<uint32_t>& lemma) {
    for (uint32_t l : lemma) {
      if (val_[l] == kTrue) return true;
      if (val_[l] == kUnassigned) assign(l ^ 1, kNone);
    }
    return false;
  }

  // Standard two-watched-literal unit propagation; false on conflict.
  bool propagate() {
    while (qhead_ < trail_.size()) {
      const uint32_t false_lit = trail_[qhead_++] ^ 1;
      std::vector<Watch>& ws = watches_[false_lit];
      size_t i = 0, j = 0;
      const size_t n = ws.size();
      while (i < n) {
        const Watch w = ws[i++];
        if (val_[w.blocker] == kTrue) {
          ws[j++] = w;
          continue;
        }
        if (!live(w.cref)) continue;  // lazily drop deleted clauses
        uint32_t* c = lits_of(w.cref);
        if (c[0] == false_lit) std::swap(c[0], c[1]);
        const uint32_t first = c[0];
        if (first != w.blocker && val_[first] == kTrue) {
          ws[j++] = {w.cref, first};
          continue;
        }
        if (find_new_watch(w.cref, first)) continue;
        ws[j++] = {w.cref, first};
        if (val_[first] == kFalse) {  // conflict: keep the remaining watches
          while (i < n) ws[j++] = ws[i++];
          ws.resize(j);
          qhead_ = trail_.size();
          return false;
        }
        assign(first, w.cref);
      }
      ws.resize(j);
    }
    return true;
  }

  // c[1] is false: moves the watch to a non-false literal if there is one.
  bool find_new_watch(uint32_t cref, uint32_t first) {
    uint32_t* c = lits_of(cref);
    const uint32_t size = size_of(cref);
    for (uint32_t k = 2; k < size; ++k) {
      if (val_[c[k]] == kFalse) continue;
      std::swap(c[1], c[k]);
      watches_[c[1]].push_back({cref, first});
      return true;
    }
    return false;
  }

  // The negated lemma is assigned and propagated without conflict. Every
  // resolvent on the pivot with a live clause containing -pivot must be RUP.
  bool rat(uint32_t pivot) {
    build_occ();
    const size_t base = trail_.size();
    for (uint32_t d : occ_[pivot ^ 1]) {
      if (!live(d)) continue;  // deleted; purged at the next collection
      const bool ok = resolvent_rup(d, pivot ^ 1);
      backtrack(base);
      if (!ok) return false;
    }
    return true;
  }

  bool resolvent_rup(uint32_t d, uint32_t skip) {
    const uint32_t* c = lits_of(d);
    for (uint32_t k = 0; k < size_of(d); ++k) {
      if (c[k] == skip || val_[c[k]] == kFalse) continue;
      if (val_[c[k]] == kTrue) return true;
      assign(c[k] ^ 1, kNone);
    }
    return !propagate();
  }

  // Calls f(cref) for every live clause, in arena order.
  template <class F>
  void for_each_live(F&& f) {
    // The arena stays below 2^32 words (see store), so offsets fit uint32_t.
    for (uint32_t cref = 0; cref < arena_.size(); cref += kHeader + size_of(cref))
      if (live(cref)) f(cref);
  }

  void occ_add(uint32_t cref) {
    const uint32_t* c = lits_of(cref);
    for (uint32_t k = 0; k < size_of(cref); ++k) occ_[c[k]].push_back(cref);
  }

  // Occurrence lists are only needed for RAT, so they are built on demand
  // and maintained from then on.
  void build_occ() {
    if (occ_built_) return;
    occ_built_ = true;
    occ_.assign(val_.size(), {});
    for_each_live([this](uint32_t cref) { occ_add(cref); });
  }

  // Compacts the arena once deleted clauses fill half of it. Clause
  // references change, so reasons are remapped and the hash buckets, watch
  // and occurrence lists rebuilt (watches stay on positions 0 and 1).
  void maybe_collect() {
    if (dead_words_ < (1u << 20) || dead_words_ * 2 < arena_.size()) return;
    std::vector<uint32_t> arena;
    arena.reserve(arena_.size() - dead_words_);
    for_each_live([&](uint32_t cref) {
      const uint32_t* begin = arena_.data() + cref;
      const auto moved = static_cast<uint32_t>(arena.size());
      arena.insert(arena.end(), begin, begin + kHeader + size_of(cref));
      next_of(cref) = moved;  // forwarding address, read below
    });
    for (uint32_t lit : trail_) {  // only top-level assignments exist here
      uint32_t& r = reason_[lit >> 1];
      if (r != kNone) r = next_of(r);
    }
    arena_.swap(arena);
    dead_words_ = 0;
    buckets_.clear();
    for (auto& ws : watches_) ws.clear();
    for (auto& os : occ_) os.clear();
    for_each_live([this](uint32_t cref) {
      next_of(cref) = kNone;
      link(cref);
      if (size_of(cref) >= 2) watch(cref);
      if (occ_built_) occ_add(cref);
    });
  }

  VarMap vars_;
  std::vector<uint32_t> arena_;
  size_t dead_words_ = 0;
  std::unordered_map<uint64_t, uint32_t> buckets_;  // hash -> newest clause
  std::vector<std::vector<Watch>> watches_;         // per literal code
  std::vector<std::vector<uint32_t>> occ_;          // per literal code, RAT only
  bool occ_built_ = false;
  std::vector<int8_t> val_;       // per literal code
  std::vector<uint32_t> reason_;  // per variable
  std::vector<uint8_t> mark_;     // per literal code, scratch
  std::vector<uint32_t> trail_;
  size_t qhead_ = 0;
  size_t top_ = 0;  // trail size of the permanent top-level assignment
  bool refuted_ = false;
};

void fail(CheckResult& r, std::string message) {
  r.ok = false;
  r.message = std::move(message);
}

void run_lrat(const std::vector<int32_t>& formula, int32_t nvars, const std::string& proof_path,
              CheckResult& res) {
  std::string why;
  if (!validate_formula(formula, nvars, why)) return fail(res, why);

  LratChecker checker(nvars);
  int64_t id = 0;
  std::vector<int64_t> wide;
  for_each_clause(formula, [&](const int32_t* b, const int32_t* e) {
    wide.assign(b, e);
    checker.add(++id, checker.map_lits(wide.data(), wide.data() + wide.size()));
  });

  ProofFile proof(proof_path);
  if (!proof.is_open()) return fail(res, "cannot read proof file " + proof_path);
  ProofReader reader(proof, /*lrat=*/true, looks_binary(proof_path));
  Step s;
  bool empty_added = false;
  for (;;) {
    const auto status = reader.next(s);
    if (status == ProofReader::Status::kError) return fail(res, reader.error());
    if (status == ProofReader::Status::kEnd) {
      if (proof.read_error()) return fail(res, "cannot read proof file " + proof_path);
      break;
    }
    auto at = [&] { return reader.location(s.pos) + ": "; };
    if (s.is_delete) {
      for (int64_t d : s.ids) {
        if (!checker.remove(d))
          return fail(res, at() + "deleting unknown or already deleted clause " +
                               std::to_string(d));
        ++res.deletions;
      }
      continue;
    }
    ++res.lemmas;
    if (s.id <= checker.max_id())
      return fail(res, at() + "clause id " + std::to_string(s.id) +
                           " is not greater than every existing id");
    const auto& lemma = checker.map_lits(s.lits.data(), s.lits.data() + s.lits.size());
    if (!checker.check_rup(lemma, s.ids, why))
      return fail(res, at() + "lemma " + std::to_string(s.id) + ": " + why);
    checker.add(s.id, lemma);
    empty_added = empty_added || s.lits.empty();
  }
  if (!empty_added) return fail(res, "proof does not derive the empty clause");
  res.ok = true;
}

void run_drat(const std::vector<int32_t>& formula, int32_t nvars, const std::string& proof_path,
              CheckResult& res) {
  std::string why;
  if (!validate_formula(formula, nvars, why)) return fail(res, why);

  DratChecker checker(nvars);
  std::vector<int64_t> wide;
  std::vector<uint32_t> lits;
  for_each_clause(formula, [&](const int32_t* b, const int32_t* e) {
    wide.assign(b, e);
    if (checker.normalize(wide.data(), wide.data() + wide.size(), lits)) checker.add(lits);
  });

  ProofFile proof(proof_path);
  if (!proof.is_open()) return fail(res, "cannot read proof file " + proof_path);
  ProofReader reader(proof, /*lrat=*/false, looks_binary(proof_path));
  Step s;
  // Without an explicit empty clause only a formula that unit propagation
  // refutes on its own is accepted.
  bool refuted = checker.refuted();
  for (;;) {
    const auto status = reader.next(s);
    if (status == ProofReader::Status::kError) return fail(res, reader.error());
    if (status == ProofReader::Status::kEnd) {
      if (proof.read_error()) return fail(res, "cannot read proof file " + proof_path);
      break;
    }
    const bool tautology = !checker.normalize(s.lits.data(), s.lits.data() + s.lits.size(), lits);
    if (s.is_delete) {
      ++res.deletions;
      if (!tautology) checker.remove(lits);
      continue;
    }
    ++res.lemmas;
    if (tautology) continue;  // trivially implied, and useless to keep
    const uint32_t pivot = s.lits.empty() ? kNone : checker.code(s.lits[0]);
    if (!checker.implied(lits, pivot))
      return fail(res, reader.location(s.pos) + ": lemma is neither RUP nor RAT");
    checker.add(lits);
    refuted = refuted || s.lits.empty();
  }
  if (!refuted) return fail(res, "proof does not derive the empty clause");
  res.ok = true;
}

// Resource limits (memory, arena size) end the check as a failure.
template <class Run>
CheckResult guarded(Run run) {
  CheckResult res;
  try {
    run(res);
  } catch (const std::exception& e) {
    fail(res, std::string("checker gave up: ") + e.what());
  }
  return res;
}

}  // namespace

CheckResult check_lrat(const std::vector<int32_t>& formula, int32_t nvars,
                       const std::string& proof_path) {
  return guarded([&](CheckResult& res) { run_lrat(formula, nvars, proof_path, res); });
}

CheckResult check_drat(const std::vector<int32_t>& formula, int32_t nvars,
                       const std::string& proof_path) {
  return guarded([&](CheckResult& res) { run_drat(formula, nvars, proof_path, res); });
}

}  // namespace satmip::check
