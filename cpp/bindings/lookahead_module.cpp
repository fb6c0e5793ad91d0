// satmip._core.lookahead: failed-literal lookahead on a clause list
// (sat/lookahead.hpp), for the phase model's input features.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <limits>
#include <stdexcept>

#include "bindings/array_args.hpp"
#include "bindings/bindings.hpp"
#include "sat/lookahead.hpp"

namespace py = pybind11;

namespace satmip::bindings {
namespace {

template <class T>
py::array_t<T> to_numpy(const std::vector<T>& v) {
  py::array_t<T> out(py::ssize_t(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

py::dict lookahead(int64_t nvars, py::handle indptr, py::handle indices, py::handle signs,
                   int64_t probe_work_limit, int64_t total_work_limit) {
  if (nvars < 0 || nvars > std::numeric_limits<int32_t>::max())
    throw py::value_error("nvars must lie in [0, 2**31 - 1]");
  if (probe_work_limit < 0 || total_work_limit < 0) throw py::value_error("work limits must be >= 0");
  std::vector<int64_t> ptr = integer_entries(indptr, "indptr", 0, std::numeric_limits<int64_t>::max());
  std::vector<int64_t> vars = integer_entries(indices, "indices", 0, nvars > 0 ? nvars - 1 : -1);
  std::vector<int64_t> sg = integer_entries(signs, "signs", -1, 1);
  if (ptr.empty() || ptr.front() != 0 || uint64_t(ptr.back()) != vars.size() || sg.size() != vars.size())
    throw py::value_error("indptr must start at 0 and end at len(indices) == len(signs)");
  std::vector<int32_t> var32(vars.begin(), vars.end());
  std::vector<int8_t> sign8(sg.size());
  for (size_t k = 0; k < sg.size(); ++k) {
    if (sg[k] == 0) throw py::value_error("signs must be +1 or -1");
    sign8[k] = int8_t(sg[k]);
  }
  sat::LookaheadResult r;
  {
    py::gil_scoped_release nogil;
    try {
      r = sat::lookahead(nvars, ptr, var32, sign8, uint64_t(probe_work_limit), uint64_t(total_work_limit));
    } catch (const std::invalid_argument& e) {
      py::gil_scoped_acquire gil;
      throw py::value_error(e.what());
    }
  }
  py::dict out;
  out["root_conflict"] = r.root_conflict;
  out["root_value"] = to_numpy(r.root_value);
  out["value"] = to_numpy(r.value);
  out["implied"] = to_numpy(r.implied);
  out["probed"] = to_numpy(r.probed);
  out["failed_literals"] = r.failed_literals;
  out["work"] = r.work;
  return out;
}

}  // namespace

void bind_lookahead(py::module_& m) {
  m.def("lookahead", &lookahead, py::arg("nvars"), py::arg("indptr"), py::arg("indices"), py::arg("signs"),
        py::arg("probe_work_limit"), py::arg("total_work_limit"),
        "Failed-literal lookahead on clauses given as CSR (0-based variables, signs +1 / -1): "
        "dict of root_conflict, root_value and value (int8 [nvars]: +1 / -1 fixed by root unit "
        "propagation / also by failed literals, else 0), implied (int32 [2 nvars]: literals implied "
        "by probing +v at 2v and -v at 2v+1), probed (int8 [2 nvars]: the probe ran to its end), "
        "failed_literals, work (clause visits).");
}

}  // namespace satmip::bindings
