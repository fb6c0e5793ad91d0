// Binary max-heap of variables ordered by an external score array (EVSIDS).
#pragma once
#include <vector>

#include "sat/types.hpp"

namespace satmip::sat {

class ScoreHeap {
 public:
  explicit ScoreHeap(const std::vector<double>& score) : score_(score) {}

  void resize(size_t nvars) { pos_.resize(nvars, kAbsent); }
  bool contains(Var v) const { return v < pos_.size() && pos_[v] != kAbsent; }
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  Var top() const { return heap_[0]; }

  void push(Var v) {
    if (contains(v)) return;
    pos_[v] = uint32_t(heap_.size());
    heap_.push_back(v);
    up(pos_[v]);
  }
  Var pop() {
    Var v = heap_[0];
    Var last = heap_.back();
    heap_.pop_back();
    pos_[v] = kAbsent;
    if (!heap_.empty()) {
      heap_[0] = last;
      pos_[last] = 0;
      down(0);
    }
    return v;
  }
  // The score of v increased.
  void increased(Var v) {
    if (contains(v)) up(pos_[v]);
  }
  void clear() {
    for (Var v : heap_) pos_[v] = kAbsent;
    heap_.clear();
  }

 private:
  static constexpr uint32_t kAbsent = UINT32_MAX;
  bool less(Var a, Var b) const { return score_[a] < score_[b]; }
  void up(uint32_t i) {
    Var v = heap_[i];
    while (i > 0) {
      uint32_t p = (i - 1) >> 1;
      if (!less(heap_[p], v)) break;
      heap_[i] = heap_[p];
      pos_[heap_[i]] = i;
      i = p;
    }
    heap_[i] = v;
    pos_[v] = i;
  }
  void down(uint32_t i) {
    Var v = heap_[i];
    const uint32_t n = uint32_t(heap_.size());
    for (;;) {
      uint32_t c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && less(heap_[c], heap_[c + 1])) c++;
      if (!less(v, heap_[c])) break;
      heap_[i] = heap_[c];
      pos_[heap_[i]] = i;
      i = c;
    }
    heap_[i] = v;
    pos_[v] = i;
  }

  const std::vector<double>& score_;
  std::vector<Var> heap_;
  std::vector<uint32_t> pos_;
};

}  // namespace satmip::sat
