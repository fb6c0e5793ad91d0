// Each binding file registers one concern on the module.
#pragma once
#include <pybind11/pybind11.h>

namespace satmip::bindings {
void bind_io(pybind11::module_& m);     // io_module.cpp
void bind_mps(pybind11::module_& m);    // mps_module.cpp
void bind_lp(pybind11::module_& m);     // lp_module.cpp
void bind_mip(pybind11::module_& m);    // mip_module.cpp
void bind_check(pybind11::module_& m);  // check_module.cpp
void bind_sat(pybind11::module_& m);    // sat_module.cpp
void bind_presolve(pybind11::module_& m);  // presolve_module.cpp
void bind_learn(pybind11::module_& m);  // learn_module.cpp
void bind_branch_model(pybind11::module_& m);  // branch_model_module.cpp
void bind_lookahead(pybind11::module_& m);  // lookahead_module.cpp
}  // namespace satmip::bindings
