// Python side of the LP engine: _core.LpSolver, built from the model dict that
// _core.read_mps returns (keys: sense, offset, cost, col_lower, col_upper,
// row_lower, row_upper, A_start, A_index, A_value, num_rows, num_cols; the
// rest, integer included, is ignored: the LP relaxation is solved). While
// solve() runs with the GIL released, a SearchGuard refuses every call but
// interrupt() (README.md, "Calls during a search").
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "bindings/array_args.hpp"
#include "bindings/bindings.hpp"
#include "bindings/gc_support.hpp"
#include "bindings/model_dict.hpp"
#include "bindings/search_guard.hpp"
#include "bindings/sigint_stop.hpp"
#include "lp/lp_solver.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

struct PyLpSolver {
  std::unique_ptr<lp::LpSolver> solver;
  std::atomic<bool> stop{false};
  SearchGuard guard{"LpSolver", "interrupt() from anywhere"};
  py::object on_progress = py::none();             // on_progress(info), during solve()
  std::unique_ptr<py::error_already_set> error;    // what it raised: solve() re-raises it

  // Garbage collector support: a callback that closes over this solver.
  int traverse(visitproc visit, void* arg) const {
    Py_VISIT(on_progress.ptr());
    return 0;
  }
  void clear() { on_progress = py::none(); }

  // The engine for a call named `call`: refused while solve() runs.
  lp::LpSolver& idle(const char* call) const {
    guard.require_idle(call);
    return *solver;
  }
};

// The engine's hook for solve(): info dict to on_progress with the GIL; an
// exception is kept and stops the solve.
void install_progress(PyLpSolver& s) {
  lp::LpOptions& o = s.solver->options();
  o.on_progress = nullptr;
  if (s.on_progress.is_none()) return;
  o.on_progress = [&s](const lp::LpProgress& p) {
    py::gil_scoped_acquire gil;
    if (s.error) return true;
    try {
      py::dict info;
      info["iterations"] = p.iterations;
      info["objective"] = p.objective;
      info["primal_infeasibility"] = p.primal_infeasibility;
      info["dual_infeasibility"] = p.dual_infeasibility;
      info["time"] = p.seconds;
      s.on_progress(info);
      return false;
    } catch (py::error_already_set& e) {
      s.error = std::make_unique<py::error_already_set>(std::move(e));
      return true;
    }
  };
}

void apply_options(PyLpSolver* s, lp::LpOptions& o, const py::kwargs& kw) {
  for (auto item : kw) {
    std::string k = item.first.cast<std::string>();
    py::handle v = item.second;
    if (k == "time_limit") o.time_limit = v.is_none() ? std::numeric_limits<double>::infinity() : v.cast<double>();
    else if (k == "iteration_limit") o.iteration_limit = v.is_none() ? std::numeric_limits<int64_t>::max() : v.cast<int64_t>();
    else if (k == "primal_feasibility_tolerance") o.primal_feasibility_tolerance = v.cast<double>();
    else if (k == "dual_feasibility_tolerance") o.dual_feasibility_tolerance = v.cast<double>();
    else if (k == "scale") o.scale = v.cast<bool>();
    else if (k == "perturb") o.perturb = v.cast<bool>();
    else if (k == "seed") o.seed = v.cast<uint32_t>();
    else if (k == "refactor_interval") o.refactor_interval = v.cast<int>();
    else if (k == "presolve") {
      o.presolve = v.cast<std::string>();
      if (o.presolve != "none") throw py::value_error("presolve: only 'none' is available");
    } else if (k == "progress_interval") {
      o.progress_interval = v.cast<double>();
      if (!(o.progress_interval >= 0) || !std::isfinite(o.progress_interval))
        throw py::value_error("progress_interval must be finite and >= 0 seconds");
    } else if (k == "on_progress" && s) {
      if (!v.is_none() && !PyCallable_Check(v.ptr())) throw py::type_error("on_progress must be callable or None");
      s->on_progress = py::reinterpret_borrow<py::object>(v);
    } else throw py::type_error("LpSolver: unknown option '" + k + "'");
  }
  if (!(o.time_limit >= 0)) throw py::value_error("time_limit must be >= 0");   // NaN too
  if (o.iteration_limit < 0) throw py::value_error("iteration_limit must be >= 0");
}

std::vector<lp::BasisStatus> statuses(const py::handle& obj, const char* what) {
  std::vector<int8_t> raw = integer_entries<int8_t>(obj, what);
  std::vector<lp::BasisStatus> out(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) out[i] = lp::BasisStatus(raw[i]);
  return out;
}

