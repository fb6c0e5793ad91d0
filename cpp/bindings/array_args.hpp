// Strict conversions of the array arguments of the bindings. numpy's
// forcecast would silently turn 2**32 + 1 into 1, 1.7 into 1 and NaN into
// anything; these accept only what the argument means and raise ValueError,
// naming the argument, for the rest.
#pragma once
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace satmip::bindings {

// obj as a 1-D numpy array (a list or tuple is converted as numpy.asarray does).
inline pybind11::array one_dimensional(pybind11::handle obj, const std::string& what) {
  pybind11::array a = pybind11::array::ensure(obj);
  if (!a || a.ndim() != 1)
    throw pybind11::value_error(what + " must be a one-dimensional array");
  return a;
}

inline std::string dtype_name(const pybind11::array& a) { return std::string(pybind11::str(a.dtype())); }

inline bool integer_kind(char kind) { return kind == 'i' || kind == 'u'; }
inline bool real_kind(char kind) { return kind == 'f' || integer_kind(kind); }

// Entries of an integer array (any integer dtype; an empty list is fine), each
// checked to lie in [lo, hi]. Floats and bools are refused, never rounded.
inline std::vector<int64_t> integer_entries(pybind11::handle obj, const std::string& what, int64_t lo, int64_t hi) {
  namespace py = pybind11;
  py::array a = one_dimensional(obj, what);
  std::vector<int64_t> out;
  if (a.size() == 0) return out;
  if (!integer_kind(a.dtype().kind()))
    throw py::value_error(what + " must hold integers, got dtype " + dtype_name(a));
  out.reserve(size_t(a.size()));
  auto out_of_range = [&](const std::string& x) {
    return py::value_error(what + ": entry " + x + " is out of range [" + std::to_string(lo) + ", " +
                           std::to_string(hi) + "]");
  };
  if (a.dtype().kind() == 'u') {
    auto u = py::array_t<uint64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    for (py::ssize_t k = 0; k < u.size(); ++k) {
      uint64_t x = u.data()[k];
      if (x > uint64_t(hi) || int64_t(x) < lo) throw out_of_range(std::to_string(x));
      out.push_back(int64_t(x));
    }
  } else {
    auto s = py::array_t<int64_t, py::array::c_style | py::array::forcecast>::ensure(a);
    for (py::ssize_t k = 0; k < s.size(); ++k) {
      int64_t x = s.data()[k];
      if (x < lo || x > hi) throw out_of_range(std::to_string(x));
      out.push_back(x);
    }
  }
  return out;
}

// The same, narrowed to T (whose range bounds the entries).
template <class T>
std::vector<T> integer_entries(pybind11::handle obj, const std::string& what) {
  std::vector<int64_t> wide = integer_entries(obj, what, int64_t(std::numeric_limits<T>::min()),
                                              int64_t(std::numeric_limits<T>::max()));
  return std::vector<T>(wide.begin(), wide.end());
}

// Which values real_entries refuses itself. kAny leaves them to the engine's
// model check, whose errors name the row and column (lp::check_model).
enum class RealValues { kAny, kNotNan, kFinite };

// Entries of a real array (float or integer dtype), values checked as asked.
inline std::vector<double> real_entries(pybind11::handle obj, const std::string& what, RealValues values) {
  namespace py = pybind11;
  py::array a = one_dimensional(obj, what);
  if (a.size() == 0) return {};
  if (!real_kind(a.dtype().kind()))
    throw py::value_error(what + " must hold real numbers, got dtype " + dtype_name(a));
  auto d = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(a);
  std::vector<double> out(d.data(), d.data() + d.size());
  if (values == RealValues::kAny) return out;
  for (size_t k = 0; k < out.size(); ++k) {
    if (std::isnan(out[k])) throw py::value_error(what + ": entry " + std::to_string(k) + " is NaN");
    if (values == RealValues::kFinite && std::isinf(out[k]))
      throw py::value_error(what + ": entry " + std::to_string(k) + " is infinite");
  }
  return out;
}

// obj as a C-contiguous array of exactly T's dtype, read in place (no conversion:
// the learned models' forwards take their weights and states as they are); else
// ValueError "WHAT must be a C-contiguous DTYPE array".
template <class T>
pybind11::array_t<T, pybind11::array::c_style> exact_array(pybind11::handle obj, const std::string& what) {
  using Exact = pybind11::array_t<T, pybind11::array::c_style>;
  if (!Exact::check_(obj))
    throw pybind11::value_error(what + " must be a C-contiguous " + std::string(pybind11::str(pybind11::dtype::of<T>())) +
                                " array");
  return pybind11::reinterpret_borrow<Exact>(obj);
}

// A new read-only numpy array holding a copy of data[0..n): it owns its
// memory, so Python may keep it after the callback that received it returns.
template <class T>
pybind11::array_t<T> read_only_copy(const T* data, size_t n) {
  pybind11::array_t<T> a(static_cast<pybind11::ssize_t>(n));
  if (n) std::copy(data, data + n, a.mutable_data());
  pybind11::detail::array_proxy(a.ptr())->flags &= ~pybind11::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

}  // namespace satmip::bindings
