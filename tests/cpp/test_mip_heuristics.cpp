// Native test of the primal heuristics: randomised rounding's candidates
// (integral, deduplicated, seeded), the feasibility pump alone at the root
// finding a feasible incumbent, and a seed fixing the whole run.
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "io/mps.hpp"
#include "mip/mip_solver.hpp"
#include "mip/rounding.hpp"
#include "mip/solution_check.hpp"
#include "test_check.hpp"

using namespace satmip;

namespace {

void test_randomized_rounding() {
  lp::Model model;
  model.A.rows = 0;
  model.A.cols = 4;
  model.A.start = {0, 0, 0, 0, 0};
  model.cost = {0, 0, 0, 0};
  model.col_lower = {0, 0, 0, 0};
  model.col_upper = {5, 5, 5, 5};
  model.integer = {1, 1, 1, 0};
  const std::vector<double> x = {0.5, 2.999999, 3.25, 1.7};   // column 1 is integral within tolerance
  const std::vector<int32_t> fractional = {0, 2};
  std::mt19937 rng(3), again(3);
  auto a = mip::randomized_rounding_candidates(model, x, fractional, 16, rng);
  auto b = mip::randomized_rounding_candidates(model, x, fractional, 16, again);
  CHECK(a == b);                 // deterministic for a seed
  CHECK(!a.empty() && a.size() <= 3);   // 4 patterns, nearest (1, 3) left out
  for (size_t k = 0; k < a.size(); ++k) {
    CHECK(a[k][0] == 0 || a[k][0] == 1);
    CHECK(a[k][1] == 3);
    CHECK(a[k][2] == 3 || a[k][2] == 4);
    CHECK(a[k][3] == 1.7);       // continuous columns keep their value
    CHECK(!(a[k][0] == 1 && a[k][2] == 3));
    for (size_t l = 0; l < k; ++l) CHECK(a[k] != a[l]);
  }
  CHECK(mip::randomized_rounding_candidates(model, x, {}, 4, rng).empty());
}

}  // namespace

int main() {
  test_randomized_rounding();
  const std::string here = __FILE__;
  const std::string kData = here.substr(0, here.rfind("/tests/cpp/")) + "/tests/data/mip/";
  for (const char* name : {"p0282", "rgn", "p0201"}) {
    lp::Model model = io::read_mps_file(kData + name + ".mps.gz");
    mip::MipOptions options;
    options.node_limit = 1;
    options.randomized_rounding = options.fractional_diving = options.guided_diving = false;
    options.coefficient_diving = false;
    options.feasibility_pump = false;
    mip::MipResult none = mip::solve_mip(model, options);
    CHECK(none.x.empty());
    options.feasibility_pump = true;
    mip::MipResult pump = mip::solve_mip(model, options);
    std::printf("%s: pump alone at the root: %.10g\n", name, pump.objective);
    CHECK(!pump.x.empty());
    CHECK(mip::check_solution(model, pump.x, 1e-6, 1e-6).feasible);
  }
  lp::Model model = io::read_mps_file(kData + "misc03.mps.gz");
  mip::MipOptions options;
  options.seed = 11;
  options.dive_interval = 5;
  mip::MipResult a = mip::solve_mip(model, options), b = mip::solve_mip(model, options);
  CHECK(a.status == mip::MipStatus::kOptimal && b.status == mip::MipStatus::kOptimal);
  CHECK(a.nodes == b.nodes && a.lp_iterations == b.lp_iterations && a.x == b.x);
  CHECK(std::fabs(a.objective - 3360.0) <= 1e-6 * 3360.0);
  if (failures) std::fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}
