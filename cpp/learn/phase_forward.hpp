// The phase model's forward pass (satmip.learn.phase_model.PhaseModel, exported by
// export_npz) on one formula's clause graph, in plain C++ on one thread: the same
// computation as satmip.learn.phase_infer's numpy forward, without BLAS threads.
// Generic in the hidden size, the number of layers and the input feature counts;
// the layer structure (relations, LayerNorm-GELU residual layers, head) is fixed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace satmip::learn {

// Relations, in the order of a layer's stacked w_rel (satmip.learn.phase_format.RELATIONS).
enum Relation { kVarClausePos, kVarClauseNeg, kClauseVarPos, kClauseVarNeg, kMetaClause, kClauseMeta, kRelations };

// Row-major float32 weights; every pointer is owned by the caller.
struct PhaseLayerWeights {
  const float* norm_weight;  // [H]
  const float* norm_bias;    // [H]
  const float* w_self;       // [H, H]
  const float* w_rel;        // [kRelations, H, H]
  const float* bias;         // [H]
  const float* w_out;        // [H, H]
  const float* b_out;        // [H]
};

struct PhaseWeights {
  int hidden = 0;
  int variable_features = 0, clause_features = 0;
  float eps = 1e-5f;
  const float* embed = nullptr;        // [3, H]: variable, clause, meta
  const float* in_variable = nullptr;  // [variable_features, H]
  const float* in_clause = nullptr;    // [clause_features, H]
  std::vector<PhaseLayerWeights> layers;
  const float *head_norm_weight = nullptr, *head_norm_bias = nullptr;  // [H]
  const float *head_w1 = nullptr, *head_b1 = nullptr;                  // [H, H], [H]
  const float *head_w2 = nullptr, *head_b2 = nullptr;                  // [H, 1], [1]
};

// satmip.learn.graph.ClauseGraph: variable nodes 0..nvars-1, clause nodes, meta nodes.
struct PhaseGraph {
  int64_t nvars = 0, nclauses = 0, nmeta = 0;
  size_t nedges = 0;
  const int64_t* edge_var = nullptr;     // [nedges]
  const int64_t* edge_clause = nullptr;  // [nedges]
  const int8_t* edge_sign = nullptr;     // [nedges]: > 0 positive, else negative
  const int64_t* clause_meta = nullptr;  // [nclauses] when nmeta > 0, else unused
};

// The logit of P(positive phase) of each variable. variable_features:
// [nvars, variable_features], clause_features: [nclauses, clause_features].
// std::invalid_argument on an index out of range.
std::vector<float> phase_logits(const PhaseGraph& graph, const float* variable_features,
                                const float* clause_features, const PhaseWeights& weights);

}  // namespace satmip::learn
