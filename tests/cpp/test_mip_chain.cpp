// Native test of two small pieces of the MILP engine that keep searches on
// unbounded integer columns finite: the bound-change chains of nodes
// (node.hpp: summarised every kSummaryInterval links, so loading a node at
// depth 100,000 walks a bounded number of links) and the integral scale of
// rows with rational coefficients (integral_scale.hpp).
#include <cmath>
#include <map>
#include <memory>
#include <utility>

#include "mip/integral_scale.hpp"
#include "mip/node.hpp"
#include "test_check.hpp"

using namespace satmip;

static void test_chain() {
  // A deep chain on 5 columns; the newest bounds per column must come first.
  std::shared_ptr<const mip::BoundChange> chain;
  std::map<int32_t, std::pair<double, double>> newest;
  for (int depth = 0; depth < 100000; ++depth) {
    const int32_t column = (depth * 7) % 5;
    chain = mip::extend_chain(chain, column, -depth, depth);
    newest[column] = {-depth, depth};
    CHECK(chain->links <= mip::kSummaryInterval);
  }
  std::map<int32_t, std::pair<double, double>> seen;
  int visits = 0;
  mip::for_each_change(chain.get(), [&](int32_t j, double lower, double upper) {
    ++visits;
    if (!seen.count(j)) seen[j] = {lower, upper};
  });
  CHECK(seen == newest);
  CHECK(visits <= mip::kSummaryInterval + 5);
  chain.reset();   // destroying a deep chain recurses only through unsummarised links
}

static void test_integral_scale() {
  CHECK(mip::rational_denominator(3, 10000) == 1);
  CHECK(mip::rational_denominator(4.876, 10000) == 250);      // 4.876 = 1219 / 250
  CHECK(mip::rational_denominator(1.0 / 3.0, 10000) == 3);
  CHECK(mip::rational_denominator(M_PI, 10000) == 0);
  CHECK(mip::integral_scale({2, 0.5, -4.876}) == 250);
  CHECK(mip::integral_scale({1, M_SQRT2}) == 0);
  CHECK(mip::integral_scale({1e-4, 3e-5}, 100000, 1e6) == 100000);
  CHECK(mip::integral_scale({1e-4, 3e-5}, 10000, 1e6) == 0);   // 3e-5 needs a denominator above 10,000
  CHECK(mip::integral_scale({1.0 / 7919, 1.0 / 7907}, 10000, 1e6) == 0);   // the multiple exceeds 1e6
  CHECK(mip::gcd(4876, -2000) == 4 && mip::gcd(0, 7) == 7);
}

int main() {
  test_chain();
  test_integral_scale();
  return failures == 0 ? 0 : 1;
}
