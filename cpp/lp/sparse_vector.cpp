#include "lp/sparse_vector.hpp"

#include <algorithm>
#include <cmath>

namespace satmip::lp {

void SparseVector::clear() {
  // Sparse clearing only pays off while few positions are listed.
  if (count >= 0 && count < dim / 4) {
    for (int32_t k = 0; k < count; k++) array[index[k]] = 0.0;
  } else {
    std::fill(array.begin(), array.end(), 0.0);
  }
  count = 0;
}

void SparseVector::resize(int32_t dimension) {
  dim = dimension;
  array.assign(dim, 0.0);
  index.assign(dim, 0);
  count = 0;
}

void SparseVector::set(int32_t i, double v) {
  double& slot = array[i];
  if (count >= 0) {
    if (slot == 0.0 && v != 0.0) {
      index[count++] = i;
    } else if (slot != 0.0 && v == 0.0) {
      for (int32_t k = 0; k < count; k++) {
        if (index[k] == i) {
          index[k] = index[--count];
          break;
        }
      }
    }
  }
  slot = v;
}

void SparseVector::add(int32_t i, double v) {
  double& slot = array[i];
  if (slot == 0.0 && v != 0.0 && count >= 0) index[count++] = i;
  slot += v;
}

void SparseVector::tidy(double drop) {
  if (count < 0) {
    count = 0;
    for (int32_t i = 0; i < dim; i++) {
      if (std::fabs(array[i]) <= drop) {
        array[i] = 0.0;
      } else {
        index[count++] = i;
      }
    }
    return;
  }
  int32_t kept = 0;
  for (int32_t k = 0; k < count; k++) {
    int32_t i = index[k];
    if (std::fabs(array[i]) <= drop) {
      array[i] = 0.0;
    } else {
      index[kept++] = i;
    }
  }
  count = kept;
}

void SparseVector::rebuild_index() {
  count = 0;
  for (int32_t i = 0; i < dim; i++) {
    if (array[i] != 0.0) index[count++] = i;
  }
}

}  // namespace satmip::lp
