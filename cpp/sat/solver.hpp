// The public face of the SAT engine. Literals are DIMACS ints; answers are
// 10 (satisfiable), 20 (unsatisfiable) or 0 (unknown: a limit was reached or
// the solve was interrupted). One solver per thread; only interrupt() may be
// called from another thread.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sat/callbacks.hpp"
#include "sat/options.hpp"
#include "sat/proof.hpp"
#include "sat/stats.hpp"

namespace satmip::sat {

class Internal;

class Solver {
 public:
  Solver();
  ~Solver();
  Solver(const Solver&) = delete;
  Solver& operator=(const Solver&) = delete;

  // Options: by name (see options.def) and named presets.
  void set_option(const std::string& name, long long value);
  long long get_option(const std::string& name) const;
  void configure(const std::string& preset);

  // Clauses. add_clauses takes flat 0-terminated clauses. Literals must be
  // non-zero and within int32; a clause in progress at the end is rejected.
  void reserve(int max_var);
  void add_clause(const int* lits, size_t size);
  void add_clause(const std::vector<int>& lits) { add_clause(lits.data(), lits.size()); }
  void add_clauses(const int32_t* flat, size_t size);

  // Solving. Limits apply to the next solve calls (negative: none).
  int solve(const std::vector<int>& assumptions = {});
  void set_time_limit(double seconds);
  void set_conflict_limit(int64_t conflicts);
  void set_propagation_limit(int64_t propagations);
  void interrupt();
  void clear_interrupt();
  // Stops the running solve at the next check (used when a callback fails);
  // unlike interrupt() it does not affect later solves.
  void stop_current_solve();
  bool propagate(const std::vector<int>& assumptions, std::vector<int>& implied);

  // Results of the last solve.
  int status() const { return status_; }
  int value(int lit) const;                // after 10: 1 true, -1 false
  std::vector<int> model() const;          // signed literals 1..max_var
  std::vector<int8_t> model_values() const;  // per variable (index 0 unused): 1 / -1
  const std::vector<int>& core() const;    // failed assumptions after 20 under assumptions

  // Guidance.
  void set_phase(int lit);           // forced phase (PySAT set_phases semantics)
  void clear_phases();
  void set_initial_phase(int var, int phase);  // soft phase: initial saved, original rephase
  void set_initial_score(int var, double score);
  void freeze(int var);
  void melt(int var);
  Callbacks& callbacks();

  // Proofs (before adding clauses): DRAT or LRAT, text or binary.
  void trace_proof(const std::string& path, ProofFormat format);
  void close_proof();

  // Introspection.
  int max_var() const;
  size_t num_clauses() const;    // original clauses added
  std::vector<std::pair<std::string, double>> statistics() const;
  void export_irredundant(std::vector<int>& flat) const;

 private:
  std::unique_ptr<Internal> internal_;
  int status_ = 0;
};

}  // namespace satmip::sat
