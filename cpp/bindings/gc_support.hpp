// Lets Python's garbage collector see the callbacks an engine object holds: a
// callback that closes over its own solver makes a cycle only the collector can
// break, and only when the type traverses (and can clear) what it holds.
#pragma once
#include <pybind11/pybind11.h>

namespace satmip::bindings {

// For py::class_<T>: T has `int traverse(visitproc, void*) const` and `void clear()`.
template <class T>
pybind11::custom_type_setup collected_by_gc() {
  return pybind11::custom_type_setup([](PyHeapTypeObject* heap_type) {
    PyTypeObject* type = &heap_type->ht_type;
    type->tp_flags |= Py_TPFLAGS_HAVE_GC;
    type->tp_traverse = [](PyObject* self, visitproc visit, void* arg) {
      Py_VISIT(Py_TYPE(self));
      if (!pybind11::detail::is_holder_constructed(self)) return 0;
      return pybind11::cast<const T&>(pybind11::handle(self)).traverse(visit, arg);
    };
    type->tp_clear = [](PyObject* self) {
      if (pybind11::detail::is_holder_constructed(self)) pybind11::cast<T&>(pybind11::handle(self)).clear();
      return 0;
    };
  });
}

}  // namespace satmip::bindings
