// Python side of the MILP engine: _core.MipSolver, built from the model dict
// that _core.read_mps returns (integer included). solve() releases the GIL;
// the Python callbacks run with it re-acquired. An exception a callback
// raises stops the search and solve() re-raises it with its traceback.
// on_branch's bipartite state and the recorded samples reach Python as
// read-only numpy views of the engine's buffers (shared ownership, no copy).
// While solve() runs, a SearchGuard refuses every call but interrupt()
// (README.md, "Calls during a search"); the callbacks are installed for the
// duration of solve() only.
#include <Python.h>

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
#include "learn/branch_forward.hpp"
#include "mip/mip_solver.hpp"
#include "mip/node_state.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

// A read-only numpy view of an engine buffer, no copy: the capsule shares the
// buffer's ownership, so a kept array stays valid and unchanged (the engine
// writes later nodes into new buffers while one is held).
template <class T>
py::array shared_view(const std::shared_ptr<const std::vector<T>>& buffer, std::vector<py::ssize_t> shape) {
  if (!buffer || buffer->empty()) return py::array_t<T>(shape);
  auto owner = std::make_unique<std::shared_ptr<const void>>(buffer);
  py::capsule base(owner.get(), [](void* p) { delete static_cast<std::shared_ptr<const void>*>(p); });
  owner.release();   // the capsule owns it now
  py::array_t<T> a(shape, buffer->data(), base);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

template <std::size_t N>
py::tuple feature_names(const mip::FeatureInfo (&table)[N]) {
  py::tuple t(N);
  for (std::size_t k = 0; k < N; ++k) t[k] = py::str(table[k].name);
  return t;
}

template <std::size_t N>
py::list feature_table(const mip::FeatureInfo (&table)[N]) {
  py::list l;
  for (const auto& f : table) l.append(py::make_tuple(f.name, f.meaning));
  return l;
}

// The bipartite state's arrays into d (views; see shared_view).
void add_state_arrays(py::dict& d, const mip::NodeStateArrays& s) {
  const auto nnz = py::ssize_t(s.edge_col ? s.edge_col->size() : 0);
  d["row_features"] = shared_view(s.row_features, {s.rows, mip::kRowFeatureCount});
  d["edge_row_ptr"] = shared_view(s.edge_row_ptr, {py::ssize_t(s.rows) + 1});
  d["edge_col"] = shared_view(s.edge_col, {nnz});
  d["edge_values"] = shared_view(s.edge_values, {nnz, mip::kEdgeFeatureCount});
  d["col_features"] = shared_view(s.col_features, {s.cols, mip::kColFeatureCount});
}

py::dict facts_dict(const mip::NodeFacts& f) {
  py::dict d;
  d["depth"] = f.depth;
  d["node_bound"] = f.node_bound;
  d["primal_bound"] = f.primal_bound;
  d["dual_bound"] = f.dual_bound;
  d["nodes"] = f.nodes;
  d["open_nodes"] = f.open_nodes;
  d["lp_integral"] = f.lp_integral;
  return d;
}

mip::BranchDecision branch_decision(const py::object& r) {
  mip::BranchDecision d;
  if (r.is_none()) return d;
  if (!py::isinstance<py::array>(r) && !py::isinstance<py::bool_>(r) && PyIndex_Check(r.ptr())) {
    long long column = py::int_(r).cast<long long>();
    if (column < 0 || column > std::numeric_limits<int32_t>::max())
      throw py::value_error("on_branch returned column " + std::to_string(column) + ", which is not a branching candidate");
    d.column = int32_t(column);
    return d;
  }
  if (py::isinstance<py::array>(r) || py::isinstance<py::list>(r) || py::isinstance<py::tuple>(r)) {
    d.scores = real_entries(r, "on_branch scores", RealValues::kNotNan);   // -inf: "never this one"; NaN has no order
    if (d.scores.empty()) throw py::value_error("on_branch returned an empty score array");
    return d;
  }
  throw py::type_error("on_branch must return a column index, an array of scores over the candidates, or None; got " +
                       std::string(py::str(py::type::of(r))));
}

mip::NodeAction node_action(const py::object& r) {
  if (r.is_none()) return mip::NodeAction::kContinue;
  if (py::isinstance<py::str>(r)) {
    std::string s = r.cast<std::string>();
    if (s == "continue") return mip::NodeAction::kContinue;
    if (s == "prune") return mip::NodeAction::kPrune;
    if (s == "stop") return mip::NodeAction::kStop;
  }
  throw py::value_error("on_node must return None, 'continue', 'prune' or 'stop'; got " + std::string(py::repr(r)));
}

struct PyMipSolver {
  lp::Model model;
  mip::MipOptions options;
  mip::MipResult result;
  bool solved = false;
  std::atomic<bool> stop{false};
  py::object on_branch, on_node, on_incumbent, on_event, on_sample;   // owners of the Python callables the hooks call
  py::object row_names, col_names;               // owners of the feature name tuples on_branch passes
  SearchGuard guard{"MipSolver", "interrupt() from anywhere"};

  // Garbage collector support: a callback that closes over this solver makes a
  // reference cycle through these members.
  int traverse(visitproc visit, void* arg) const {
    Py_VISIT(on_branch.ptr());
    Py_VISIT(on_node.ptr());
    Py_VISIT(on_incumbent.ptr());
    Py_VISIT(on_event.ptr());
    Py_VISIT(on_sample.ptr());
    return 0;
  }
  void clear() {
    options.callbacks = {};
    options.sampling.sink = nullptr;
    on_branch = on_node = on_incumbent = on_event = on_sample = py::none();
  }
};

// The solver's result, refused while a search runs (it would be the last one's).
const mip::MipResult& solved_result(const PyMipSolver& s, const char* what) {
  s.guard.require_idle(what);
  if (!s.solved) throw py::value_error("MipSolver: call solve() first");
  return s.result;
}

// A recorded sample as Python sees it: the state arrays as views (see
// shared_view), the rest copied; static_version tells samples apart whose
// static part (edges, static features) differs.
py::dict sample_dict(const mip::BranchSample& s) {
  py::dict d;
  add_state_arrays(d, s.state);
  d["static_version"] = s.state.static_version;
  d["columns"] = shared_view(s.columns, {py::ssize_t(s.columns ? s.columns->size() : 0)});
  d["candidates"] = copy_to_numpy(s.candidates);
  d["down_gains"] = copy_to_numpy(s.down_gains);
  d["up_gains"] = copy_to_numpy(s.up_gains);
  d["scores"] = copy_to_numpy(s.scores);
  d["column"] = s.column;
  d["expert_column"] = s.expert_column;
  d["node_id"] = s.node_id;
  d["parent_id"] = s.parent_id;
  d["depth"] = s.facts.depth;
  d["lp_iterations"] = s.lp_iterations;
  d["facts"] = facts_dict(s.facts);
  return d;
}

void install_callbacks(PyMipSolver& s) {
  mip::MipCallbacks& cb = s.options.callbacks;
  cb = {};
  if (!s.on_branch.is_none()) {
    py::handle fn = s.on_branch, row_names = s.row_names, col_names = s.col_names;
    cb.on_branch = [fn, row_names, col_names](const mip::BranchState& st) {
      py::gil_scoped_acquire gil;
      py::dict state;
      state["columns"] = copy_to_numpy(*st.columns);
      state["candidates"] = copy_to_numpy(*st.candidates);
      state["lp_values"] = copy_to_numpy(*st.lp_values);
      state["fractionality"] = copy_to_numpy(*st.fractionality);
      state["reduced_costs"] = copy_to_numpy(*st.reduced_costs);
      state["col_lower"] = copy_to_numpy(*st.col_lower);
      state["col_upper"] = copy_to_numpy(*st.col_upper);
      state["pseudocost_down"] = copy_to_numpy(*st.pseudocost_down);
      state["pseudocost_up"] = copy_to_numpy(*st.pseudocost_up);
      state["facts"] = facts_dict(st.facts);
      if (st.node_state) {
        add_state_arrays(state, st.node_state->snapshot());
        state["row_feature_names"] = row_names;
        state["col_feature_names"] = col_names;
      }
      return branch_decision(fn(state));
    };
  }
  if (!s.on_node.is_none()) {
    py::handle fn = s.on_node;
    cb.on_node = [fn](const mip::NodeFacts& f) {
      py::gil_scoped_acquire gil;
      return node_action(fn(facts_dict(f)));
    };
  }
  if (!s.on_incumbent.is_none()) {
    py::handle fn = s.on_incumbent;
    cb.on_incumbent = [fn](const std::vector<double>& x, double objective) {
      py::gil_scoped_acquire gil;
      fn(copy_to_numpy(x), objective);
    };
  }
  s.options.sampling.sink = nullptr;
  if (!s.on_sample.is_none()) {
    py::handle fn = s.on_sample;
    s.options.sampling.sink = [fn](mip::BranchSample&& sample) {
      py::gil_scoped_acquire gil;
      fn(sample_dict(sample));
    };
  }
  if (!s.on_event.is_none()) {
    py::handle fn = s.on_event;
    cb.on_event = [fn](const mip::MipEvent& e) {
      py::gil_scoped_acquire gil;
      py::dict info;
      if (*e.status) info["status"] = e.status;
      for (const auto& [name, count] : e.counts) info[name] = count;
      for (const auto& [name, value] : e.values) info[name] = value;
      fn(e.kind, info);
    };
  }
}

py::object callable_or_none(const py::handle& v, const std::string& name) {
  if (v.is_none()) return py::none();
  if (!PyCallable_Check(v.ptr())) throw py::type_error(name + " must be callable or None");
  return py::reinterpret_borrow<py::object>(v);
}

void apply_options(PyMipSolver& s, const py::kwargs& kw) {
  mip::MipOptions& o = s.options;
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (auto item : kw) {
    std::string k = item.first.cast<std::string>();
    py::handle v = item.second;
    if (k == "time_limit") o.time_limit = v.is_none() ? inf : v.cast<double>();
    else if (k == "node_limit") o.node_limit = v.is_none() ? std::numeric_limits<int64_t>::max() : v.cast<int64_t>();
    else if (k == "gap" || k == "relative_gap") o.relative_gap = v.cast<double>();
    else if (k == "absolute_gap") o.absolute_gap = v.cast<double>();
    else if (k == "integrality_tolerance") o.integrality_tolerance = v.cast<double>();
    else if (k == "feasibility_tolerance") o.feasibility_tolerance = v.cast<double>();
    else if (k == "plunge_gap_fraction") o.plunge_gap_fraction = v.cast<double>();
    else if (k == "heuristics") o.heuristics = v.cast<bool>();
    else if (k == "randomized_rounding") o.randomized_rounding = v.cast<bool>();
    else if (k == "fractional_diving") o.fractional_diving = v.cast<bool>();
    else if (k == "guided_diving") o.guided_diving = v.cast<bool>();
    else if (k == "coefficient_diving") o.coefficient_diving = v.cast<bool>();
    else if (k == "feasibility_pump") o.feasibility_pump = v.cast<bool>();
    else if (k == "dive_interval") o.dive_interval = v.cast<int>();
    else if (k == "presolve") o.presolve = v.cast<bool>();
    else if (k == "cuts") o.cuts = v.cast<bool>();
    else if (k == "propagation") o.propagation = v.cast<bool>();
    else if (k == "start") {
      o.start_solution = v.is_none() ? std::vector<double>{} : real_entries(v, "start", RealValues::kAny);
      if (!o.start_solution.empty() && int32_t(o.start_solution.size()) != s.model.A.cols)
        throw py::value_error("start must have one value per column (" + std::to_string(s.model.A.cols) + "), got " +
                              std::to_string(o.start_solution.size()));
    }
    else if (k == "cut_rounds") o.cut_rounds = v.cast<int>();
    else if (k == "progress_interval") {
      o.progress_interval = v.cast<double>();
      if (!(o.progress_interval >= 0) || !std::isfinite(o.progress_interval))
        throw py::value_error("progress_interval must be finite and >= 0 seconds");
    }
    else if (k == "reduced_cost_fixing") o.reduced_cost_fixing = v.cast<bool>();
    else if (k == "dive_max_depth") o.dive_max_depth = v.cast<int>();
    else if (k == "node_lp_iteration_limit")
      o.node_lp_iteration_limit = v.is_none() ? std::numeric_limits<int64_t>::max() : v.cast<int64_t>();
    else if (k == "seed") o.seed = v.cast<uint32_t>();
    else if (k == "threads") {
      // The search is sequential; the option exists so that scripts that pin
      // every solver to one thread (as the peers need) can say so here too.
      if (v.cast<int>() != 1) throw py::value_error("threads: the branch and bound runs on one thread; only threads=1");
    }
    else if (k == "reliability_threshold") o.reliability_threshold = v.cast<int>();
    else if (k == "strong_branching_candidates") o.strong_branching_candidates = v.cast<int>();
    else if (k == "strong_branching_iterations") o.strong_branching_iterations = v.cast<int64_t>();
    else if (k == "branching_model") {
      // A family's name, a file or a loaded model go through satmip.learn.branch_format
      // (reading and checking the file), once, here: the search itself sees C++ only.
      py::object model = py::reinterpret_borrow<py::object>(v);
      if (!model.is_none() && !py::isinstance<learn::BranchModel>(model))
        model = py::module_::import("satmip.learn.branch_format").attr("model_of")(model).attr("native")();
      o.branching_model = model.is_none() ? nullptr : model.cast<std::shared_ptr<learn::BranchModel>>();
    } else if (k == "gnn_max_depth") {
      o.gnn_max_depth = v.cast<int>();
      if (o.gnn_max_depth < 0) throw py::value_error("gnn_max_depth must be >= 0");
    }
    else if (k == "record_samples") o.record_samples = v.cast<bool>();
    else if (k == "sample_rate") {
      o.sampling.rate = v.cast<double>();
      if (!(o.sampling.rate >= 0 && o.sampling.rate <= 1)) throw py::value_error("sample_rate must be within [0, 1]");
    }
    else if (k == "sample_follow_expert") o.sampling.follow_expert = v.cast<bool>();
    else if (k == "node_selection") {
      try {
        o.node_selection = mip::node_selection_from_string(v.cast<std::string>());
      } catch (const std::invalid_argument& e) {
        throw py::value_error(e.what());
      }
    } else if (k == "best_bound_frequency") o.best_bound_frequency = v.cast<int>();
    else if (k == "branching") {
      try {
        o.branching = mip::branching_rule_from_string(v.cast<std::string>());
      } catch (const std::invalid_argument& e) {
        throw py::value_error(e.what());
      }
    } else if (k == "on_branch") s.on_branch = callable_or_none(v, k);
    else if (k == "on_node") s.on_node = callable_or_none(v, k);
    else if (k == "on_incumbent") s.on_incumbent = callable_or_none(v, k);
    else if (k == "on_event") s.on_event = callable_or_none(v, k);
    else if (k == "on_sample") s.on_sample = callable_or_none(v, k);
    else throw py::type_error("MipSolver: unknown option '" + k + "'");
  }
  if (o.branching == mip::BranchingRule::kGnn && !o.branching_model)
    throw py::value_error("branching 'gnn' needs a branching_model (satmip.learn.branch_format.load)");
  if (!(o.relative_gap >= 0) || !(o.absolute_gap >= 0)) throw py::value_error("gaps must be >= 0");
  if (!(o.time_limit >= 0)) throw py::value_error("time_limit must be >= 0");
  if (o.node_limit < 0) throw py::value_error("node_limit must be >= 0");
}

constexpr const char* kClassDoc = R"doc(Branch-and-bound MILP solver on satmip's dual simplex.

MipSolver(model, **options): model is the dict _core.read_mps returns (integer
marks the integer columns). Options: time_limit (s), node_limit, gap (relative,
1e-4), absolute_gap (1e-6), integrality_tolerance (1e-6), feasibility_tolerance
(1e-6), branching ("pseudocost", "most_fractional", "reliability", "strong" or "gnn": the learned
GCNN of branching_model: a family's name, a weights file or a _core.BranchModel; at nodes
down to gnn_max_depth), presolve (True),
propagation (True), cuts (True), cut_rounds (20), heuristics (True: the master switch of
randomized_rounding, fractional_diving, guided_diving, coefficient_diving and
feasibility_pump, each True;
dive_interval (50): nodes between dives in the tree, 0 for none), reduced_cost_fixing (True),
record_samples (False: full strong branching at branching nodes, samples in .samples or to on_sample),
sample_rate (1.0: the probability that a branching node queries the expert and is recorded),
sample_follow_expert (False: True branches on the expert's column where it was queried),
reliability_threshold (4), strong_branching_candidates (8), strong_branching_iterations (100),
plunge_gap_fraction (0.25), node_selection ("best_bound" or "best_estimate"),
best_bound_frequency (10), threads (1 only: the search is sequential), dive_max_depth, node_lp_iteration_limit (None: no cap; a node LP below the root hitting it is branched without its LP, as one that fails numerically; 0: every one fails), seed, start (one value per column: a solution to
start from; ignored if infeasible, see start_accepted), and the callbacks on_branch(state)
-> column | scores | None, on_node(facts) -> None | "continue" | "prune" | "stop",
on_incumbent(x, objective), on_sample(sample) (each recorded sample as it is made, then not
kept in .samples), on_event(kind, info) (presolve, root_lp, cut_round, root_cuts
as they happen, lp every progress_interval (1.0) seconds of a long root LP; satmip.mip). solve() returns the status string: optimal,
infeasible, unbounded, time_limit, node_limit, interrupted or error.
)doc";

// The defaults of the options apply_options takes (callbacks, start and
// record_samples aside), by the names it takes: one source for satmip options.
py::dict option_defaults() {
  const mip::MipOptions o;
  py::dict d;
  d["gap"] = o.relative_gap;
  d["absolute_gap"] = o.absolute_gap;
  d["integrality_tolerance"] = o.integrality_tolerance;
  d["feasibility_tolerance"] = o.feasibility_tolerance;
  d["branching"] = "pseudocost";
  d["reliability_threshold"] = o.reliability_threshold;
  d["strong_branching_candidates"] = o.strong_branching_candidates;
  d["strong_branching_iterations"] = o.strong_branching_iterations;
  d["gnn_max_depth"] = o.gnn_max_depth;
  d["plunge_gap_fraction"] = o.plunge_gap_fraction;
  d["node_selection"] = "best_bound";
  d["best_bound_frequency"] = o.best_bound_frequency;
  d["presolve"] = o.presolve;
  d["propagation"] = o.propagation;
  d["cuts"] = o.cuts;
  d["cut_rounds"] = o.cut_rounds;
  d["heuristics"] = o.heuristics;
  d["randomized_rounding"] = o.randomized_rounding;
  d["fractional_diving"] = o.fractional_diving;
  d["guided_diving"] = o.guided_diving;
  d["coefficient_diving"] = o.coefficient_diving;
  d["feasibility_pump"] = o.feasibility_pump;
  d["dive_interval"] = o.dive_interval;
  d["dive_max_depth"] = o.dive_max_depth;
  d["node_lp_iteration_limit"] = o.node_lp_iteration_limit;
  d["reduced_cost_fixing"] = o.reduced_cost_fixing;
  d["seed"] = o.seed;
  d["threads"] = 1;
  if (o.branching != mip::branching_rule_from_string("pseudocost") ||
      o.node_selection != mip::node_selection_from_string("best_bound"))
    throw std::logic_error("mip_option_defaults: the default branching or node selection changed");
  return d;
}

}  // namespace

