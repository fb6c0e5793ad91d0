// The branching GCNN's forward pass (Gasse et al. 2019; the contract is
// GCNN_SPEC in docs/mip-engine.md, "Learned branching") on the MILP engine's
// bipartite node state (mip/node_state.hpp), in plain C++ on one thread and in
// double: the computation of satmip.learn.branch_format.forward. Generic in the
// embedding size and the input feature counts; the layer structure is fixed.
//
// Two rewrites of the PyG module that change nothing but the cost:
// - a half-convolution's `message` Linear is applied once per receiving node to
//   the sum of its edges' activations (sum_e (W z_e + b) = W sum_e z_e + deg b),
//   so an edge costs O(emb), not O(emb^2);
// - out.2 of each half-convolution and the Linear that follows it (the second's
//   source, the head's first layer) are one Linear, composed at load;
// - only what reaches the columns whose logits are asked for (the node's
//   candidates) is computed: the second half-convolution and the head for
//   them, the first for their rows, the embeddings for those rows and their
//   columns (a two-hop neighbourhood; all of it when every column is asked).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace satmip::learn {

// torch.nn.Linear in the forward's layout: weight_t[k * out + o] = weight[o][k].
struct BranchLinear {
  int in = 0, out = 0;
  std::vector<double> weight_t;
  std::vector<double> bias;   // empty: no bias
};

struct BranchLayerNorm {
  std::vector<double> weight, bias;
};

// One half-convolution: messages from source nodes to target nodes along the edges.
struct BranchConv {
  BranchLinear target, edge, source, message, out0, out2;   // edge and source without bias
  BranchLayerNorm message_norm, post_norm;
};

struct BranchModel {
  int emb = 0, row_features = 0, edge_features = 0, col_features = 0;
  double eps = 1e-5;   // LayerNorm's
  std::vector<double> row_shift, row_scale, edge_shift, edge_scale, col_shift, col_scale;
  BranchLinear row_embed0, row_embed2, col_embed0, col_embed2;
  BranchConv col_to_row, row_to_col;
  BranchLinear head0;
  std::vector<double> head2;   // Linear(emb, 1, bias=False)
  // Linear layers that follow one another without an activation, as one:
  // row_to_col.source after col_to_row.out2, head0 after row_to_col.out2.
  BranchLinear row_source_fused, head0_fused;
};

// A float32 array of the weights file, in PyTorch's layout (row-major, Linear weight [out, in]).
struct BranchTensor {
  const float* data = nullptr;
  std::vector<int64_t> shape;
};

// The model from the file's arrays by their state_dict keys (GCNN_SPEC); the
// feature counts come from the normalisation buffers. std::invalid_argument
// naming the array that is missing, misshapen or not finite.
BranchModel branch_model_from_arrays(const std::map<std::string, BranchTensor>& arrays, int emb);

// The node state's arrays (NodeStateArrays): row-major features, edges as CSR over rows.
struct BranchGraph {
  int32_t rows = 0, cols = 0;
  const double* row_features = nullptr;   // rows x model.row_features
  const int64_t* edge_row_ptr = nullptr;  // rows + 1
  const int32_t* edge_col = nullptr;      // nnz
  const double* edge_values = nullptr;    // nnz x model.edge_features
  const double* col_features = nullptr;   // cols x model.col_features
};

// Scratch buffers of the forward, reused from call to call (one per search).
struct BranchScratch {
  std::vector<double> input, row_h, col_h, hidden, target, source, sum, degree, agg, cat, new_row_h;
  std::vector<int32_t> slot, targets;      // per column: its place among the asked (-1: not asked); the asked
  std::vector<int32_t> row_pos, rows;      // the rows the asked columns touch (position, list)
  std::vector<int32_t> col_pos, cols;      // the columns those rows touch, the asked included
};

// The logit of each column in `columns` (count of them, any order, repeats
// allowed), or of every column when columns is null, into out (count or
// graph.cols entries). std::invalid_argument on an edge or column index out of range.
void branch_logits(const BranchModel& model, const BranchGraph& graph, const int32_t* columns, std::size_t count,
                   BranchScratch& scratch, std::vector<double>& out);

}  // namespace satmip::learn
