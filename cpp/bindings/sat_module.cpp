// Python binding of the SAT engine: numpy in and out, the GIL released while
// searching, Python callbacks run through trampolines that store any
// exception, stop the search and re-raise it from solve(). While a solve runs,
// a SearchGuard refuses every call but interrupt() / clear_interrupt() and,
// from a callback, the read-only queries (README.md, "Calls during a search").
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <stdexcept>

#include "bindings/array_args.hpp"
#include "bindings/bindings.hpp"
#include "bindings/gc_support.hpp"
#include "bindings/search_guard.hpp"
#include "sat/solver.hpp"

namespace py = pybind11;
using satmip::sat::Callbacks;
using satmip::sat::ProgressInfo;
using satmip::sat::ProofFormat;
using satmip::sat::RestartInfo;
using satmip::sat::Solver;

namespace satmip::bindings {
namespace {

// Converts one Python object to a literal: an integer (Python or numpy) that
// is not a bool, non-zero, within int32.
int to_literal(py::handle h) {
  if (PyBool_Check(h.ptr()) || !PyIndex_Check(h.ptr()))
    throw py::value_error("literals must be integers, got " + std::string(py::str(py::repr(h))));
  py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(h.ptr()));
  if (!index) throw py::error_already_set();
  int overflow = 0;
  long long x = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow) throw py::value_error("literal " + std::string(py::str(index)) + " is beyond int32");
  if (x == 0) throw py::value_error("literal 0 is not allowed (it terminates clauses in DIMACS only)");
  if (x > INT32_MAX || x < -INT32_MAX) throw py::value_error("literal " + std::to_string(x) + " is beyond int32");
  return int(x);
}

std::vector<int> to_literals(py::handle iterable) {
  std::vector<int> out;
  if (iterable.is_none()) return out;
  // numpy arrays have __index__ too, but they are sequences.
  if (PyIndex_Check(iterable.ptr()) && !PySequence_Check(iterable.ptr()))
    throw py::value_error("expected an iterable of literals, got an integer");
  for (py::handle h : py::iter(iterable)) out.push_back(to_literal(h));
  return out;
}

// The flat clause array as int32 without a silent cast: int32 input is used
// as it is (no copy); other integer dtypes are range-checked; floats and bools
// are refused as add_clause refuses them.
py::array_t<int32_t> clause_array(py::handle obj) {
  py::array a = one_dimensional(obj, "add_clauses");
  if (a.size() > 0 && a.dtype().kind() == 'i' && a.itemsize() == sizeof(int32_t))
    return py::array_t<int32_t, py::array::c_style | py::array::forcecast>::ensure(a);
  std::vector<int64_t> lits = integer_entries(a, "add_clauses literals", -INT32_MAX, INT32_MAX);
  py::array_t<int32_t> out(py::ssize_t(lits.size()));
  std::copy(lits.begin(), lits.end(), out.mutable_data());
  return out;
}

// What on_progress hands to Python (keys documented in Solver.on_progress).
py::dict progress_dict(const ProgressInfo& info) {
  py::dict d;
  d["phase"] = info.phase;
  d["time"] = info.seconds;
  d["stable"] = info.stable;
  d["conflicts"] = info.conflicts;
  d["decisions"] = info.decisions;
  d["propagations"] = info.propagations;
  d["restarts"] = info.restarts;
  d["reductions"] = info.reductions;
  d["learned"] = info.learned;
  d["redundant"] = info.redundant;
  d["irredundant"] = info.irredundant;
  d["variables"] = info.variables;
  d["fixed"] = info.fixed;
  d["eliminated"] = info.eliminated;
  d["memory_bytes"] = info.memory_bytes;
  return d;
}

// A solver plus the state of its Python side: callbacks and a stored error.
class PySolver {
 public:
  explicit PySolver(const std::string& config) {
    if (!config.empty()) solver_.configure(config);
  }