void bind_mip(py::module_& m) {
  m.def("mip_option_defaults", &option_defaults,
        "{name: default} of MipSolver's options (limits, callbacks, start and record_samples aside)");
  m.attr("MIP_ROW_FEATURES") = feature_names(mip::kRowFeatures);
  m.attr("MIP_EDGE_FEATURES") = feature_names(mip::kEdgeFeatures);
  m.attr("MIP_COL_FEATURES") = feature_names(mip::kColFeatures);
  m.def("mip_feature_table", [] {
    py::dict d;
    d["row"] = feature_table(mip::kRowFeatures);
    d["edge"] = feature_table(mip::kEdgeFeatures);
    d["col"] = feature_table(mip::kColFeatures);
    return d;
  }, "(name, meaning) of each feature of the bipartite node state: {'row': [...], 'edge': [...], 'col': [...]}");

  py::class_<PyMipSolver>(m, "MipSolver", kClassDoc, collected_by_gc<PyMipSolver>())
      .def(py::init([](const py::dict& model, const py::kwargs& kw) {
             auto p = std::make_unique<PyMipSolver>();
             p->on_branch = p->on_node = p->on_incumbent = p->on_event = p->on_sample = py::none();
             p->row_names = feature_names(mip::kRowFeatures);
             p->col_names = feature_names(mip::kColFeatures);
             p->model = model_from_dict(model);
             apply_options(*p, kw);
             return p;
           }),
           py::arg("model"))
      .def("set_options", [](PyMipSolver& s, const py::kwargs& kw) {
        s.guard.require_idle("set_options");
        apply_options(s, kw);
      })
      .def("solve",
           [](PyMipSolver& s) {
             SearchGuard::Search search(s.guard, "solve");
             s.stop.store(false);
             s.options.interrupt = &s.stop;
             install_callbacks(s);
             SigintStop sigint(s.stop);
             mip::MipResult result;
             try {
               py::gil_scoped_release nogil;   // std::invalid_argument reaches Python as ValueError
               result = mip::solve_mip(s.model, s.options);
             } catch (...) {
               s.options.callbacks = {};
               s.options.sampling.sink = nullptr;
               throw;
             }
             s.options.callbacks = {};   // they hold borrowed handles: live during solve() only
             s.options.sampling.sink = nullptr;
             // Ctrl-C, in a callback or pending, stopped the search like interrupt():
             // the result (status interrupted, the incumbent) is the answer.
             if (is_keyboard_interrupt(result.callback_error)) result.callback_error = nullptr;
             s.result = std::move(result);
             s.solved = true;
             sigint.take_keyboard_interrupt();
             if (s.result.callback_error) {
               std::exception_ptr error = s.result.callback_error;
               s.result.callback_error = nullptr;
               std::rethrow_exception(error);
             }
             return std::string(mip::to_string(s.result.status));
           },
           "Solves; returns the status string. Re-raises an exception a callback raised.")
      .def("interrupt", [](PyMipSolver& s) { s.stop.store(true); }, "Asks a running solve() to stop.")
      .def_property_readonly("solving", [](const PyMipSolver& s) { return s.guard.searching(); },
                             "True while solve() runs")
      .def_property_readonly("status", [](const PyMipSolver& s) { return std::string(mip::to_string(solved_result(s, "status").status)); })
      .def_property_readonly("objective", [](const PyMipSolver& s) { return solved_result(s, "objective").objective; })
      .def_property_readonly("x", [](const PyMipSolver& s) { return copy_to_numpy(solved_result(s, "x").x); })
      .def_property_readonly("dual_bound", [](const PyMipSolver& s) { return solved_result(s, "dual_bound").dual_bound; })
      .def_property_readonly("gap", [](const PyMipSolver& s) { return solved_result(s, "gap").gap; })
      .def_property_readonly("nodes", [](const PyMipSolver& s) { return solved_result(s, "nodes").nodes; })
      .def_property_readonly("open_nodes", [](const PyMipSolver& s) { return solved_result(s, "open_nodes").open_nodes; },
                             "nodes left in the queue when the search stopped (0 once the tree is done)")
      .def_property_readonly("lp_iterations", [](const PyMipSolver& s) { return solved_result(s, "lp_iterations").lp_iterations; })
      .def_property_readonly("time", [](const PyMipSolver& s) { return solved_result(s, "time").time; })
      .def_property_readonly("cut_stats", [](const PyMipSolver& s) {
        const mip::MipResult& r = solved_result(s, "cut_stats");
        py::dict d;
        d["time"] = r.cut_time;
        d["added"] = r.cuts_added;
        d["rows"] = r.cut_rows;
        d["rounds"] = r.cut_rounds;
        return d;
      }, "root cut loop: time, cuts added, cut rows kept for the tree, rounds")
      .def_property_readonly("times", [](const PyMipSolver& s) {
        const mip::MipResult& r = solved_result(s, "times");
        py::dict d;
        d["total"] = r.time;
        d["presolve"] = r.presolve_time;
        d["cuts"] = r.cut_time;
        d["lp"] = r.lp_time;
        d["heuristics"] = r.heuristics_time;
        d["branching"] = r.branching_time;
        d["callbacks"] = r.callback_time;
        d["branching_model"] = r.branching_model_time;
        return d;
      }, "seconds per component: total, presolve, cuts (root loop), lp (node LPs), heuristics, branching, callbacks, "
         "branching_model (the GCNN's forward passes, part of branching)")
      .def_property_readonly("start_accepted", [](const PyMipSolver& s) { return solved_result(s, "start_accepted").start_accepted; })
      .def_property_readonly("presolve_time", [](const PyMipSolver& s) { return solved_result(s, "presolve_time").presolve_time; })
      .def_property_readonly("presolved_size", [](const PyMipSolver& s) {
        return py::make_tuple(solved_result(s, "presolved_size").presolved_rows, solved_result(s, "presolved_size").presolved_cols);
      }, "(rows, columns) of the searched model after presolve; (-1, -1) without presolve")
      .def_property_readonly("message", [](const PyMipSolver& s) { return solved_result(s, "message").message; })
      .def_property_readonly("failed_lp_nodes", [](const PyMipSolver& s) { return solved_result(s, "failed_lp_nodes").failed_lp_nodes; },
           "nodes whose LP failed after its retries (numerical trouble or node_lp_iteration_limit), branched without it")
      .def_property_readonly("samples", [](const PyMipSolver& s) {
             py::list l;
             for (const auto& sample : solved_result(s, "samples").samples) l.append(sample_dict(sample));
             return l;
           }, "record_samples: one dict per branching node (state arrays as read-only views, candidates, gains, scores, column)")
      .def_property_readonly("node_state_builds", [](const PyMipSolver& s) { return solved_result(s, "node_state_builds").node_state_builds; })
      .def_property_readonly("node_state_time", [](const PyMipSolver& s) { return solved_result(s, "node_state_time").node_state_time; })
      .def_property_readonly("node_state_static_builds", [](const PyMipSolver& s) {
             return solved_result(s, "node_state_static_builds").node_state_static_builds;
           }, "builds of the node state's static part (edges, norms, static features): once per LP revision")
      .def_property_readonly("branching_model_calls", [](const PyMipSolver& s) {
             return solved_result(s, "branching_model_calls").branching_model_calls;
           }, "branching 'gnn': forward passes of the GCNN (nodes where it chose)")
      .def_property_readonly("expert_calls", [](const PyMipSolver& s) { return solved_result(s, "expert_calls").expert_calls; },
           "record_samples: branching nodes where the expert (full strong branching) was queried");
}

}  // namespace satmip::bindings
