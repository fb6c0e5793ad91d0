// SigintStop (sigint_stop.hpp): a C SIGINT handler, installed while at least
// one solve watches, that sets each watching solver's stop flag and then calls
// the handler it replaced (Python's, which makes the KeyboardInterrupt). The
// handler only reads a fixed table of atomic pointers; a watcher that leaves
// clears its entry and waits until no handler is running before its flag can go.
#include "bindings/sigint_stop.hpp"

#include <cerrno>
#include <csignal>

namespace py = pybind11;

namespace satmip::bindings {

#ifndef _WIN32
namespace {

constexpr int kSlots = 16;   // watching solves at once: nested solves from callbacks, all on the main thread
std::atomic<std::atomic<bool>*> g_flags[kSlots];
std::atomic<int> g_in_handler{0};
struct sigaction g_previous;   // the handler before ours, called after ours
int g_watchers = 0;            // read and written with the GIL held

void chain(int sig, siginfo_t* info, void* context) {
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction) g_previous.sa_sigaction(sig, info, context);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(sig);
  }
}

extern "C" void on_sigint(int sig, siginfo_t* info, void* context) {
  const int saved_errno = errno;
  g_in_handler.fetch_add(1);
  for (auto& entry : g_flags)
    if (std::atomic<bool>* flag = entry.load()) flag->store(true);
  g_in_handler.fetch_sub(1);
  chain(sig, info, context);
  errno = saved_errno;
}

bool ours(const struct sigaction& action) {
  return (action.sa_flags & SA_SIGINFO) && action.sa_sigaction == on_sigint;
}

// Python's default handling of Ctrl-C, on the thread that Python runs signal handlers on.
// (Looked up once: a warm LpSolver.solve() takes microseconds.)
bool python_default_sigint_on_this_thread() {
  static const py::object* main_thread = new py::object(py::module_::import("threading").attr("main_thread"));
  // _signal's own getsignal: signal.getsignal wraps the result in an enum, at 100 times the cost.
  static const py::object* getsignal = new py::object(py::module_::import("_signal").attr("getsignal"));
  static const py::object* default_handler =
      new py::object(py::module_::import("_signal").attr("default_int_handler"));
  if (PyThread_get_thread_ident() != (*main_thread)().attr("ident").cast<unsigned long>()) return false;
  return (*getsignal)(int(SIGINT)).is(*default_handler);
}

bool install() {
  struct sigaction current;
  if (sigaction(SIGINT, nullptr, &current) != 0) return false;
  if (ours(current)) return true;
  if (!(current.sa_flags & SA_SIGINFO) && (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN))
    return false;   // not Python's handler: leave Ctrl-C alone
  struct sigaction action = current;
  action.sa_flags |= SA_SIGINFO;
  action.sa_sigaction = on_sigint;
  g_previous = current;
  return sigaction(SIGINT, &action, nullptr) == 0;
}

void uninstall() {
  struct sigaction current;
  // Someone else's handler set meanwhile (signal.signal in a callback) stays.
  if (sigaction(SIGINT, nullptr, &current) == 0 && ours(current)) sigaction(SIGINT, &g_previous, nullptr);
}

}  // namespace

SigintStop::SigintStop(std::atomic<bool>& stop) {
  if (!python_default_sigint_on_this_thread()) return;
  int slot = 0;
  while (slot < kSlots && g_flags[slot].load() != nullptr) ++slot;
  if (slot == kSlots) return;
  if (g_watchers == 0 && !install()) return;
  ++g_watchers;
  g_flags[slot].store(&stop);
  slot_ = slot;
}

SigintStop::~SigintStop() {
  if (slot_ < 0) return;
  g_flags[slot_].store(nullptr);
  while (g_in_handler.load() != 0) {
  }   // a handler that read the flag's address finishes with it first
  if (--g_watchers == 0) uninstall();
}

bool SigintStop::take_keyboard_interrupt() {
  if (slot_ < 0 || PyErr_CheckSignals() == 0) return false;
  if (!PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) throw py::error_already_set();
  PyErr_Clear();
  return true;
}

#else   // no POSIX signals: Ctrl-C reaches the solve's caller when it returns, as before

SigintStop::SigintStop(std::atomic<bool>&) {}
SigintStop::~SigintStop() = default;
bool SigintStop::take_keyboard_interrupt() { return false; }

#endif

bool is_keyboard_interrupt(const std::exception_ptr& error) {
  if (!error) return false;
  try {
    std::rethrow_exception(error);
  } catch (py::error_already_set& e) {
    return e.matches(PyExc_KeyboardInterrupt);
  } catch (...) {
    return false;
  }
}

}  // namespace satmip::bindings
