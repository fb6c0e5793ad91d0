// How the learned models' forwards (phase_forward.cpp, branch_forward.cpp) are
// vectorised: an x86-64 Linux build clones a function marked SATMIP_VECTOR_CLONES
// for AVX2 (no FMA: the same roundings as without, so results do not depend on the
// machine) and the default target; elsewhere the compiler's default. Helpers marked
// SATMIP_INLINE are inlined into each clone. Include from .cpp files only.
#pragma once

#if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__)
#define SATMIP_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#define SATMIP_INLINE inline __attribute__((always_inline))
#else
#define SATMIP_VECTOR_CLONES
#define SATMIP_INLINE inline
#endif
