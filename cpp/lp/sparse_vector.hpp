// A vector of dimension `dim` kept as dense values plus a list of the positions
// that may be nonzero: the representation the simplex and the basis solves
// (FTRAN/BTRAN) pass around, so that work can be proportional to the number of
// nonzeros rather than to the dimension (hyper-sparse solves).
//
// Invariants:
//  - array.size() == index.size() == dim; array holds every value (zeros too).
//  - count >= 0: index[0..count) are distinct positions and every nonzero of
//    `array` is among them. Listed positions may hold zero (after cancellation);
//    tidy() removes those.
//  - count < 0 (kIndexInvalid): the index is not maintained; treat the vector
//    as dense. rebuild_index() or tidy() makes it valid again.
#pragma once
#include <cstdint>
#include <vector>

namespace satmip::lp {

struct SparseVector {
  static constexpr int32_t kIndexInvalid = -1;

  int32_t dim = 0;
  int32_t count = 0;
  std::vector<double> array;
  std::vector<int32_t> index;

  SparseVector() = default;
  explicit SparseVector(int32_t dimension) { resize(dimension); }

  bool index_valid() const { return count >= 0; }
  // Zero all values; the index becomes valid and empty.
  void clear();
  // New dimension; all values zero.
  void resize(int32_t dimension);
  // array[i] = v, listing i in the index when it was zero before. Setting an
  // entry to zero removes it from the index (linear in count).
  void set(int32_t i, double v);
  // array[i] += v (listing i when new); the sum may cancel to zero.
  void add(int32_t i, double v);
  // Zero the values with |v| <= drop and make the index list exactly the
  // remaining nonzeros (in increasing order when it had to be rebuilt by a
  // scan, otherwise in the order it was).
  void tidy(double drop = 1e-14);
  // List exactly the nonzeros (by a scan of the whole array).
  void rebuild_index();
  // Mark the index as not maintained (after writing into `array` directly).
  void invalidate_index() { count = kIndexInvalid; }
};

}  // namespace satmip::lp