  // The engine, for a call named `call` that changes it or reads state that a
  // search changes: refused while a solve runs.
  Solver& idle(const char* call) {
    guard_.require_idle(call);
    return solver_;
  }
  // The engine for a read-only query: also allowed from a callback.
  const Solver& readable(const char* call) const {
    guard_.require_idle_or_callback(call);
    return solver_;
  }
  // interrupt() and clear_interrupt() only touch an atomic flag.
  Solver& any_thread() { return solver_; }
  bool searching() const { return guard_.searching(); }

  void add_clause(py::handle lits) {
    guard_.require_idle("add_clause");
    std::vector<int> c = to_literals(lits);
    solver_.add_clause(c);
  }

  void add_clauses(py::handle flat) {
    guard_.require_idle("add_clauses");
    py::array_t<int32_t> lits = clause_array(flat);
    const int32_t* data = lits.data();
    size_t n = size_t(lits.size());
    SearchGuard::Search busy(guard_, "add_clauses");   // no other call while the GIL is released
    py::gil_scoped_release release;
    solver_.add_clauses(data, n);
  }

  int solve(py::handle assumptions, double time_limit, long long conflicts, long long propagations) {
    guard_.require_idle("solve");
    std::vector<int> assume = to_literals(assumptions);
    SearchGuard::Search search(guard_, "solve");
    solver_.set_time_limit(time_limit);
    solver_.set_conflict_limit(conflicts);
    solver_.set_propagation_limit(propagations);
    install_callbacks();
    error_.reset();
    int res;
    {
      py::gil_scoped_release release;
      res = solver_.solve(assume);
    }
    if (error_) {
      auto err = std::move(error_);
      err->restore();
      throw py::error_already_set();
    }
    return res;
  }

  // Phases: per variable (index 0 unused, so nof_vars() + 1 entries), either
  // integers in {-1, 0, 1} or float confidences in [-1, 1] whose sign is the
  // phase (0: no preference). Scores: finite reals, same length.
  void set_guidance(py::object phases, py::object scores) {
    guard_.require_idle("set_guidance");
    const size_t expected = size_t(solver_.max_var()) + 1;
    auto check_length = [&](size_t n, const char* what) {
      if (n != expected)
        throw py::value_error(std::string("set_guidance: ") + what + " has " + std::to_string(n) +
                              " entries; expected nof_vars() + 1 = " + std::to_string(expected) +
                              " (index 0 unused; declare the variables first with reserve() or the clauses)");
    };
    std::vector<int8_t> phase;
    if (!phases.is_none()) {
      py::array a = one_dimensional(phases, "set_guidance: phases");
      char kind = a.dtype().kind();
      if (a.size() > 0 && !real_kind(kind))
        throw py::value_error("set_guidance: phases must be integers in {-1, 0, 1} or float confidences in [-1, 1], got dtype " +
                              dtype_name(a));
      std::vector<double> p = real_entries(a, "set_guidance: phases", RealValues::kFinite);
      check_length(p.size(), "phases");
      for (size_t v = 0; v < p.size(); v++) {
        bool in_range = integer_kind(kind) ? (p[v] == -1 || p[v] == 0 || p[v] == 1) : (p[v] >= -1 && p[v] <= 1);
        if (!in_range)
          throw py::value_error("set_guidance: phases[" + std::to_string(v) + "] = " + std::to_string(p[v]) +
                                (integer_kind(kind) ? " is not -1, 0 or 1" : " is outside [-1, 1]"));
        phase.push_back(int8_t(p[v] > 0 ? 1 : p[v] < 0 ? -1 : 0));
      }
    }
    std::vector<double> score;
    if (!scores.is_none()) {
      score = real_entries(scores, "set_guidance: scores", RealValues::kFinite);
      check_length(score.size(), "scores");
    }
    for (size_t v = 1; v < phase.size(); v++) solver_.set_initial_phase(int(v), phase[v]);
    for (size_t v = 1; v < score.size(); v++) solver_.set_initial_score(int(v), score[v]);
  }

