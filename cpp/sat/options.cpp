#include "sat/options.hpp"

#include <stdexcept>

namespace satmip::sat {

const std::vector<OptionInfo>& Options::table() {
  static const std::vector<OptionInfo> t = {
#define OPTION(N, D, L, H, HELP) {#N, D, L, H, HELP},
#include "sat/options.def"
#undef OPTION
  };
  return t;
}

const std::vector<Options::Preset>& Options::presets() {
  static const std::vector<Preset> p = {
      {"default", "alternating focused/stable search with inprocessing", {}},
      {"focused-only", "focused mode only: VMTF, glue-average restarts", {{"stable", 0}}},
      {"stable-only", "stable mode only: EVSIDS, Luby restarts, target phases", {{"stable", 2}}},
      {"no-inprocessing", "search without subsumption, elimination, probing, vivification",
       {{"inprocessing", 0}}},
      {"plain", "no inprocessing, no walk, no rephasing, no chronological backtracking",
       {{"inprocessing", 0}, {"walk", 0}, {"rephase", 0}, {"chrono", 0}}},
      {"sat", "tuned for satisfiable instances: longer stable phases, target phases always",
       {{"stabilizeinit", 500}, {"target", 2}}},
      {"unsat", "tuned for unsatisfiable instances: focused mode only, no target phases",
       {{"stable", 0}, {"target", 0}, {"walk", 0}}},
  };
  return p;
}

void Options::set(const std::string& name, long long value) {
#define OPTION(N, D, L, H, HELP)                                                           \
  if (name == #N) {                                                                        \
    if (value < (L) || value > (H))                                                        \
      throw std::invalid_argument("option '" #N "' must be in [" #L ", " #H "], got " +     \
                                  std::to_string(value));                                  \
    N = value;                                                                             \
    return;                                                                                \
  }
#include "sat/options.def"
#undef OPTION
  throw std::invalid_argument("unknown option '" + name + "'");
}

long long Options::get(const std::string& name) const {
#define OPTION(N, D, L, H, HELP) \
  if (name == #N) return N;
#include "sat/options.def"
#undef OPTION
  throw std::invalid_argument("unknown option '" + name + "'");
}

void Options::configure(const std::string& preset) {
  for (const auto& p : presets()) {
    if (preset != p.name) continue;
    for (const auto& [n, v] : p.set) set(n, v);
    return;
  }
  std::string names;
  for (const auto& p : presets()) names += std::string(names.empty() ? "" : ", ") + p.name;
  throw std::invalid_argument("unknown configuration '" + preset + "' (known: " + names + ")");
}

}  // namespace satmip::sat
