#include "bindings/bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "satmip C++ engines (CDCL SAT, proof checkers, DIMACS reader)";
  satmip::bindings::bind_io(m);
  satmip::bindings::bind_check(m);
  satmip::bindings::bind_sat(m);
}
