// Native test of the MILP engine (no Python): small MIPLIB instances of
// tests/data/mip solved to their known optimum by each built-in branching rule,
// every incumbent re-checked, and a node limit. Under SATMIP_SANITIZE=1 this is
// the branch-and-bound code's memory-safety check.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "io/mps.hpp"
#include "mip/mip_solver.hpp"
#include "mip/solution_check.hpp"
#include "test_check.hpp"

using namespace satmip;


int main() {
  const std::string here = __FILE__;
  const std::string kData = here.substr(0, here.rfind("/tests/cpp/")) + "/tests/data/mip/";
  struct Instance {
    const char* name;
    double optimum;
    bool with_most_fractional;   // p0282 takes most-fractional branching too long
  };
  const Instance instances[] = {{"p0033", 3089.0, true}, {"flugpl", 1201500.0, true}, {"p0282", 258411.0, false}};
  const mip::BranchingRule rules[] = {mip::BranchingRule::kMostFractional, mip::BranchingRule::kPseudocost,
                                      mip::BranchingRule::kReliability};
  for (const Instance& instance : instances) {
    lp::Model model = io::read_mps_file(kData + instance.name + ".mps.gz");
    for (mip::BranchingRule rule : rules) {
      if (rule == mip::BranchingRule::kMostFractional && !instance.with_most_fractional) continue;
      mip::MipOptions options;
      options.relative_gap = 0;
      options.branching = rule;
      options.time_limit = 60;
      int incumbents = 0;
      options.callbacks.on_incumbent = [&](const std::vector<double>& x, double objective) {
        ++incumbents;
        CHECK(mip::check_solution(model, x, 1e-6, 1e-6).feasible);
        CHECK(std::fabs(mip::model_objective(model, x) - objective) <= 1e-9 * std::max(1.0, std::fabs(objective)));
      };
      mip::MipResult r = mip::solve_mip(model, options);
      std::printf("%s rule %d: %s %.10g nodes %lld iterations %lld\n", instance.name, int(rule), mip::to_string(r.status),
                  r.objective, (long long)r.nodes, (long long)r.lp_iterations);
      CHECK(r.status == mip::MipStatus::kOptimal);
      CHECK(std::fabs(r.objective - instance.optimum) <= 1e-6 * std::max(1.0, std::fabs(instance.optimum)));
      CHECK(incumbents >= 1);
      CHECK(mip::check_solution(model, r.x, 1e-6, 1e-6).feasible);
    }
  }
  lp::Model model = io::read_mps_file(kData + "p0033.mps.gz");
  mip::MipOptions options;
  options.node_limit = 3;
  options.heuristics = false;
  mip::MipResult r = mip::solve_mip(model, options);
  CHECK(r.status == mip::MipStatus::kNodeLimit || r.status == mip::MipStatus::kOptimal);
  CHECK(r.nodes <= 3);
  CHECK(r.dual_bound <= 3089.0 + 1e-6);
  if (failures) std::fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}
