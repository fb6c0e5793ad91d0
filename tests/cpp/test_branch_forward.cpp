// Native test of the branching GCNN's forward (learn/branch_forward.hpp) and the
// rule that runs it (branching gnn), no Python: a random model of an odd embedding
// size on a random bipartite graph (rows and a column without edges), the logits of
// column subsets, in any order and with repeats, against those of every column; the
// model's array checks; and MIPLIB's p0033 solved to its optimum with the rule at
// every depth and down to depth 2. Under SATMIP_SANITIZE=1 this is the forward's
// memory-safety check.
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/mps.hpp"
#include "learn/branch_forward.hpp"
#include "mip/mip_solver.hpp"
#include "mip/node_state.hpp"
#include "test_check.hpp"

using namespace satmip;

namespace {

// Random float32 arrays under GCNN_SPEC's keys for emb and the engine's feature counts.
std::map<std::string, std::vector<float>> random_weights(int emb, std::mt19937& rng,
                                                         std::map<std::string, learn::BranchTensor>& arrays) {
  std::normal_distribution<float> normal(0.0f, 0.5f);
  std::map<std::string, std::vector<int64_t>> shapes;
  const int64_t e = emb;
  const int64_t features[3] = {mip::kRowFeatureCount, mip::kEdgeFeatureCount, mip::kColFeatureCount};
  const char* names[3] = {"row", "edge", "col"};
  for (int k = 0; k < 3; ++k) {
    shapes[std::string(names[k]) + "_norm.shift"] = {features[k]};
    shapes[std::string(names[k]) + "_norm.scale"] = {features[k]};
  }
  for (int k : {0, 2}) {
    const std::string p = std::string(names[k]) + "_embed.";
    shapes[p + "0.weight"] = {e, features[k]};
    shapes[p + "0.bias"] = {e};
    shapes[p + "2.weight"] = {e, e};
    shapes[p + "2.bias"] = {e};
  }
  for (const std::string conv : {"conv_col_to_row.", "conv_row_to_col."}) {
    for (const char* linear : {"target", "message", "out.2"}) {
      shapes[conv + linear + ".weight"] = {e, e};
      shapes[conv + linear + ".bias"] = {e};
    }
    shapes[conv + "edge.weight"] = {e, mip::kEdgeFeatureCount};
    shapes[conv + "source.weight"] = {e, e};
    shapes[conv + "out.0.weight"] = {e, 2 * e};
    shapes[conv + "out.0.bias"] = {e};
    for (const char* norm : {"message_norm", "post_norm"}) {
      shapes[conv + norm + ".weight"] = {e};
      shapes[conv + norm + ".bias"] = {e};
    }
  }
  shapes["head.0.weight"] = {e, e};
  shapes["head.0.bias"] = {e};
  shapes["head.2.weight"] = {1, e};
  std::map<std::string, std::vector<float>> values;
  for (const auto& [key, shape] : shapes) {
    int64_t size = 1;
    for (int64_t d : shape) size *= d;
    std::vector<float>& v = values[key];
    for (int64_t k = 0; k < size; ++k) v.push_back(normal(rng));
    if (key.find("scale") != std::string::npos || key.find("norm.weight") != std::string::npos)
      for (float& x : v) x = 1.0f + 0.5f * std::tanh(x);
  }
  for (const auto& [key, shape] : shapes) arrays[key] = {values[key].data(), shape};
  return values;
}

bool throws_invalid_argument(const std::map<std::string, learn::BranchTensor>& arrays, int emb) {
  try {
    learn::branch_model_from_arrays(arrays, emb);
  } catch (const std::invalid_argument&) {
    return true;
  }
  return false;
}

}  // namespace

