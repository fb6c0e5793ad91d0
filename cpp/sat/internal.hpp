// The CDCL engine's state. Its methods live in one file per concern:
// internal.cpp (variables, clauses), propagate.cpp, analyze.cpp (with
// minimisation), decide.cpp (heuristics, phases), backtrack.cpp, restart.cpp
// (restarts and mode switching), rephase.cpp, walk.cpp, reduce.cpp,
// collect.cpp, simplify.cpp, assume.cpp, search.cpp (main loop, limits),
// subsume.cpp, elim.cpp, probe.cpp, vivify.cpp, extend.cpp, progress.cpp (progress reports).
#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <random>
#include <vector>

#include "sat/callbacks.hpp"
#include "sat/clause.hpp"
#include "sat/heap.hpp"
#include "sat/options.hpp"
#include "sat/proof.hpp"
#include "sat/queue.hpp"
#include "sat/stats.hpp"

namespace satmip::sat {

// Exponential moving average with bias correction for the first updates.
struct Ema {
  double value = 0, biased = 0, exp = 1, alpha = 0;
  void init(double window) { alpha = 1.0 / window; }
  void update(double y) {
    biased += alpha * (y - biased);
    if (exp > 1e-20) {
      exp *= 1 - alpha;
      value = biased / (1 - exp);
    } else {
      value = biased;
    }
  }
};

struct Limits {
  int64_t conflicts = -1, propagations = -1;  // budgets, -1 none
  double seconds = -1;                        // wall-clock limit, -1 none
};

// Flags of a variable during conflict analysis and minimisation.
enum : uint8_t { kSeen = 1, kRemovable = 2, kPoison = 4, kKeep = 8 };

// One clause removed by variable elimination, kept to extend models.
struct Witness {
  Lit pivot;             // the literal of the eliminated variable in the clause
  uint32_t start, size;  // slice of Internal::extension_lits
  bool is_default;       // the unit that sets the variable before its clauses
  uint64_t id;           // of the clause, which the proof keeps (a restore adds it back)
};

class Internal {
 public:
  Internal();
  ~Internal();

  // ---- variables and clauses (internal.cpp) ----
  void reserve_vars(Var max_var);
  Var max_var() const { return max_var_; }
  // Adds an original clause (DIMACS literals). Returns false if the formula
  // became inconsistent.
  bool add_original(const int* lits, size_t size);
  size_t num_original() const { return original_count_; }
  size_t num_irredundant() const { return clauses_.size() + fixed_units_; }

  // ---- solving (search.cpp, assume.cpp) ----
  int solve(const std::vector<int>& assumptions);
  int value(int dimacs_lit) const;  // model value of a literal after kSat: 1 / -1
  const std::vector<int>& core() const { return core_; }
  bool inconsistent() const { return inconsistent_; }
  // Unit propagation of assumptions only (PySAT's propagate()).
  bool propagate_assumptions(const std::vector<int>& assumptions, std::vector<int>& implied);

  // ---- control ----
  Options opts;
  Stats stats;
  PhaseTimes times;
  Limits limits;
  Callbacks callbacks;
  std::atomic<bool> interrupt_flag{false};
  void set_proof(std::unique_ptr<ProofWriter> proof);
  void request_stop() { stop_requested_ = true; }
  ProofWriter* proof() { return proof_.get(); }
  void freeze(Var v);
  void melt(Var v);
  void set_forced_phase(Var v, int8_t phase) { grow_to(v); forced_[v] = phase; }
  // A soft phase: the saved phase now, and the target too, so that guidance given
  // between solves (after a search) is followed in stable mode at once and not only
  // after the next rephase; before the first search the target is still empty.
  void set_initial_phase(Var v, int8_t phase) {
    grow_to(v);
    initial_[v] = phase;
    if (phase) saved_[v] = target_[v] = phase;
  }
  void set_initial_score(Var v, double s);
  double score(Var v) const { return score_[v]; }
  size_t memory_bytes() const;
  // The irredundant clauses as DIMACS literals, each terminated by 0, with
  // root-level units included (for graph export).
  void export_irredundant(std::vector<int>& flat) const;
  int fixed_value(Var v) const;  // root-level value, 0 if not fixed

