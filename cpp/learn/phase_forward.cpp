// The phase model's forward pass in plain C++ (see phase_forward.hpp). Messages of
// a relation are x_source @ w_rel[r] summed into the destination (a mean into meta
// nodes), as satmip.learn.phase_infer computes them; clauses go in blocks so that
// their messages are one matrix product without a matrix per graph. It computes in
// double from the float32 weights and features: two float32 forwards of the shipped
// model differ by up to 1.3e-5 (the float32 floor), this one lies within PyG's own
// float32 error of the exact result.
#include "learn/phase_forward.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "learn/vector_clones.hpp"

namespace satmip::learn {
namespace {

using Real = double;
using Rows = std::vector<Real>;   // row-major [rows, width]

// out[r, 0..k) += x[r, 0..n) @ w[n, k] for rows r of x (row stride n) and out (stride out_stride).
SATMIP_INLINE void add_products(const Real* __restrict x, size_t rows, int n, const Real* __restrict w, int k,
                                Real* __restrict out, size_t out_stride) {
  for (size_t r = 0; r < rows; r++) {
    const Real* xr = x + r * size_t(n);
    Real* o = out + r * out_stride;
    for (int i = 0; i < n; i++) {
      const Real xi = xr[i];
      const Real* wi = w + size_t(i) * size_t(k);
      for (int j = 0; j < k; j++) o[j] += xi * wi[j];
    }
  }
}

// exp(y) for y <= 0 (below -700 it is taken as -700), to double's precision, without
// a call so that loops vectorise: range reduction by ln 2, a degree-12 Taylor polynomial.
SATMIP_INLINE Real exp_nonpositive(Real y) {
  y = y < -700.0 ? -700.0 : y;
  const Real n = std::floor(y * 1.4426950408889634 + 0.5);
  const Real r = (y - n * 0.6931471803691238) - n * 1.9082149292705877e-10;   // ln 2 in two parts
  Real p = 1.0 / 479001600.0;
  const Real inverse_factorial[] = {1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0,
                                    1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 0.5, 1.0, 1.0};
  for (Real c : inverse_factorial) p = p * r + c;
  const int64_t bits = (int64_t(n) + 1023) << 52;
  Real scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

// GELU, tanh approximation (torch's approximate="tanh"), in place:
// tanh(u) = sign(u) (1 - e) / (1 + e) with e = exp(-2 |u|).
SATMIP_INLINE void gelu(Real* x, size_t n) {
  const Real c = 0.7978845608028654;  // sqrt(2 / pi)
  for (size_t i = 0; i < n; i++) {
    const Real v = x[i];
    const Real u = c * (v + 0.044715 * v * v * v);
    const Real e = exp_nonpositive(-2.0 * std::fabs(u));
    const Real t = std::copysign((1.0 - e) / (1.0 + e), u);
    x[i] = 0.5 * v * (1.0 + t);
  }
}

// Every row of out (rows x k) set to v[0..k).
SATMIP_INLINE void fill_rows(Rows& out, size_t rows, const Real* v, int k) {
  out.resize(rows * size_t(k));
  for (size_t r = 0; r < rows; r++) std::copy(v, v + k, out.begin() + std::ptrdiff_t(r * size_t(k)));
}

// torch's LayerNorm over each row (biased variance).
SATMIP_INLINE void layer_norm(const Rows& x, size_t rows, int h, const Real* weight, const Real* bias, Real eps,
                              Rows& out) {
  out.resize(rows * size_t(h));
  for (size_t r = 0; r < rows; r++) {
    const Real* xr = x.data() + r * size_t(h);
    Real* o = out.data() + r * size_t(h);
    Real mean = 0;
    for (int j = 0; j < h; j++) mean += xr[j];
    mean /= h;
    Real var = 0;
    for (int j = 0; j < h; j++) var += (xr[j] - mean) * (xr[j] - mean);
    var /= h;
    const Real scale = 1.0 / std::sqrt(var + eps);
    for (int j = 0; j < h; j++) o[j] = (xr[j] - mean) * scale * weight[j] + bias[j];
  }
}

Rows widen(const float* p, size_t n) { return Rows(p, p + n); }

// The weights in double, one array each as PhaseWeights names them.
struct Weights {
  int hidden, variable_features, clause_features;
  Real eps;
  Rows embed, in_variable, in_clause, head_norm_weight, head_norm_bias, head_w1, head_b1, head_w2, head_b2;
  struct Layer {
    Rows norm_weight, norm_bias, w_self, w_rel, bias, w_out, b_out;
  };
  std::vector<Layer> layers;

  explicit Weights(const PhaseWeights& w)
      : hidden(w.hidden), variable_features(w.variable_features), clause_features(w.clause_features), eps(w.eps) {
    const size_t h = size_t(w.hidden), hh = h * h;
    embed = widen(w.embed, 3 * h);
    in_variable = widen(w.in_variable, size_t(w.variable_features) * h);
    in_clause = widen(w.in_clause, size_t(w.clause_features) * h);
    for (const PhaseLayerWeights& l : w.layers)
      layers.push_back({widen(l.norm_weight, h), widen(l.norm_bias, h), widen(l.w_self, hh),
                        widen(l.w_rel, size_t(kRelations) * hh), widen(l.bias, h), widen(l.w_out, hh),
                        widen(l.b_out, h)});
    head_norm_weight = widen(w.head_norm_weight, h);
    head_norm_bias = widen(w.head_norm_bias, h);
    head_w1 = widen(w.head_w1, hh);
    head_b1 = widen(w.head_b1, h);
    head_w2 = widen(w.head_w2, h);
    head_b2 = widen(w.head_b2, 1);
  }
};

void check_index(int64_t i, int64_t n, const char* what, size_t at) {
  if (i < 0 || i >= n)
    throw std::invalid_argument(std::string("phase_logits: ") + what + "[" + std::to_string(at) + "] = " +
                                std::to_string(i) + " is outside [0, " + std::to_string(n) + ")");
}

// Each clause's edges, grouped by clause: begin[c]..begin[c + 1] index var_of / negative.
struct ClauseEdges {
  std::vector<size_t> begin;
  std::vector<int64_t> var_of;
  std::vector<uint8_t> negative;
};

ClauseEdges clause_edges(const PhaseGraph& g) {
  ClauseEdges e;
  e.begin.assign(size_t(g.nclauses) + 1, 0);
  for (size_t i = 0; i < g.nedges; i++) {
    check_index(g.edge_var[i], g.nvars, "edge_var", i);
    check_index(g.edge_clause[i], g.nclauses, "edge_clause", i);
    e.begin[size_t(g.edge_clause[i]) + 1]++;
  }
  for (size_t c = 0; c < size_t(g.nclauses); c++) e.begin[c + 1] += e.begin[c];
  std::vector<size_t> next(e.begin.begin(), e.begin.end() - 1);
  e.var_of.resize(g.nedges);
  e.negative.resize(g.nedges);
  for (size_t i = 0; i < g.nedges; i++) {
    size_t at = next[size_t(g.edge_clause[i])]++;
    e.var_of[at] = g.edge_var[i];
    e.negative[at] = g.edge_sign[i] > 0 ? 0 : 1;
  }
  return e;
}

// The forward on checked input (phase_logits).
SATMIP_VECTOR_CLONES
std::vector<float> forward(const PhaseGraph& g, const ClauseEdges& edges, const std::vector<Real>& meta_count,
                           const Rows& variable_features, const Rows& clause_features, const Weights& w) {
  const int H = w.hidden;
  const size_t h = size_t(H), hh = h * h;
  const size_t nodes[3] = {size_t(g.nvars), size_t(g.nclauses), size_t(g.nmeta)};
  enum { V, C, M };

  // Embedding of the node type plus the projected input features.
  Rows state[3];
  for (int t = 0; t < 3; t++) fill_rows(state[t], nodes[t], w.embed.data() + size_t(t) * h, H);
  add_products(variable_features.data(), nodes[V], w.variable_features, w.in_variable.data(), H, state[V].data(), h);
  add_products(clause_features.data(), nodes[C], w.clause_features, w.in_clause.data(), H, state[C].data(), h);

  Rows x[3], z[3], from_var, from_meta, meta_sum, block;
  const size_t kBlock = 256;
  for (const Weights::Layer& layer : w.layers) {
    for (int t = 0; t < 3; t++) {
      layer_norm(state[t], nodes[t], H, layer.norm_weight.data(), layer.norm_bias.data(), w.eps, x[t]);
      fill_rows(z[t], nodes[t], layer.bias.data(), H);
      add_products(x[t].data(), nodes[t], H, layer.w_self.data(), H, z[t].data(), h);
    }
    const Real* rel = layer.w_rel.data();
    // Variables' messages, positive and negative side by side: [nvars, 2H].
    from_var.assign(nodes[V] * 2 * h, 0.0);
    add_products(x[V].data(), nodes[V], H, rel + kVarClausePos * hh, H, from_var.data(), 2 * h);
    add_products(x[V].data(), nodes[V], H, rel + kVarClauseNeg * hh, H, from_var.data() + h, 2 * h);
    from_meta.assign(nodes[M] * h, 0.0);
    add_products(x[M].data(), nodes[M], H, rel + kMetaClause * hh, H, from_meta.data(), h);
    meta_sum.assign(nodes[M] * h, 0.0);
    for (size_t first = 0; first < nodes[C]; first += kBlock) {
      const size_t rows = std::min(kBlock, nodes[C] - first);
      // Clauses' messages: to positive and negative variables and to their meta node.
      block.assign(rows * 3 * h, 0.0);
      const Real* xc = x[C].data() + first * h;
      add_products(xc, rows, H, rel + kClauseVarPos * hh, H, block.data(), 3 * h);
      add_products(xc, rows, H, rel + kClauseVarNeg * hh, H, block.data() + h, 3 * h);
      add_products(xc, rows, H, rel + kClauseMeta * hh, H, block.data() + 2 * h, 3 * h);
      for (size_t r = 0; r < rows; r++) {
        const size_t c = first + r;
        Real* zc = z[C].data() + c * h;
        const Real* message = block.data() + r * 3 * h;
        for (size_t e = edges.begin[c]; e < edges.begin[c + 1]; e++) {
          const size_t v = size_t(edges.var_of[e]), side = edges.negative[e];
          const Real* in = from_var.data() + v * 2 * h + side * h;
          for (size_t j = 0; j < h; j++) zc[j] += in[j];
          Real* zv = z[V].data() + v * h;
          const Real* out = message + side * h;
          for (size_t j = 0; j < h; j++) zv[j] += out[j];
        }
        if (g.nmeta > 0) {
          const size_t m = size_t(g.clause_meta[c]);
          const Real* in = from_meta.data() + m * h;
          for (size_t j = 0; j < h; j++) zc[j] += in[j];
          Real* sum = meta_sum.data() + m * h;
          for (size_t j = 0; j < h; j++) sum[j] += message[2 * h + j];
        }
      }
    }
    for (size_t m = 0; m < nodes[M]; m++) {
      const Real count = std::max(meta_count[m], Real(1));
      for (size_t j = 0; j < h; j++) z[M][m * h + j] += meta_sum[m * h + j] / count;
    }
    for (int t = 0; t < 3; t++) {
      gelu(z[t].data(), z[t].size());
      for (size_t r = 0; r < nodes[t]; r++)
        for (size_t j = 0; j < h; j++) state[t][r * h + j] += layer.b_out[j];
      add_products(z[t].data(), nodes[t], H, layer.w_out.data(), H, state[t].data(), h);
    }
  }

  // Head: LayerNorm, a GELU layer, one logit per variable.
  Rows head, hidden;
  layer_norm(state[V], nodes[V], H, w.head_norm_weight.data(), w.head_norm_bias.data(), w.eps, head);
  fill_rows(hidden, nodes[V], w.head_b1.data(), H);
  add_products(head.data(), nodes[V], H, w.head_w1.data(), H, hidden.data(), h);
  gelu(hidden.data(), hidden.size());
  Rows logits(nodes[V], w.head_b2[0]);
  add_products(hidden.data(), nodes[V], H, w.head_w2.data(), 1, logits.data(), 1);
  return std::vector<float>(logits.begin(), logits.end());
}

}  // namespace

std::vector<float> phase_logits(const PhaseGraph& g, const float* variable_features,
                                const float* clause_features, const PhaseWeights& w) {
  if (w.hidden <= 0) throw std::invalid_argument("phase_logits: hidden size must be positive");
  if (g.nvars < 0 || g.nclauses < 0 || g.nmeta < 0) throw std::invalid_argument("phase_logits: negative node count");
  ClauseEdges edges = clause_edges(g);
  std::vector<Real> meta_count(size_t(g.nmeta), 0.0);
  if (g.nmeta > 0)
    for (size_t c = 0; c < size_t(g.nclauses); c++) {
      check_index(g.clause_meta[c], g.nmeta, "clause_meta", c);
      meta_count[size_t(g.clause_meta[c])] += 1;
    }
  return forward(g, edges, meta_count, widen(variable_features, size_t(g.nvars) * size_t(w.variable_features)),
                 widen(clause_features, size_t(g.nclauses) * size_t(w.clause_features)), Weights(w));
}

}  // namespace satmip::learn