int main() {
  std::mt19937 rng(7);
  std::map<std::string, learn::BranchTensor> arrays;
  const auto values = random_weights(5, rng, arrays);
  const learn::BranchModel model = learn::branch_model_from_arrays(arrays, 5);
  CHECK(model.row_features == mip::kRowFeatureCount && model.col_features == mip::kColFeatureCount);

  // A random bipartite graph: 7 rows (row 3 without edges), 9 columns (column 8 without).
  const int32_t rows = 7, cols = 9;
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::vector<int64_t> ptr = {0};
  std::vector<int32_t> edge_col;
  std::vector<double> edge_values;
  for (int32_t i = 0; i < rows; ++i) {
    for (int32_t j = 0; j < cols - 1 && i != 3; ++j)
      if (unit(rng) > 0.2) {
        edge_col.push_back(j);
        edge_values.push_back(unit(rng));
      }
    ptr.push_back(int64_t(edge_col.size()));
  }
  std::vector<double> row_features(std::size_t(rows) * mip::kRowFeatureCount), col_features(std::size_t(cols) * mip::kColFeatureCount);
  for (double& x : row_features) x = unit(rng) > 0 ? unit(rng) : 0.0;
  for (double& x : col_features) x = unit(rng) > 0 ? unit(rng) : 0.0;
  const learn::BranchGraph graph{rows, cols, row_features.data(), ptr.data(), edge_col.data(), edge_values.data(),
                                 col_features.data()};
  learn::BranchScratch scratch;
  std::vector<double> all, some;
  learn::branch_logits(model, graph, nullptr, 0, scratch, all);
  CHECK(all.size() == std::size_t(cols));
  for (double x : all) CHECK(std::isfinite(x));
  const std::vector<std::vector<int32_t>> subsets = {{8}, {3}, {0, 8}, {6, 2, 6, 0}, {1, 2, 3, 4, 5, 6, 7, 8, 0}};
  for (const auto& subset : subsets) {
    learn::branch_logits(model, graph, subset.data(), subset.size(), scratch, some);
    CHECK(some.size() == subset.size());
    for (std::size_t k = 0; k < subset.size(); ++k) CHECK(std::fabs(some[k] - all[std::size_t(subset[k])]) <= 1e-12);
  }
  const int32_t outside[] = {9};
  bool refused = false;
  try {
    learn::branch_logits(model, graph, outside, 1, scratch, some);
  } catch (const std::invalid_argument&) {
    refused = true;
  }
  CHECK(refused);

  // The model's arrays: one missing, one misshapen, one not finite.
  auto missing = arrays;
  missing.erase("conv_row_to_col.post_norm.bias");
  CHECK(throws_invalid_argument(missing, 5));
  auto misshapen = arrays;
  misshapen["head.2.weight"].shape = {5, 1};
  CHECK(throws_invalid_argument(misshapen, 5));
  CHECK(throws_invalid_argument(arrays, 6));
  std::vector<float> nan_bias(values.at("head.0.bias"));
  nan_bias[2] = std::nanf("");
  auto not_finite = arrays;
  not_finite["head.0.bias"].data = nan_bias.data();
  CHECK(throws_invalid_argument(not_finite, 5));

  // The rule in the search: p0033's optimum, the GCNN at every depth and down to depth 2.
  const std::string here = __FILE__;
  const std::string data = here.substr(0, here.rfind("/tests/cpp/")) + "/tests/data/mip/";
  lp::Model p0033 = io::read_mps_file(data + "p0033.mps.gz");
  auto shared = std::make_shared<const learn::BranchModel>(model);
  for (int depth : {std::numeric_limits<int>::max(), 2}) {
    mip::MipOptions options;
    options.branching = mip::BranchingRule::kGnn;
    options.branching_model = shared;
    options.gnn_max_depth = depth;
    options.cuts = false;
    options.relative_gap = 0;
    mip::MipResult r = mip::solve_mip(p0033, options);
    std::printf("p0033 gnn depth %d: %s %.10g nodes %lld calls %lld\n", depth, mip::to_string(r.status), r.objective,
                (long long)r.nodes, (long long)r.branching_model_calls);
    CHECK(r.status == mip::MipStatus::kOptimal && std::fabs(r.objective - 3089.0) <= 1e-6);
    CHECK(r.branching_model_calls >= 1 && r.branching_model_calls <= r.nodes);
  }
  mip::MipOptions without_model;
  without_model.branching = mip::BranchingRule::kGnn;
  refused = false;
  try {
    mip::solve_mip(p0033, without_model);
  } catch (const std::invalid_argument&) {
    refused = true;
  }
  CHECK(refused);
  if (failures) std::fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}