constexpr const char* kClassDoc = R"doc(LP solver (dual simplex with primal clean-up) for the LP relaxation of a model dict.

LpSolver(model, **options): model is the dict _core.read_mps returns (integer is
ignored). Options: time_limit (s), iteration_limit, primal_feasibility_tolerance,
dual_feasibility_tolerance (1e-7), scale (True), perturb (True), presolve ("none"),
seed, refactor_interval, on_progress (info dict at most every progress_interval seconds
of a long solve: iterations, objective, primal_infeasibility, dual_infeasibility, time;
an exception it raises stops solve(), which re-raises it), progress_interval (1.0).
solve() releases the GIL and keeps the basis, so
change_col_bounds / change_cost / add_rows / delete_rows then solve() re-solve warm.
Basis statuses: 0 basic, 1 at lower, 2 at upper, 3 free (zero), 4 fixed.
)doc";

py::dict option_defaults() {
  const lp::LpOptions o;
  py::dict d;
  d["primal_feasibility_tolerance"] = o.primal_feasibility_tolerance;
  d["dual_feasibility_tolerance"] = o.dual_feasibility_tolerance;
  d["scale"] = o.scale;
  d["perturb"] = o.perturb;
  d["seed"] = o.seed;
  d["refactor_interval"] = o.refactor_interval;
  return d;
}

}  // namespace

