// Ctrl-C during a solve that runs with the GIL released. Python's own SIGINT
// handler only sets a flag that Python code sees once the solve returns, so a
// solve without callbacks would run on to its end. While a SigintStop lives
// (a solve on the main thread, with Python's default SIGINT handler in place),
// a C handler chained before Python's also sets the solver's stop flag: the
// engine stops at its next check and returns its best answer so far. The
// KeyboardInterrupt that Python's handler then holds pending is taken by
// take_keyboard_interrupt(), so that the caller returns the result (status
// "interrupted") instead of raising.
#pragma once
#include <pybind11/pybind11.h>

#include <atomic>

namespace satmip::bindings {

class SigintStop {
 public:
  // GIL held. Watches only on the main thread with signal.default_int_handler
  // installed; otherwise (another thread, a handler of the user's) does nothing.
  explicit SigintStop(std::atomic<bool>& stop);
  ~SigintStop();   // GIL held
  SigintStop(const SigintStop&) = delete;
  SigintStop& operator=(const SigintStop&) = delete;

  // GIL held, after the solve: runs the Python signal handlers now; a
  // KeyboardInterrupt they raise is cleared and reported as true (any other
  // exception propagates). Returns false when not watching.
  bool take_keyboard_interrupt();

 private:
  int slot_ = -1;   // index in the handler's table of stop flags; -1: not watching
};

// True when `error` (a callback's exception) is a KeyboardInterrupt: Ctrl-C
// that Python delivered inside a callback, which stops the search like a signal.
bool is_keyboard_interrupt(const std::exception_ptr& error);

}  // namespace satmip::bindings
