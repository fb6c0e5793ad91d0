// VMTF decision queue (variable move-to-front): a doubly linked list of
// variables ordered by bump time; decisions take the most recently bumped
// unassigned variable, found from a cached search position.
#pragma once
#include <vector>

#include "sat/types.hpp"

namespace satmip::sat {

class VmtfQueue {
 public:
  struct Link { Var prev = 0, next = 0; };

  void resize(size_t nvars) {
    size_t old = links_.size();
    links_.resize(nvars);
    stamp_.resize(nvars, 0);
    for (size_t v = old == 0 ? 1 : old; v < nvars; v++) enqueue_front(Var(v));
  }
  // Move v to the front (most recent end) with a fresh time stamp.
  void bump(Var v) {
    if (last_ == v) return;
    dequeue(v);
    enqueue_front(v);
  }
  Var last() const { return last_; }
  Var search() const { return search_; }
  void set_search(Var v) { search_ = v; }
  Var prev(Var v) const { return links_[v].prev; }
  uint64_t stamp(Var v) const { return stamp_[v]; }
  // When v becomes unassigned: the search position moves back to it if v is
  // more recent than the current search position.
  void on_unassign(Var v) {
    if (stamp_[v] > stamp_[search_]) search_ = v;
  }
  void reset_search() { search_ = last_; }

 private:
  void dequeue(Var v) {
    Link& l = links_[v];
    if (l.prev) links_[l.prev].next = l.next; else first_ = l.next;
    if (l.next) links_[l.next].prev = l.prev; else last_ = l.prev;
    if (search_ == v) search_ = l.prev ? l.prev : l.next;
    l.prev = l.next = 0;
  }
  void enqueue_front(Var v) {
    Link& l = links_[v];
    l.prev = last_;
    l.next = 0;
    if (last_) links_[last_].next = v; else first_ = v;
    last_ = v;
    stamp_[v] = ++bumped_;
    if (!search_) search_ = v;
  }

  std::vector<Link> links_;
  std::vector<uint64_t> stamp_;
  Var first_ = 0, last_ = 0, search_ = 0;
  uint64_t bumped_ = 0;
};

}  // namespace satmip::sat