  // Callbacks registered from Python (None removes).
  void on_restart(py::object f) {
    guard_.require_idle("on_restart");
    restart_cb_ = std::move(f);
  }
  void on_learned(py::object f, uint32_t max_size) {
    guard_.require_idle("on_learned");
    learned_cb_ = std::move(f);
    learned_max_ = max_size;
  }
  void on_decide(py::object f, uint64_t every) {
    guard_.require_idle("on_decide");
    if (!f.is_none() && every == 0) throw py::value_error("on_decide needs every >= 1");
    decide_cb_ = std::move(f);
    decide_every_ = every;
  }
  void on_progress(py::object f, double interval) {
    guard_.require_idle("on_progress");
    if (!(interval >= 0) || !std::isfinite(interval))
      throw py::value_error("on_progress needs a finite interval >= 0 seconds, got " + std::to_string(interval));
    progress_cb_ = std::move(f);
    progress_interval_ = interval;
  }
  void check_signals(bool on) {
    guard_.require_idle("check_signals");
    check_signals_ = on;
  }

  // Garbage collector support: a callback that closes over its own solver
  // makes a reference cycle through these members.
  int traverse(visitproc visit, void* arg) const {
    Py_VISIT(restart_cb_.ptr());
    Py_VISIT(learned_cb_.ptr());
    Py_VISIT(decide_cb_.ptr());
    Py_VISIT(progress_cb_.ptr());
    return 0;
  }
  void clear() {
    restart_cb_ = py::none();
    learned_cb_ = py::none();
    decide_cb_ = py::none();
    progress_cb_ = py::none();
  }

 private:
  // Runs fn with the GIL; a Python exception is kept and stops the solve.
  template <typename Fn>
  auto guarded(Fn fn, decltype(fn()) fallback) -> decltype(fn()) {
    py::gil_scoped_acquire acquire;
    if (error_) return fallback;
    try {
      return fn();
    } catch (py::error_already_set& e) {
      error_ = std::make_unique<py::error_already_set>(std::move(e));
    } catch (py::builtin_exception& e) {
      e.set_error();
      error_ = std::make_unique<py::error_already_set>();
    } catch (const std::exception& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
      error_ = std::make_unique<py::error_already_set>();
    }
    solver_.stop_current_solve();
    return fallback;
  }

  void install_callbacks() {
    Callbacks& cb = solver_.callbacks();
    cb = Callbacks();
    if (!restart_cb_.is_none()) {
      cb.on_restart = [this](const RestartInfo& info) {
        return guarded([&] {
          py::dict d;
          d["conflicts"] = info.conflicts;
          d["decisions"] = info.decisions;
          d["propagations"] = info.propagations;
          d["restarts"] = info.restarts;
          d["learned"] = info.learned;
          d["fixed"] = info.fixed;
          d["glue_fast"] = info.glue_fast;
          d["glue_slow"] = info.glue_slow;
          d["trail"] = info.trail;
          d["level"] = info.level;
          d["stable"] = info.stable;
          d["time"] = info.seconds;
          py::object r = restart_cb_(d);
          return bool(py::bool_(r));
        }, true);
      };
    }
    if (!learned_cb_.is_none()) {
      cb.learned_max_size = learned_max_;
      cb.on_learned = [this](const std::vector<int>& lits) {
        guarded([&] {
          py::array_t<int32_t> arr(py::ssize_t(lits.size()));
          std::copy(lits.begin(), lits.end(), arr.mutable_data());
          learned_cb_(arr);
          return 0;
        }, 0);
      };
    }
    if (!decide_cb_.is_none()) {
      cb.decide_every = decide_every_;
      cb.on_decide = [this](const int8_t* values, const double* scores, uint32_t nvars) {
        return guarded([&] {
          // Read-only copies, not views: the engine's buffers are freed or
          // moved after the call, and Python may keep what it was handed.
          py::array_t<int8_t> v = read_only_copy(values, size_t(nvars) + 1);
          py::array_t<double> s = read_only_copy(scores, size_t(nvars) + 1);
          py::object r = decide_cb_(v, s);
          if (r.is_none()) return 0;
          if (PyIndex_Check(r.ptr()) && !PyBool_Check(r.ptr()) && py::int_(r).cast<long long>() == 0) return 0;
          return to_literal(r);
        }, 0);
      };
    }
    if (!progress_cb_.is_none()) {
      cb.progress_interval = progress_interval_;
      cb.on_progress = [this](const ProgressInfo& info) {
        guarded([&] {
          progress_cb_(progress_dict(info));
          return 0;
        }, 0);
      };
    }
    if (check_signals_) {
      cb.terminate = [this] {
        return guarded([&] {
          if (PyErr_CheckSignals() != 0) throw py::error_already_set();
          return false;
        }, true);
      };
    }
  }