 private:
  friend class Walker;
  // ---- internal.cpp ----
  void grow_to(Var v);
  void resize_variable_arrays(size_t cap);
  bool add_simplified(uint64_t id, const std::vector<Lit>& lits, bool propagate_now);
  bool propagate_root();
  void drop_root_false(const std::vector<Lit>& lits, std::vector<Lit>& kept, std::vector<uint64_t>& hints);
  void assign_root_unit(Lit l, uint64_t id);
  bool flush_pending_originals();
  void restore_eliminated(Var v);
  CRef new_clause(uint64_t id, const std::vector<Lit>& lits, bool learnt, uint32_t glue);
  void watch_clause(CRef ref);
  void mark_garbage(CRef ref, bool keep_in_proof = false);
  uint64_t next_id() { return ++last_id_; }
  void proof_add(uint64_t id, const std::vector<Lit>& lits, const std::vector<uint64_t>& hints);
  void proof_delete(const Clause& c);
  void learn_empty(const std::vector<uint64_t>& hints);
  bool lrat() const { return proof_ && proof_->lrat(); }

  // ---- assignment (propagate.cpp, backtrack.cpp) ----
  int8_t val(Lit l) const { return vals_[l]; }
  int level_of(Lit l) const { return level_[var_of(l)]; }
  void assign(Lit l, CRef reason) { assign(l, reason, decision_level()); }
  void assign(Lit l, CRef reason, int level);
  int reason_level(const Clause& c, Lit implied) const;
  void ensure_unit_id(Var v);
  void derive_all_root_units();
  int find_conflict_level(CRef conflict);
  CRef propagate();
  void new_level() { control_.push_back(uint32_t(trail_.size())); }
  int decision_level() const { return int(control_.size()); }
  void backtrack(int level);
  void derive_root_units();
  void update_target_and_best();

  // ---- analyze.cpp ----
  void analyze(CRef conflict);
  void bump_clause(Clause& c);
  enum MinimizeVerdict { kRedundant, kKept, kExpand };
  struct MinimizeFrame { Var var; uint32_t next; };  // next: reason literal to look at
  MinimizeVerdict minimize_shortcut(Var v, int depth);
  void minimize_record(Var v, bool removable);
  bool minimize_literal(Lit l);
  void minimize_clause();
  uint32_t compute_glue(const std::vector<Lit>& lits);
  void analyze_root_conflict(CRef conflict);
  void collect_lrat_chain(CRef conflict);
  void clear_analyzed();
  void bump_reason_literals();
  void add_unit_hint(Var v);

  // ---- decide.cpp ----
  void bump_variables();
  void bump_score(Var v);
  void decay_scores() { score_inc_ /= opts.vsidsdecay / 1000.0; }
  void rescale_scores();
  Var next_decision_variable();
  Lit decide_phase(Var v);
  bool decide();
  bool use_vmtf() const { return !stable_ && opts.vmtf; }
  void rebuild_heap();

  // ---- restart.cpp ----
  bool restarting();
  void restart();
  void update_reluctant();
  bool switching_mode();
  void switch_mode();

  // ---- rephase.cpp / walk.cpp ----
  bool rephasing();
  void rephase();
  void walk();

  // ---- reduce.cpp / collect.cpp / simplify.cpp ----
  bool reducing();
  void reduce();
  bool is_reason(CRef ref);
  void collect_garbage();
  bool simplifying();
  void simplify();

  // ---- inprocess (subsume.cpp, elim.cpp, probe.cpp, vivify.cpp) ----
  bool inprocessing();
  void inprocess();
  void vivify_chain(CRef conflict, Lit implied, std::vector<uint64_t>& hints);
  void subsume();
  void eliminate();
  void probe();
  void vivify();
  void extend_model();
  bool add_inprocess_units();
  void restore_phases(const std::vector<int8_t>& phases);
  void end_inprocess(const std::vector<int8_t>* phases);  // phases: restored when given
  bool eliminable(Var v) const;
  void push_witness(const Clause& c, Lit pivot);
  void push_witness_default(Var v);

  // ---- progress.cpp ----
  // Calls callbacks.on_progress when its interval has passed (force: now).
  void report_progress(std::chrono::steady_clock::time_point now, bool force = false);
  // A cheap count of the work done inside long loops (preprocessing,
  // inprocessing, walk), propagations included: every kWorkCheck units it
  // reads the clock once, for the progress report and the stop checks.
  // True once the solve must stop; the loop then abandons its step cleanly.
  static constexpr uint64_t kWorkCheck = 2048;
  bool work_done(uint64_t units = 1) {
    work_ticks_ += units;
    if (work_ticks_ + stats.propagations < next_work_check_) return stop_requested_;
    return work_check();
  }
  bool work_check();
  // Marks the inprocessing step that runs (phase names of ProgressInfo) and
  // reports at its boundary when due.
  void progress_phase(const char* phase);

  // ---- search.cpp / assume.cpp ----
  int solve_call(const std::vector<int>& assumptions);  // solve() without the final report
  int search();
  bool terminated();
  bool stop_without_clock();  // flags and counter limits, checked at every call
  bool stop_by_clock();       // progress report, time limit, terminate hook
  int decide_assumptions(Lit& next);
  void analyze_final(Lit failed);
  void notify_restart();