void bind_lp(py::module_& m) {
  m.def("lp_option_defaults", &option_defaults, "{name: default} of LpSolver's options (limits and presolve aside)");
  py::class_<PyLpSolver>(m, "LpSolver", kClassDoc, collected_by_gc<PyLpSolver>())
      .def(py::init([](const py::dict& model, const py::kwargs& kw) {
             auto p = std::make_unique<PyLpSolver>();
             lp::LpOptions o;
             apply_options(p.get(), o, kw);
             lp::Model mm = model_from_dict(model);
             try {
               p->solver = std::make_unique<lp::LpSolver>(std::move(mm), o);
             } catch (const std::invalid_argument& e) {
               throw py::value_error(e.what());
             }
             p->solver->options().interrupt = &p->stop;
             return p;
           }),
           py::arg("model"))
      .def("set_options", [](PyLpSolver& s, const py::kwargs& kw) { apply_options(&s, s.idle("set_options").options(), kw); })
      .def("solve",
           [](PyLpSolver& s) {
             SearchGuard::Search search(s.guard, "solve");
             s.stop.store(false);
             install_progress(s);
             s.error.reset();
             SigintStop sigint(s.stop);   // Ctrl-C stops the solve: status interrupted
             lp::LpStatus st;
             {
               py::gil_scoped_release nogil;
               st = s.solver->solve();
             }
             s.solver->options().on_progress = nullptr;
             // Ctrl-C delivered inside the progress hook stopped the solve as the signal does.
             if (s.error && s.error->matches(PyExc_KeyboardInterrupt)) s.error.reset();
             sigint.take_keyboard_interrupt();
             if (s.error) {
               auto err = std::move(s.error);
               err->restore();
               throw py::error_already_set();
             }
             return std::string(lp::to_string(st));
           },
           "Solves (warm from the current basis); returns the status string.")
      .def("interrupt", [](PyLpSolver& s) { s.stop.store(true); }, "Asks a running solve() to stop.")
      .def_property_readonly("solving", [](const PyLpSolver& s) { return s.guard.searching(); }, "True while solve() runs")
      .def_property_readonly("status", [](const PyLpSolver& s) { return std::string(lp::to_string(s.idle("status").status())); })
      .def_property_readonly("objective", [](const PyLpSolver& s) { return s.idle("objective").objective(); })
      .def_property_readonly("x", [](const PyLpSolver& s) { return copy_to_numpy(s.idle("x").x()); })
      .def_property_readonly("row_activity", [](const PyLpSolver& s) { return copy_to_numpy(s.idle("row_activity").row_activity()); })
      .def_property_readonly("row_dual", [](const PyLpSolver& s) { return copy_to_numpy(s.idle("row_dual").row_dual()); })
      .def_property_readonly("reduced_cost", [](const PyLpSolver& s) { return copy_to_numpy(s.idle("reduced_cost").reduced_cost()); })
      .def_property_readonly("dual_ray", [](const PyLpSolver& s) { return copy_to_numpy(s.idle("dual_ray").dual_ray()); })
      .def_property_readonly("primal_ray", [](const PyLpSolver& s) { return copy_to_numpy(s.idle("primal_ray").primal_ray()); })
      .def_property_readonly("max_primal_infeasibility", [](const PyLpSolver& s) { return s.idle("max_primal_infeasibility").max_primal_infeasibility(); })
      .def_property_readonly("max_dual_infeasibility", [](const PyLpSolver& s) { return s.idle("max_dual_infeasibility").max_dual_infeasibility(); })
      .def_property_readonly("iterations", [](const PyLpSolver& s) { return s.idle("iterations").iterations(); })
      .def_property_readonly("total_iterations", [](const PyLpSolver& s) { return s.idle("total_iterations").total_iterations(); })
      .def_property_readonly("time", [](const PyLpSolver& s) { return s.idle("time").time(); })
      .def_property_readonly("num_rows", [](const PyLpSolver& s) { return s.idle("num_rows").num_rows(); })
      .def_property_readonly("num_cols", [](const PyLpSolver& s) { return s.idle("num_cols").num_cols(); })
      .def("get_basis",
           [](const PyLpSolver& s) {
             std::vector<lp::BasisStatus> c, r;
             s.idle("get_basis").get_basis(c, r);
             std::vector<int8_t> ci(c.size()), ri(r.size());
             for (size_t k = 0; k < c.size(); ++k) ci[k] = int8_t(c[k]);
             for (size_t k = 0; k < r.size(); ++k) ri[k] = int8_t(r[k]);
             return py::make_tuple(copy_to_numpy(ci), copy_to_numpy(ri));
           },
           "(column statuses, row statuses) as int8 arrays.")
      .def("set_basis",
           [](PyLpSolver& s, const py::handle& cols, const py::handle& rows) {
             try {
               s.idle("set_basis").set_basis(statuses(cols, "cols"), statuses(rows, "rows"));
             } catch (const std::invalid_argument& e) {
               throw py::value_error(e.what());
             }
           },
           py::arg("cols"), py::arg("rows"))
      .def("change_col_bounds",
           [](PyLpSolver& s, int32_t j, double lo, double up) {
             try { s.idle("change_col_bounds").change_col_bounds(j, lo, up); } catch (const std::out_of_range& e) { throw py::index_error(e.what()); } catch (const std::invalid_argument& e) { throw py::value_error(e.what()); }
           },
           py::arg("col"), py::arg("lower"), py::arg("upper"))
      .def("change_row_bounds",
           [](PyLpSolver& s, int32_t i, double lo, double up) {
             try { s.idle("change_row_bounds").change_row_bounds(i, lo, up); } catch (const std::out_of_range& e) { throw py::index_error(e.what()); } catch (const std::invalid_argument& e) { throw py::value_error(e.what()); }
           },
           py::arg("row"), py::arg("lower"), py::arg("upper"))
      .def("change_cost",
           [](PyLpSolver& s, int32_t j, double c) {
             try { s.idle("change_cost").change_cost(j, c); } catch (const std::out_of_range& e) { throw py::index_error(e.what()); } catch (const std::invalid_argument& e) { throw py::value_error(e.what()); }
           },
           py::arg("col"), py::arg("cost"))
      .def("add_rows",
           [](PyLpSolver& s, const py::handle& lower, const py::handle& upper, const py::handle& start,
              const py::handle& index, const py::handle& value) {
             try {
               s.idle("add_rows").add_rows(real_entries(lower, "lower", RealValues::kAny), real_entries(upper, "upper", RealValues::kAny),
                                           integer_entries<int64_t>(start, "start"), integer_entries<int32_t>(index, "index"),
                                           real_entries(value, "value", RealValues::kAny));
             } catch (const std::invalid_argument& e) {
               throw py::value_error(e.what());
             }
           },
           py::arg("lower"), py::arg("upper"), py::arg("start"), py::arg("index"), py::arg("value"),
           "Appends rows given by rows (CSR: start, column index, value); their logicals become basic.")
      .def("delete_rows",
           [](PyLpSolver& s, const py::handle& rows) {
             try { s.idle("delete_rows").delete_rows(integer_entries<int32_t>(rows, "rows")); } catch (const std::out_of_range& e) { throw py::index_error(e.what()); } catch (const std::invalid_argument& e) { throw py::value_error(e.what()); }
           },
           py::arg("rows"));
}

}  // namespace satmip::bindings
