// Native test of the LP engine (no Python): the Netlib LPs of tests/data/lp read by
// the C++ MPS reader and solved to their known optimum, then warm re-solves after
// random bound changes compared with cold solves. Under SATMIP_SANITIZE=1 this is
// the engine's memory-safety check.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "io/mps.hpp"
#include "lp/lp_solver.hpp"
#include "test_check.hpp"

using satmip::lp::LpSolver;
using satmip::lp::LpStatus;
using satmip::lp::Model;


static bool close(double a, double b, double tol = 1e-6) {
  return std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b));
}

struct Known {
  std::string path;
  double optimum;
};

// tests/data/lp/manifest.csv: path first, optimal_objective in the column so named.
static std::vector<Known> read_manifest(const std::string& dir) {
  std::ifstream in(dir + "/manifest.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string cell; std::getline(hs, cell, ',');) header.push_back(cell);
  size_t objective_col = 0;
  for (size_t i = 0; i < header.size(); i++)
    if (header[i] == "optimal_objective") objective_col = i;
  std::vector<Known> known;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ls(line);
    for (std::string cell; std::getline(ls, cell, ',');) cells.push_back(cell);
    if (cells.size() > objective_col) known.push_back({dir + "/" + cells[0], std::stod(cells[objective_col])});
  }
  return known;
}

static double cold_objective(const Model& model, LpStatus& status) {
  LpSolver cold(model);
  status = cold.solve();
  return cold.objective();
}

static void warm_bound_changes(const Model& model, std::mt19937& rng) {
  LpSolver warm(model);
  CHECK(warm.solve() == LpStatus::kOptimal);
  Model changed = model;
  for (int step = 0; step < 8; step++) {
    int32_t j = std::uniform_int_distribution<int32_t>(0, model.A.cols - 1)(rng);
    double v = warm.x()[j];
    double lo = changed.col_lower[j], up = changed.col_upper[j];
    if (step % 2 == 0) up = std::max(lo, std::floor(v));  // a branching-like tightening
    else lo = std::min(up, std::ceil(v));
    changed.col_lower[j] = lo;
    changed.col_upper[j] = up;
    warm.change_col_bounds(j, lo, up);
    LpStatus warm_status = warm.solve();
    LpStatus cold_status;
    double cold = cold_objective(changed, cold_status);
    CHECK(warm_status == cold_status);
    if (warm_status == LpStatus::kOptimal && cold_status == LpStatus::kOptimal) CHECK(close(warm.objective(), cold));
    if (warm_status != LpStatus::kOptimal) break;  // infeasible after tightening: stop this walk
  }
}

int main() {
  std::string here = __FILE__;
  std::string dir = here.substr(0, here.rfind("/tests/cpp/")) + "/tests/data/lp";
  std::vector<Known> known = read_manifest(dir);
  CHECK(known.size() >= 5);
  std::mt19937 rng(7);
  for (const Known& k : known) {
    Model model = satmip::io::read_mps_file(k.path);
    LpSolver solver(model);
    LpStatus status = solver.solve();
    CHECK(status == LpStatus::kOptimal);
    if (!close(solver.objective(), k.optimum))
      std::fprintf(stderr, "%s: objective %.17g, known %.17g\n", k.path.c_str(), solver.objective(), k.optimum);
    CHECK(close(solver.objective(), k.optimum));
    CHECK(solver.max_primal_infeasibility() <= 1e-6 && solver.max_dual_infeasibility() <= 1e-6);
    warm_bound_changes(model, rng);
  }
  std::printf("%zu LPs, %d failures\n", known.size(), failures);
  return failures == 0 ? 0 : 1;
}
