#include "sat/solver.hpp"

#include <stdexcept>
#include <sys/resource.h>

#include "sat/internal.hpp"

namespace satmip::sat {

Solver::Solver() : internal_(std::make_unique<Internal>()) {}
Solver::~Solver() = default;

void Solver::set_option(const std::string& name, long long value) { internal_->opts.set(name, value); }
long long Solver::get_option(const std::string& name) const { return internal_->opts.get(name); }
void Solver::configure(const std::string& preset) { internal_->opts.configure(preset); }

static void check_literal(long long lit) {
  if (lit == 0) throw std::invalid_argument("literal 0 is not allowed inside a clause");
  if (lit > (1 << 30) - 1 || lit < -((1 << 30) - 1))
    throw std::invalid_argument("literal " + std::to_string(lit) + " is out of range (|lit| < 2^30)");
}

void Solver::reserve(int max_var) {
  if (max_var < 0 || max_var >= (1 << 30)) throw std::invalid_argument("variable count out of range");
  internal_->reserve_vars(Var(max_var));
}

void Solver::add_clause(const int* lits, size_t size) {
  for (size_t i = 0; i < size; i++) check_literal(lits[i]);
  internal_->add_original(lits, size);
  status_ = 0;
}

void Solver::add_clauses(const int32_t* flat, size_t size) {
  size_t start = 0;
  for (size_t i = 0; i < size; i++) {
    if (flat[i] != 0) {
      check_literal(flat[i]);
      continue;
    }
    internal_->add_original(flat + start, i - start);
    start = i + 1;
  }
  if (start != size) throw std::invalid_argument("the last clause is not terminated by 0");
  status_ = 0;
}

int Solver::solve(const std::vector<int>& assumptions) {
  for (int a : assumptions) check_literal(a);
  status_ = internal_->solve(assumptions);
  return status_;
}

void Solver::set_time_limit(double seconds) { internal_->limits.seconds = seconds; }
void Solver::set_conflict_limit(int64_t c) { internal_->limits.conflicts = c; }
void Solver::set_propagation_limit(int64_t p) { internal_->limits.propagations = p; }
void Solver::interrupt() { internal_->interrupt_flag.store(true); }
void Solver::clear_interrupt() { internal_->interrupt_flag.store(false); }
void Solver::stop_current_solve() { internal_->request_stop(); }

bool Solver::propagate(const std::vector<int>& assumptions, std::vector<int>& implied) {
  for (int a : assumptions) check_literal(a);
  return internal_->propagate_assumptions(assumptions, implied);
}

int Solver::value(int lit) const {
  if (status_ != kSat) throw std::logic_error("no model: the last solve did not answer satisfiable");
  return internal_->value(lit);
}

std::vector<int> Solver::model() const {
  if (status_ != kSat) throw std::logic_error("no model: the last solve did not answer satisfiable");
  std::vector<int> m;
  int n = int(internal_->max_var());
  m.reserve(n);
  for (int v = 1; v <= n; v++) m.push_back(internal_->value(v) > 0 ? v : -v);
  return m;
}

std::vector<int8_t> Solver::model_values() const {
  if (status_ != kSat) throw std::logic_error("no model: the last solve did not answer satisfiable");
  int n = int(internal_->max_var());
  std::vector<int8_t> m(n + 1, 0);
  for (int v = 1; v <= n; v++) m[v] = int8_t(internal_->value(v));
  return m;
}

const std::vector<int>& Solver::core() const { return internal_->core(); }

void Solver::set_phase(int lit) {
  check_literal(lit);
  internal_->set_forced_phase(Var(lit < 0 ? -lit : lit), lit < 0 ? -1 : 1);
}

void Solver::clear_phases() {
  for (Var v = 1; v <= internal_->max_var(); v++) internal_->set_forced_phase(v, 0);
}

void Solver::set_initial_phase(int var, int phase) {
  check_literal(var);
  internal_->set_initial_phase(Var(var < 0 ? -var : var), int8_t(phase > 0 ? 1 : phase < 0 ? -1 : 0));
}

void Solver::set_initial_score(int var, double score) {
  check_literal(var);
  internal_->set_initial_score(Var(var < 0 ? -var : var), score);
}

void Solver::freeze(int var) { check_literal(var); internal_->freeze(Var(var < 0 ? -var : var)); }
void Solver::melt(int var) { check_literal(var); internal_->melt(Var(var < 0 ? -var : var)); }
Callbacks& Solver::callbacks() { return internal_->callbacks; }

void Solver::trace_proof(const std::string& path, ProofFormat format) {
  if (internal_->num_original() > 0)
    throw std::logic_error("a proof must be requested before the first clause is added");
  internal_->set_proof(std::make_unique<ProofWriter>(path, format));
}

void Solver::close_proof() {
  if (internal_->proof()) internal_->proof()->close();
  internal_->set_proof(nullptr);
}

int Solver::max_var() const { return int(internal_->max_var()); }
size_t Solver::num_clauses() const { return internal_->num_original(); }

std::vector<std::pair<std::string, double>> Solver::statistics() const {
  std::vector<std::pair<std::string, double>> out;
  const Stats& s = internal_->stats;
#define STAT(N, HELP) out.emplace_back(#N, double(s.N));
#include "sat/stats.def"
#undef STAT
  const PhaseTimes& t = internal_->times;
  out.emplace_back("time_search", t.search);
  out.emplace_back("time_walk", t.walk);
  out.emplace_back("time_reduce", t.reduce);
  out.emplace_back("time_inprocess", t.inprocess);
  out.emplace_back("time_simplify", t.simplify);
  out.emplace_back("memory_bytes", double(internal_->memory_bytes()));
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  out.emplace_back("peak_rss_bytes", double(ru.ru_maxrss) * 1024.0);
  return out;
}

void Solver::export_irredundant(std::vector<int>& flat) const { internal_->export_irredundant(flat); }

}  // namespace satmip::sat
