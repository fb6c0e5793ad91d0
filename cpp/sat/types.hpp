// Literal and variable encoding used inside the engine.
// Outside (API, files) literals are DIMACS ints; inside a variable v >= 1 has
// the literals 2v (positive) and 2v+1 (negative), so negation is x ^ 1 and a
// literal indexes arrays directly.
#pragma once
#include <cstdint>
#include <cstdlib>

namespace satmip::sat {

using Var = uint32_t;
using Lit = uint32_t;
using CRef = uint32_t;  // offset of a clause in the arena (in 32-bit words)

constexpr CRef kNoRef = UINT32_MAX;
constexpr Lit kNoLit = 0;  // variable 0 is never used, so literal 0 is free

inline Lit make_lit(Var v, bool negative) { return (v << 1) | (negative ? 1u : 0u); }
inline Var var_of(Lit l) { return l >> 1; }
inline bool is_negative(Lit l) { return l & 1u; }
inline Lit negate(Lit l) { return l ^ 1u; }
inline Lit from_dimacs(int x) { return x > 0 ? make_lit(Var(x), false) : make_lit(Var(-int64_t(x)), true); }
inline int to_dimacs(Lit l) { return is_negative(l) ? -int(var_of(l)) : int(var_of(l)); }

// Answer codes follow the SAT competition convention.
enum Status : int { kUnknown = 0, kSat = 10, kUnsat = 20 };

}  // namespace satmip::sat
