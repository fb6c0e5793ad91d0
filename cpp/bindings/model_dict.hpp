// The model dict that crosses between Python and the C++ engines (MPS reader and
// writer, LP solver, MILP solver, presolve): name, objective_name, sense, offset,
// cost, col_lower, col_upper, row_lower, row_upper, integer (bool), A_start (int64),
// A_index (int32), A_value (float64; the matrix by columns), num_rows, num_cols,
// row_names, col_names, warnings. python/satmip/mps.py wraps it in MpsData.
#pragma once
#include <algorithm>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "lp/model.hpp"

namespace satmip::bindings {

// The arrays are required; integer, names, name, objective_name, sense, offset and
// the counts may be left out. Missing or malformed entries, and values no engine
// accepts (lp::check_model: NaN, infinite costs or entries, lower +inf, upper -inf),
// raise ValueError.
lp::Model model_from_dict(const pybind11::dict& d);

// The model handed to Python; its arrays take over the model's vectors (no copy).
pybind11::dict model_to_dict(lp::Model&& m);

// A copy of an engine vector as a new numpy array.
template <class T>
pybind11::array_t<T> copy_to_numpy(const std::vector<T>& v) {
  pybind11::array_t<T> a(pybind11::ssize_t(v.size()));
  if (!v.empty()) std::copy(v.begin(), v.end(), a.mutable_data());
  return a;
}

}  // namespace satmip::bindings