  // state
  Var max_var_ = 0;
  std::vector<int8_t> vals_;        // per literal
  std::vector<int> level_;          // per variable
  std::vector<CRef> reason_;
  std::vector<uint32_t> trail_pos_;
  std::vector<uint8_t> flags_;      // kSeen / kRemovable / kPoison / kKeep
  std::vector<uint64_t> unit_id_;   // LRAT id of the unit clause of a root-fixed variable
  std::vector<uint32_t> frozen_;
  std::vector<uint8_t> eliminated_;
  std::vector<int8_t> saved_, target_, best_, initial_, forced_;
  std::vector<Watches> watches_;    // per literal: clauses watching it
  Arena arena_;
  std::vector<CRef> clauses_, learnts_;
  std::vector<Lit> trail_;
  std::vector<uint32_t> control_;   // trail index where each decision level starts
  size_t qhead_ = 0;
  size_t root_units_done_ = 0;      // trail prefix with LRAT units derived
  bool inconsistent_ = false;
  bool chrono_dirty_ = false;
  int conflict_level_ = 0;       // out-of-order assignments may exist (chronological backtracking)
  uint64_t last_id_ = 0;
  size_t original_count_ = 0;
  size_t fixed_units_ = 0;          // original units (not stored as clauses)
  std::unique_ptr<ProofWriter> proof_;
  std::vector<std::pair<uint64_t, std::vector<Lit>>> pending_originals_;

  // heuristics
  std::vector<double> score_;
  ScoreHeap heap_{score_};
  double score_inc_ = 1.0;
  VmtfQueue queue_;
  bool stable_ = false;
  bool heap_dirty_ = false;         // scores changed from outside: rebuild before searching

  // analysis scratch
  std::vector<Lit> learnt_;
  std::vector<Var> analyzed_;
  struct LevelInfo { uint32_t seen = 0; uint32_t first_pos = UINT32_MAX; };
  std::vector<LevelInfo> level_info_;
  std::vector<int> levels_touched_;
  std::vector<uint64_t> chain_;                        // LRAT hints being built
  std::vector<uint64_t> hints_;                        // scratch hints of inprocessing
  std::vector<std::pair<uint32_t, uint64_t>> chain_reasons_;  // (trail position, clause id)
  std::vector<Var> chain_units_;
  std::vector<uint8_t> unit_in_chain_;
  std::vector<uint32_t> glue_stamp_;
  uint32_t glue_stamp_counter_ = 0;
  std::vector<Var> minimized_;  // variables flagged only by minimisation
  std::vector<MinimizeFrame> minimize_stack_;

  // restarts and modes
  Ema glue_fast_, glue_slow_;
  uint64_t last_restart_conflicts_ = 0;
  uint64_t reluctant_u_ = 1, reluctant_v_ = 1, reluctant_limit_ = 0;
  uint64_t next_switch_ = 0, switch_inc_ = 0;
  uint32_t target_assigned_ = 0, best_assigned_ = 0;
  uint32_t no_conflict_until_ = 0;

  // schedules
  uint64_t next_rephase_ = 0, next_reduce_ = 0, next_simplify_ = 0, next_inprocess_ = 0;
  uint64_t rephase_count_ = 0;
  uint64_t fixed_at_simplify_ = UINT64_MAX;
  uint64_t walk_propagations_mark_ = 0;

  // solve call state
  std::vector<Lit> assumptions_;
  std::vector<int> core_;
  std::vector<int8_t> model_;  // per variable after kSat
  std::chrono::steady_clock::time_point solve_start_;
  uint64_t conflicts_at_start_ = 0, propagations_at_start_ = 0;
  uint64_t next_terminate_check_ = 0;
  uint64_t decisions_since_callback_ = 0;
  bool stop_requested_ = false;
  bool inprocessed_before_ = false;
  const char* progress_phase_ = "search";
  double next_progress_ = 0;        // seconds since solve_start_
  uint64_t work_ticks_ = 0, next_work_check_ = 0;  // work_done()
  std::mt19937_64 rng_;

  // variable elimination: clauses needed to extend models
  std::vector<Witness> extension_;
  std::vector<Lit> extension_lits_;
  std::vector<std::pair<Lit, uint64_t>> inprocess_units_;  // units (with clause id) found by inprocessing
  std::vector<uint8_t> elim_blocked_;  // variables of pending units: not eliminated
  std::vector<int8_t> marks_;          // per literal scratch marks
  uint64_t probe_propagations_mark_ = 0, vivify_propagations_mark_ = 0;
};

}  // namespace satmip::sat
