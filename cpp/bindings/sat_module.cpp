// Python binding of the SAT engine: numpy in and out, the GIL released while
// searching, Python callbacks run through trampolines that store any
// exception, stop the search and re-raise it from solve().
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <memory>
#include <stdexcept>

#include "bindings/bindings.hpp"
#include "sat/solver.hpp"

namespace py = pybind11;
using satmip::sat::Callbacks;
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

// A solver plus the state of its Python side: callbacks and a stored error.
class PySolver {
 public:
  explicit PySolver(const std::string& config) {
    if (!config.empty()) solver_.configure(config);
  }

  Solver& core() { return solver_; }

  void add_clause(py::handle lits) {
    std::vector<int> c = to_literals(lits);
    solver_.add_clause(c);
  }

  void add_clauses(py::array_t<int32_t, py::array::c_style | py::array::forcecast> flat) {
    if (flat.ndim() != 1) throw py::value_error("add_clauses expects a flat 1-D array of 0-terminated clauses");
    const int32_t* data = flat.data();
    size_t n = size_t(flat.size());
    py::gil_scoped_release release;
    solver_.add_clauses(data, n);
  }

  int solve(py::handle assumptions, double time_limit, long long conflicts, long long propagations) {
    std::vector<int> assume = to_literals(assumptions);
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

  // Callbacks registered from Python (None removes).
  void on_restart(py::object f) { restart_cb_ = std::move(f); }
  void on_learned(py::object f, uint32_t max_size) { learned_cb_ = std::move(f); learned_max_ = max_size; }
  void on_decide(py::object f, uint64_t every) {
    if (!f.is_none() && every == 0) throw py::value_error("on_decide needs every >= 1");
    decide_cb_ = std::move(f);
    decide_every_ = every;
  }
  void check_signals(bool on) { check_signals_ = on; }

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
          // Zero-copy read-only views, valid for the duration of the call.
          py::none owner;
          py::array_t<int8_t> v({py::ssize_t(nvars) + 1}, {sizeof(int8_t)}, values, owner);
          py::array_t<double> s({py::ssize_t(nvars) + 1}, {sizeof(double)}, scores, owner);
          py::detail::array_proxy(v.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
          py::detail::array_proxy(s.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
          py::object r = decide_cb_(v, s);
          if (r.is_none()) return 0;
          if (PyIndex_Check(r.ptr()) && !PyBool_Check(r.ptr()) && py::int_(r).cast<long long>() == 0) return 0;
          return to_literal(r);
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
  py::object restart_cb_ = py::none(), learned_cb_ = py::none(), decide_cb_ = py::none();
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
  std::vector<int8_t> m = s.core().model_values();
  py::array_t<int8_t> out(py::ssize_t(m.size()));
  std::copy(m.begin(), m.end(), out.mutable_data());
  return out;
}

py::tuple incidence(PySolver& s) {
  std::vector<int> flat;
  s.core().export_irredundant(flat);
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
  py::class_<PySolver>(m, "SatSolver", "CDCL SAT engine (use satmip.Solver, the Python wrapper)")
      .def(py::init<const std::string&>(), py::arg("config") = "default")
      .def("set_option", [](PySolver& s, const std::string& n, long long v) { s.core().set_option(n, v); })
      .def("get_option", [](PySolver& s, const std::string& n) { return s.core().get_option(n); })
      .def("configure", [](PySolver& s, const std::string& n) { s.core().configure(n); })
      .def("reserve", [](PySolver& s, int n) { s.core().reserve(n); })
      .def("add_clause", &PySolver::add_clause)
      .def("add_clauses", &PySolver::add_clauses)
      .def("solve", &PySolver::solve, py::arg("assumptions"), py::arg("time_limit") = -1.0,
           py::arg("conflicts") = -1, py::arg("propagations") = -1)
      .def("interrupt", [](PySolver& s) { s.core().interrupt(); })
      .def("clear_interrupt", [](PySolver& s) { s.core().clear_interrupt(); })
      .def("propagate", [](PySolver& s, py::handle assumptions) {
        std::vector<int> a = to_literals(assumptions), implied;
        bool ok = s.core().propagate(a, implied);
        return py::make_tuple(ok, implied);
      })
      .def("status", [](PySolver& s) { return s.core().status(); })
      .def("model", [](PySolver& s) { return s.core().model(); })
      .def("model_array", &model_array)
      .def("value", [](PySolver& s, py::handle lit) { return s.core().value(to_literal(lit)); })
      .def("core", [](PySolver& s) { return s.core().core(); })
      .def("set_phases", [](PySolver& s, py::handle lits) {
        for (int l : to_literals(lits)) s.core().set_phase(l);
      })
      .def("clear_phases", [](PySolver& s) { s.core().clear_phases(); })
      .def("set_guidance", [](PySolver& s, py::object phases, py::object scores) {
        if (!phases.is_none()) {
          auto p = py::array_t<int8_t, py::array::c_style | py::array::forcecast>::ensure(phases);
          if (!p || p.ndim() != 1) throw py::value_error("phases must be a 1-D array indexed by variable");
          for (py::ssize_t v = 1; v < p.size(); v++) s.core().set_initial_phase(int(v), p.data()[v]);
        }
        if (!scores.is_none()) {
          auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(scores);
          if (!a || a.ndim() != 1) throw py::value_error("scores must be a 1-D array indexed by variable");
          for (py::ssize_t v = 1; v < a.size(); v++) s.core().set_initial_score(int(v), a.data()[v]);
        }
      }, py::arg("phases") = py::none(), py::arg("scores") = py::none())
      .def("freeze", [](PySolver& s, int v) { s.core().freeze(v); })
      .def("melt", [](PySolver& s, int v) { s.core().melt(v); })
      .def("on_restart", &PySolver::on_restart)
      .def("on_learned", &PySolver::on_learned, py::arg("callback"), py::arg("max_size") = 8)
      .def("on_decide", &PySolver::on_decide, py::arg("callback"), py::arg("every") = 1000)
      .def("check_signals", &PySolver::check_signals)
      .def("trace_proof", [](PySolver& s, const std::string& path, const std::string& fmt) {
        s.core().trace_proof(path, parse_format(fmt));
      })
      .def("close_proof", [](PySolver& s) { s.core().close_proof(); })
      .def("nof_vars", [](PySolver& s) { return s.core().max_var(); })
      .def("nof_clauses", [](PySolver& s) { return s.core().num_clauses(); })
      .def("stats", [](PySolver& s) {
        py::dict d;
        for (const auto& [k, v] : s.core().statistics()) {
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