  Solver solver_;
  SearchGuard guard_{"Solver",
                     "interrupt() and clear_interrupt() from anywhere; nof_vars(), nof_clauses(), "
                     "accum_stats() and get_option() from a callback"};
  py::object restart_cb_ = py::none(), learned_cb_ = py::none(), decide_cb_ = py::none(), progress_cb_ = py::none();
  double progress_interval_ = 1.0;
  uint32_t learned_max_ = 0;
  uint64_t decide_every_ = 0;
  bool check_signals_ = true;
  std::unique_ptr<py::error_already_set> error_;
};

ProofFormat parse_format(const std::string& f) {
  if (f == "drat") return ProofFormat::kDratText;
  if (f == "drat-binary") return ProofFormat::kDratBinary;
  if (f == "lrat") return ProofFormat::kLratText;
  if (f == "lrat-binary") return ProofFormat::kLratBinary;
  throw py::value_error("proof format must be one of drat, drat-binary, lrat, lrat-binary; got '" + f + "'");
}

py::array_t<int8_t> model_array(PySolver& s) {
  std::vector<int8_t> m = s.idle("model_values").model_values();
  py::array_t<int8_t> out(py::ssize_t(m.size()));
  std::copy(m.begin(), m.end(), out.mutable_data());
  return out;
}

py::tuple incidence(PySolver& s) {
  std::vector<int> flat;
  s.idle("incidence").export_irredundant(flat);
  size_t nclauses = 0;
  for (int x : flat) nclauses += x == 0;
  py::array_t<int64_t> indptr(py::ssize_t(nclauses + 1));
  py::array_t<int32_t> indices(py::ssize_t(flat.size() - nclauses));
  py::array_t<int8_t> signs(py::ssize_t(flat.size() - nclauses));
  int64_t* ip = indptr.mutable_data();
  int32_t* ix = indices.mutable_data();
  int8_t* sg = signs.mutable_data();
  size_t k = 0, c = 0;
  ip[0] = 0;
  for (int x : flat) {
    if (x == 0) {
      ip[++c] = int64_t(k);
      continue;
    }
    ix[k] = (x < 0 ? -x : x) - 1;
    sg[k] = x < 0 ? -1 : 1;
    k++;
  }
  return py::make_tuple(indptr, indices, signs);
}

}  // namespace

