// Native test of the SAT engine's C++ API, linked without Python (ctest).
// Checks answers, models, cores, limits and a DRAT proof on small formulas.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "check/lrat_checker.hpp"
#include "sat/solver.hpp"
#include "test_check.hpp"

using satmip::sat::ProofFormat;
using satmip::sat::Solver;


static std::vector<int> pigeonhole(int p, int h) {
  std::vector<int> flat;
  auto var = [h](int i, int j) { return i * h + j + 1; };
  for (int i = 0; i < p; i++) {
    for (int j = 0; j < h; j++) flat.push_back(var(i, j));
    flat.push_back(0);
  }
  for (int j = 0; j < h; j++)
    for (int a = 0; a < p; a++)
      for (int b = a + 1; b < p; b++) flat.insert(flat.end(), {-var(a, j), -var(b, j), 0});
  return flat;
}

static bool satisfies(const std::vector<int>& flat, const Solver& s) {
  bool clause_ok = false;
  for (int lit : flat) {
    if (lit == 0) {
      if (!clause_ok) return false;
      clause_ok = false;
    } else if (s.value(lit) > 0) {
      clause_ok = true;
    }
  }
  return true;
}

static void test_pigeonhole_with_proofs() {
  for (ProofFormat fmt : {ProofFormat::kDratText, ProofFormat::kDratBinary, ProofFormat::kLratText,
                          ProofFormat::kLratBinary}) {
    std::vector<int> flat = pigeonhole(6, 5);
    std::string path = "php_proof_" + std::to_string(int(fmt));
    Solver s;
    s.trace_proof(path, fmt);
    s.add_clauses(flat.data(), flat.size());
    CHECK(s.solve() == 20);
    s.close_proof();
    bool lrat = fmt == ProofFormat::kLratText || fmt == ProofFormat::kLratBinary;
    auto res = lrat ? satmip::check::check_lrat(flat, 30, path) : satmip::check::check_drat(flat, 30, path);
    if (!res.ok) std::fprintf(stderr, "proof rejected: %s\n", res.message.c_str());
    CHECK(res.ok);
    std::remove(path.c_str());
  }
}

static void test_random_models_and_cores() {
  std::mt19937 rng(1);
  for (int round = 0; round < 300; round++) {
    int n = 10 + int(rng() % 30), m = int(n * 4.2);
    std::vector<int> flat;
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < 3; k++) flat.push_back(int(1 + rng() % n) * (rng() % 2 ? 1 : -1));
      flat.push_back(0);
    }
    Solver s;
    s.add_clauses(flat.data(), flat.size());
    std::vector<int> assumptions = {int(1 + rng() % n), -int(1 + rng() % n)};
    int res = s.solve(assumptions);
    CHECK(res == 10 || res == 20);
    if (res == 10) {
      CHECK(satisfies(flat, s));
      for (int a : assumptions) CHECK(s.value(a) > 0);
    } else {
      for (int c : s.core()) CHECK(c == assumptions[0] || c == assumptions[1]);
      Solver again;
      again.add_clauses(flat.data(), flat.size());
      CHECK(again.solve(s.core()) == 20);
    }
  }
}

static void test_limits() {
  std::vector<int> flat = pigeonhole(11, 10);
  Solver s;
  s.add_clauses(flat.data(), flat.size());
  s.set_conflict_limit(100);
  CHECK(s.solve() == 0);
  s.set_conflict_limit(-1);
  s.set_time_limit(0.2);
  CHECK(s.solve() == 0);
  s.interrupt();
  s.set_time_limit(-1);
  CHECK(s.solve() == 0);
}

// The progress hook: reports at every check with interval 0, counters that only
// grow, and one "done" report, the last, per solve call; none but "done" with a
// long interval. The search is the same with and without the hook.
static void test_progress_reports() {
  std::vector<int> flat = pigeonhole(8, 7);
  std::vector<satmip::sat::ProgressInfo> seen;
  std::vector<std::string> phases;
  Solver s;
  s.add_clauses(flat.data(), flat.size());
  s.callbacks().progress_interval = 0;
  s.callbacks().on_progress = [&](const satmip::sat::ProgressInfo& info) {
    seen.push_back(info);
    phases.emplace_back(info.phase);
  };
  CHECK(s.solve() == 20);
  CHECK(seen.size() >= 3);
  CHECK(!phases.empty() && phases.back() == "done");
  for (size_t k = 1; k < seen.size(); k++) {
    CHECK(seen[k].conflicts >= seen[k - 1].conflicts);
    CHECK(seen[k].propagations >= seen[k - 1].propagations);
    CHECK(seen[k].seconds >= seen[k - 1].seconds);
    CHECK(phases[k - 1] != "done");
  }
  uint64_t conflicts = seen.back().conflicts;

  Solver quiet;
  quiet.add_clauses(flat.data(), flat.size());
  CHECK(quiet.solve() == 20);
  for (const auto& [name, value] : quiet.statistics())
    if (name == "conflicts") CHECK(uint64_t(value) == conflicts);

  Solver rare;
  rare.add_clauses(flat.data(), flat.size());
  phases.clear();
  rare.callbacks().progress_interval = 1e9;
  rare.callbacks().on_progress = [&](const satmip::sat::ProgressInfo& info) { phases.emplace_back(info.phase); };
  CHECK(rare.solve() == 20);
  CHECK(phases == std::vector<std::string>{"done"});
}

static void test_bad_input() {
  Solver s;
  int zero[] = {1, 0, 2};
  bool thrown = false;
  try {
    s.add_clause(zero, 3);
  } catch (const std::invalid_argument&) {
    thrown = true;
  }
  CHECK(thrown);
  int unterminated[] = {1, 2};
  thrown = false;
  try {
    s.add_clauses(unterminated, 2);
  } catch (const std::invalid_argument&) {
    thrown = true;
  }
  CHECK(thrown);
}

int main() {
  test_pigeonhole_with_proofs();
  test_random_models_and_cores();
  test_limits();
  test_progress_reports();
  test_bad_input();
  if (failures) std::fprintf(stderr, "%d check(s) failed\n", failures);
  else std::printf("all native checks passed\n");
  return failures ? 1 : 0;
}
