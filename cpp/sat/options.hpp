// Options of the SAT engine, generated from options.def.
#pragma once
#include <string>
#include <vector>

namespace satmip::sat {

struct OptionInfo {
  const char* name;
  long long def, lo, hi;
  const char* help;
};

struct Options {
#define OPTION(N, D, L, H, HELP) long long N = D;
#include "sat/options.def"
#undef OPTION

  // Sets an option by name; throws std::invalid_argument for an unknown name
  // or a value out of range.
  void set(const std::string& name, long long value);
  long long get(const std::string& name) const;
  // Applies a named preset (see presets()); throws for an unknown name.
  void configure(const std::string& preset);

  static const std::vector<OptionInfo>& table();
  // name, description, and the option assignments it makes.
  struct Preset { const char* name; const char* help; std::vector<std::pair<const char*, long long>> set; };
  static const std::vector<Preset>& presets();
};

}  // namespace satmip::sat
