// Guards an engine object while one of its long calls (solve) runs with the
// GIL released: a second solve() from another thread, or a callback calling
// back into the solver that is calling it, must get a clear RuntimeError, never
// race with the search or re-enter it. Every binding entry point runs with the
// GIL held and the flag is only read and written with it held, so it needs no
// atomics. What stays allowed during a search is listed per class (the
// `allowed` text of the error) and in README.md ("Calls during a search").
#pragma once
#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>
#include <thread>

namespace satmip::bindings {

class SearchGuard {
 public:
  // owner: the class as users name it ("Solver"); allowed: what may still be
  // called during a search, for the error message.
  SearchGuard(const char* owner, const char* allowed) : owner_(owner), allowed_(allowed) {}

  bool searching() const { return searching_; }

  // Raises RuntimeError naming `call` while a search runs.
  void require_idle(const char* call) const {
    if (searching_) throw std::runtime_error(busy_message(call));
  }

  // Read-only queries: allowed from the searching thread (a callback, where the
  // engine is paused at a safe point), refused from any other thread, where
  // they would race with the running engine.
  void require_idle_or_callback(const char* call) const {
    if (searching_ && std::this_thread::get_id() != search_thread_) throw std::runtime_error(busy_message(call));
  }

  // Marks the object searching for its lifetime (construct it with the GIL
  // held, before releasing the GIL; it is destroyed after re-acquiring it).
  class Search {
   public:
    Search(SearchGuard& guard, const char* call) : guard_(guard) {
      guard.require_idle(call);
      guard.searching_ = true;
      guard.search_thread_ = std::this_thread::get_id();
      guard.running_call_ = call;
    }
    ~Search() { guard_.searching_ = false; }
    Search(const Search&) = delete;
    Search& operator=(const Search&) = delete;

   private:
    SearchGuard& guard_;
  };

 private:
  std::string busy_message(const char* call) const {
    return std::string(owner_) + "." + call + "() is not allowed while " + running_call_ + "() runs on this " + owner_ +
           " (from one of its callbacks or another thread); allowed during a search: " + allowed_;
  }

  const char* owner_;
  const char* allowed_;
  const char* running_call_ = "solve";
  bool searching_ = false;
  std::thread::id search_thread_;
};

}  // namespace satmip::bindings