void bind_sat(py::module_& m) {
  py::class_<PySolver>(m, "SatSolver", "CDCL SAT engine (use satmip.Solver, the Python wrapper)",
                       collected_by_gc<PySolver>())
      .def(py::init<const std::string&>(), py::arg("config") = "default")
      .def("set_option", [](PySolver& s, const std::string& n, long long v) { s.idle("set_option").set_option(n, v); })
      .def("get_option", [](PySolver& s, const std::string& n) { return s.readable("get_option").get_option(n); })
      .def("configure", [](PySolver& s, const std::string& n) { s.idle("configure").configure(n); })
      .def("reserve", [](PySolver& s, int n) { s.idle("reserve").reserve(n); })
      .def("add_clause", &PySolver::add_clause)
      .def("add_clauses", &PySolver::add_clauses)
      .def("solve", &PySolver::solve, py::arg("assumptions"), py::arg("time_limit") = -1.0,
           py::arg("conflicts") = -1, py::arg("propagations") = -1)
      .def("interrupt", [](PySolver& s) { s.any_thread().interrupt(); })
      .def("clear_interrupt", [](PySolver& s) { s.any_thread().clear_interrupt(); })
      .def_property_readonly("solving", &PySolver::searching, "True while solve() (or add_clauses()) runs")
      .def("require_idle", [](PySolver& s, const std::string& call) { s.idle(call.c_str()); },
           "Raises RuntimeError naming `call` while a search runs (for the Python wrapper's own methods).")
      .def("propagate", [](PySolver& s, py::handle assumptions) {
        Solver& core = s.idle("propagate");
        std::vector<int> a = to_literals(assumptions), implied;
        bool ok = core.propagate(a, implied);
        return py::make_tuple(ok, implied);
      })
      .def("status", [](PySolver& s) { return s.idle("status").status(); })
      .def("model", [](PySolver& s) { return s.idle("get_model").model(); })
      .def("model_array", &model_array)
      .def("value", [](PySolver& s, py::handle lit) { return s.idle("value").value(to_literal(lit)); })
      .def("core", [](PySolver& s) { return s.idle("get_core").core(); })
      .def("set_phases", [](PySolver& s, py::handle lits) {
        Solver& core = s.idle("set_phases");
        for (int l : to_literals(lits)) core.set_phase(l);
      })
      .def("clear_phases", [](PySolver& s) { s.idle("clear_phases").clear_phases(); })
      .def("set_guidance", &PySolver::set_guidance, py::arg("phases") = py::none(), py::arg("scores") = py::none())
      .def("freeze", [](PySolver& s, int v) { s.idle("freeze").freeze(v); })
      .def("melt", [](PySolver& s, int v) { s.idle("melt").melt(v); })
      .def("on_restart", &PySolver::on_restart)
      .def("on_learned", &PySolver::on_learned, py::arg("callback"), py::arg("max_size") = 8)
      .def("on_decide", &PySolver::on_decide, py::arg("callback"), py::arg("every") = 1000)
      .def("on_progress", &PySolver::on_progress, py::arg("callback"), py::arg("interval") = 1.0)
      .def("check_signals", &PySolver::check_signals)
      .def("trace_proof", [](PySolver& s, const std::string& path, const std::string& fmt) {
        s.idle("trace_proof").trace_proof(path, parse_format(fmt));
      })
      .def("close_proof", [](PySolver& s) { s.idle("close_proof").close_proof(); })
      .def("nof_vars", [](PySolver& s) { return s.readable("nof_vars").max_var(); })
      .def("nof_clauses", [](PySolver& s) { return s.readable("nof_clauses").num_clauses(); })
      .def("stats", [](PySolver& s) {
        py::dict d;
        for (const auto& [k, v] : s.readable("accum_stats").statistics()) {
          if (k.rfind("time_", 0) == 0) d[py::str(k)] = v;
          else d[py::str(k)] = (long long)v;
        }
        return d;
      })
      .def("incidence", &incidence);

  m.def("sat_options", [] {
    py::list out;
    for (const auto& o : satmip::sat::Options::table())
      out.append(py::make_tuple(o.name, o.def, o.lo, o.hi, o.help));
    return out;
  });
  m.def("sat_presets", [] {
    py::list out;
    for (const auto& p : satmip::sat::Options::presets()) out.append(py::make_tuple(p.name, p.help));
    return out;
  });
}

}  // namespace satmip::bindings
