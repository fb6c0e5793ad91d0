#include "bindings/bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "satmip C++ engines (CDCL SAT, proof checkers, DIMACS and MPS readers, MPS writer, LP and MILP solvers)";
#ifdef SATMIP_GIT_REVISION
  m.attr("__build__") = SATMIP_GIT_REVISION;  // git revision of the C++ sources built
#else
  m.attr("__build__") = "unknown";
#endif
  satmip::bindings::bind_io(m);
  satmip::bindings::bind_mps(m);
  satmip::bindings::bind_lp(m);
  satmip::bindings::bind_mip(m);
  satmip::bindings::bind_check(m);
  satmip::bindings::bind_sat(m);
  satmip::bindings::bind_presolve(m);
  satmip::bindings::bind_learn(m);
  satmip::bindings::bind_branch_model(m);
  satmip::bindings::bind_lookahead(m);
}
