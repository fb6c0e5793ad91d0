// The branching GCNN's forward pass in plain C++ (see branch_forward.hpp). Each
// Linear layer runs over a block of nodes with the weights transposed, so the
// inner loop walks one contiguous output row (vectorised); inputs that are zero
// (half of them after a ReLU) are skipped.
#include "learn/branch_forward.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "learn/vector_clones.hpp"

namespace satmip::learn {
namespace {

// y[r] = x[r] W^T + b for rows r < rows (x's row stride x_stride, y's L.out), ReLU'd if asked.
// Inputs that are zero are skipped: after a ReLU about half are, and many of the
// state's features are 0/1 flags. (Register blocking, 4 rows by 8 outputs, measured
// 1.7-2.9 times slower than this on the easy instances' states: it loses the skips.)
SATMIP_INLINE void linear(const BranchLinear& L, const double* __restrict x, std::size_t x_stride, std::size_t rows,
                          double* __restrict y, bool relu) {
  const int in = L.in, out = L.out;
  const double* __restrict w = L.weight_t.data();
  const double* __restrict b = L.bias.empty() ? nullptr : L.bias.data();
  for (std::size_t r = 0; r < rows; ++r) {
    const double* xr = x + r * x_stride;
    double* yr = y + r * std::size_t(out);
    if (b) std::copy(b, b + out, yr);
    else std::fill(yr, yr + out, 0.0);
    for (int k = 0; k < in; ++k) {
      const double xk = xr[k];
      if (xk == 0) continue;
      const double* wk = w + std::size_t(k) * std::size_t(out);
      for (int o = 0; o < out; ++o) yr[o] += xk * wk[o];
    }
    if (relu)
      for (int o = 0; o < out; ++o) yr[o] = yr[o] > 0 ? yr[o] : 0.0;
  }
}

// The sum of x[0..n) in kLanes interleaved partial sums: a loop the compiler
// vectorises (one running sum is a chain of dependent additions it may not reorder).
constexpr int kLanes = 8;

SATMIP_INLINE double lane_sum(const double* __restrict x, int n) {
  double part[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int l = 0; l < kLanes; ++l) part[l] += x[i + l];
  double sum = 0;
  for (; i < n; ++i) sum += x[i];
  for (int l = 0; l < kLanes; ++l) sum += part[l];
  return sum;
}

SATMIP_INLINE double lane_squared_distance(const double* __restrict x, int n, double mean) {
  double part[kLanes] = {};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int l = 0; l < kLanes; ++l) part[l] += (x[i + l] - mean) * (x[i + l] - mean);
  double sum = 0;
  for (; i < n; ++i) sum += (x[i] - mean) * (x[i] - mean);
  for (int l = 0; l < kLanes; ++l) sum += part[l];
  return sum;
}

// torch.nn.LayerNorm over one vector of n, in place (biased variance, eps inside the root).
SATMIP_INLINE void layer_norm(double* __restrict x, int n, const BranchLayerNorm& norm, double eps) {
  const double mean = lane_sum(x, n) / n;
  const double inverse = 1.0 / std::sqrt(lane_squared_distance(x, n, mean) / n + eps);
  const double* __restrict w = norm.weight.data();
  const double* __restrict b = norm.bias.data();
  for (int i = 0; i < n; ++i) x[i] = (x[i] - mean) * inverse * w[i] + b[i];
}

// A half-convolution's last steps for `targets` receiving nodes: agg = message(sum)
// with message's bias once per edge (degree times), then out(concat(post_norm(agg), h))
// with `last` in place of out.2 (out.2 fused with the layer that follows it).
// sum holds the summed edge activations; h the receivers' old embeddings (stride emb).
SATMIP_INLINE void finish_conv(const BranchConv& conv, const BranchLinear& last, double eps, std::size_t targets,
                               int emb, const std::vector<double>& sum, const std::vector<double>& degree,
                               const double* h, BranchScratch& s, double* out, bool relu) {
  const std::size_t e = std::size_t(emb);
  s.agg.resize(targets * e);
  linear(conv.message, sum.data(), e, targets, s.agg.data(), false);
  s.cat.resize(targets * 2 * e);
  for (std::size_t t = 0; t < targets; ++t) {
    double* c = &s.cat[t * 2 * e];
    const double* a = &s.agg[t * e];
    for (int o = 0; o < emb; ++o) c[o] = a[o] + (degree[t] - 1.0) * conv.message.bias[std::size_t(o)];
    layer_norm(c, emb, conv.post_norm, eps);
    std::copy(h + t * e, h + (t + 1) * e, c + e);
  }
  s.hidden.resize(targets * e);
  linear(conv.out0, s.cat.data(), 2 * e, targets, s.hidden.data(), true);
  linear(last, s.hidden.data(), e, targets, out, relu);
}

// One edge's activation relu(message_norm(target + edge(e) + source)) added into sum.
SATMIP_INLINE void add_edge(const BranchConv& conv, double eps, int emb, const double* target, const double* source,
                            const double* edge_feature, int edge_features, double* __restrict pre,
                            double* __restrict sum) {
  for (int o = 0; o < emb; ++o) pre[o] = target[o] + source[o];
  for (int f = 0; f < edge_features; ++f) {
    const double v = edge_feature[f];
    const double* w = &conv.edge.weight_t[std::size_t(f) * std::size_t(emb)];
    for (int o = 0; o < emb; ++o) pre[o] += v * w[o];
  }
  // layer_norm and the ReLU'd sum in one pass.
  const double mean = lane_sum(pre, emb) / emb;
  const double inverse = 1.0 / std::sqrt(lane_squared_distance(pre, emb, mean) / emb + eps);
  const double* __restrict w = conv.message_norm.weight.data();
  const double* __restrict b = conv.message_norm.bias.data();
  for (int o = 0; o < emb; ++o) {
    const double y = (pre[o] - mean) * inverse * w[o] + b[o];
    sum[o] += y > 0 ? y : 0.0;
  }
}

// The embeddings (Linear, ReLU, Linear, ReLU of the normalised features) of the
// listed entities, in list order.
SATMIP_INLINE void embed_listed(const BranchLinear& first, const BranchLinear& second, const double* features,
                                int width, const std::vector<double>& shift, const std::vector<double>& scale,
                                const std::vector<int32_t>& list, BranchScratch& s, std::vector<double>& out) {
  s.input.resize(list.size() * std::size_t(width));
  for (std::size_t p = 0; p < list.size(); ++p)
    for (int f = 0; f < width; ++f)
      s.input[p * std::size_t(width) + std::size_t(f)] =
          (features[std::size_t(list[p]) * std::size_t(width) + std::size_t(f)] - shift[std::size_t(f)]) *
          scale[std::size_t(f)];
  s.hidden.resize(list.size() * std::size_t(first.out));
  out.resize(list.size() * std::size_t(second.out));
  linear(first, s.input.data(), std::size_t(width), list.size(), s.hidden.data(), true);
  linear(second, s.hidden.data(), std::size_t(first.out), list.size(), out.data(), true);
}

// Only what reaches the asked columns is computed: their rows (the second
// half-convolution's sources) and those rows' columns (the first's).
SATMIP_VECTOR_CLONES
void forward(const BranchModel& model, const BranchGraph& g, const int32_t* columns, std::size_t count,
             BranchScratch& s, std::vector<double>& out) {
  const int emb = model.emb, fe = model.edge_features;
  const std::size_t e = std::size_t(emb), m = std::size_t(g.rows), n = std::size_t(g.cols);
  std::vector<double> pre(e);
  auto edge_feature = [&](int64_t k, double* x) {
    for (int f = 0; f < fe; ++f)
      x[f] = (g.edge_values[std::size_t(k) * std::size_t(fe) + std::size_t(f)] - model.edge_shift[std::size_t(f)]) *
             model.edge_scale[std::size_t(f)];
  };
  std::vector<double> edge_x(static_cast<std::size_t>(fe));

  // The asked columns (targets, each once; slot: its place), their rows, those rows' columns.
  s.slot.assign(n, -1);
  s.targets.clear();
  const std::size_t asked = columns ? count : n;
  for (std::size_t c = 0; c < asked; ++c) {
    const int32_t j = columns ? columns[c] : int32_t(c);
    if (s.slot[std::size_t(j)] < 0) {
      s.slot[std::size_t(j)] = int32_t(s.targets.size());
      s.targets.push_back(j);
    }
  }
  s.row_pos.assign(m, -1);
  s.rows.clear();
  for (std::size_t i = 0; i < m; ++i)
    for (int64_t k = g.edge_row_ptr[i]; k < g.edge_row_ptr[i + 1]; ++k)
      if (s.slot[std::size_t(g.edge_col[k])] >= 0) {
        s.row_pos[i] = int32_t(s.rows.size());
        s.rows.push_back(int32_t(i));
        break;
      }
  s.col_pos.assign(n, -1);
  s.cols.clear();
  for (int32_t j : s.targets) s.col_pos[std::size_t(j)] = 0;
  for (int32_t i : s.rows)
    for (int64_t k = g.edge_row_ptr[i]; k < g.edge_row_ptr[i + 1]; ++k) s.col_pos[std::size_t(g.edge_col[k])] = 0;
  for (std::size_t j = 0; j < n; ++j)
    if (s.col_pos[j] == 0) {
      s.col_pos[j] = int32_t(s.cols.size());
      s.cols.push_back(int32_t(j));
    } else {
      s.col_pos[j] = -1;
    }
  const std::size_t mr = s.rows.size(), nc = s.cols.size(), t_count = s.targets.size();

  embed_listed(model.row_embed0, model.row_embed2, g.row_features, model.row_features, model.row_shift,
               model.row_scale, s.rows, s, s.row_h);
  embed_listed(model.col_embed0, model.col_embed2, g.col_features, model.col_features, model.col_shift,
               model.col_scale, s.cols, s, s.col_h);

  // Columns to rows, for the listed rows.
  const BranchConv& c1 = model.col_to_row;
  s.target.resize(mr * e);
  s.source.resize(nc * e);
  linear(c1.target, s.row_h.data(), e, mr, s.target.data(), false);
  linear(c1.source, s.col_h.data(), e, nc, s.source.data(), false);
  s.sum.assign(mr * e, 0.0);
  s.degree.resize(mr);
  for (std::size_t p = 0; p < mr; ++p) {
    const int32_t i = s.rows[p];
    for (int64_t k = g.edge_row_ptr[i]; k < g.edge_row_ptr[i + 1]; ++k) {
      edge_feature(k, edge_x.data());
      add_edge(c1, model.eps, emb, &s.target[p * e], &s.source[std::size_t(s.col_pos[std::size_t(g.edge_col[k])]) * e],
               edge_x.data(), fe, pre.data(), &s.sum[p * e]);
    }
    s.degree[p] = double(g.edge_row_ptr[i + 1] - g.edge_row_ptr[i]);
  }
  // The rows' new embeddings serve only as the second half-convolution's
  // sources: out.2 and its `source` are one Linear (row_source_fused).
  std::vector<double>& row_source = s.new_row_h;
  row_source.resize(mr * e);
  finish_conv(c1, model.row_source_fused, model.eps, mr, emb, s.sum, s.degree, s.row_h.data(), s, row_source.data(),
              false);

  // Rows to columns, for the targets.
  std::vector<double>& target_h = s.input;   // the targets' embeddings, contiguous
  target_h.resize(t_count * e);
  for (std::size_t t = 0; t < t_count; ++t)
    std::copy_n(&s.col_h[std::size_t(s.col_pos[std::size_t(s.targets[t])]) * e], e, &target_h[t * e]);
  const BranchConv& c2 = model.row_to_col;
  s.target.resize(t_count * e);
  linear(c2.target, target_h.data(), e, t_count, s.target.data(), false);
  s.sum.assign(t_count * e, 0.0);
  s.degree.assign(t_count, 0.0);
  for (std::size_t p = 0; p < mr; ++p) {
    const int32_t i = s.rows[p];
    for (int64_t k = g.edge_row_ptr[i]; k < g.edge_row_ptr[i + 1]; ++k) {
      const int32_t t = s.slot[std::size_t(g.edge_col[k])];
      if (t < 0) continue;
      edge_feature(k, edge_x.data());
      add_edge(c2, model.eps, emb, &s.target[std::size_t(t) * e], &row_source[p * e], edge_x.data(), fe, pre.data(),
               &s.sum[std::size_t(t) * e]);
      s.degree[std::size_t(t)] += 1.0;
    }
  }
  // The columns' final embeddings go only to the head: out.2 and head.0 are one
  // Linear (head0_fused), then ReLU and head.2: one logit per target.
  std::vector<double> head_hidden(t_count * e);
  finish_conv(c2, model.head0_fused, model.eps, t_count, emb, s.sum, s.degree, target_h.data(), s,
              head_hidden.data(), true);
  std::vector<double> logit(t_count);
  for (std::size_t t = 0; t < t_count; ++t) {
    double v = 0;
    for (int o = 0; o < emb; ++o) v += head_hidden[t * e + std::size_t(o)] * model.head2[std::size_t(o)];
    logit[t] = v;
  }
  out.resize(asked);
  for (std::size_t c = 0; c < asked; ++c)
    out[c] = logit[std::size_t(s.slot[std::size_t(columns ? columns[c] : int32_t(c))])];
}

// Named arrays into the forward's layout.
class Reader {
 public:
  Reader(const std::map<std::string, BranchTensor>& arrays) : arrays_(arrays) {}

  const BranchTensor& get(const std::string& key, std::vector<int64_t> shape) const {
    auto it = arrays_.find(key);
    if (it == arrays_.end()) throw std::invalid_argument("branching model: no array '" + key + "'");
    if (it->second.shape != shape) throw std::invalid_argument("branching model: array '" + key + "' has shape " +
                                                               text(it->second.shape) + ", expected " + text(shape));
    const int64_t size = count(shape);
    for (int64_t k = 0; k < size; ++k)
      if (!std::isfinite(it->second.data[k]))
        throw std::invalid_argument("branching model: array '" + key + "' has a value that is not finite");
    return it->second;
  }
  std::vector<double> vector(const std::string& key, int64_t size) const {
    const BranchTensor& t = get(key, {size});
    return std::vector<double>(t.data, t.data + size);
  }
  // features of a 1-d buffer whose size the file decides (the normalisation's).
  int64_t length(const std::string& key) const {
    auto it = arrays_.find(key);
    if (it == arrays_.end()) throw std::invalid_argument("branching model: no array '" + key + "'");
    if (it->second.shape.size() != 1 || it->second.shape[0] < 1)
      throw std::invalid_argument("branching model: array '" + key + "' has shape " + text(it->second.shape) +
                                  ", expected one dimension of at least 1");
    return it->second.shape[0];
  }
  BranchLinear linear(const std::string& prefix, int64_t in, int64_t out, bool bias) const {
    const BranchTensor& w = get(prefix + ".weight", {out, in});
    BranchLinear L;
    L.in = int(in);
    L.out = int(out);
    L.weight_t.resize(std::size_t(in * out));
    for (int64_t o = 0; o < out; ++o)
      for (int64_t k = 0; k < in; ++k) L.weight_t[std::size_t(k * out + o)] = w.data[o * in + k];
    if (bias) L.bias = vector(prefix + ".bias", out);
    return L;
  }
  BranchLayerNorm layer_norm(const std::string& prefix, int64_t size) const {
    return {vector(prefix + ".weight", size), vector(prefix + ".bias", size)};
  }
  BranchConv conv(const std::string& prefix, int64_t emb, int64_t edge_features) const {
    BranchConv c;
    c.target = linear(prefix + ".target", emb, emb, true);
    c.edge = linear(prefix + ".edge", edge_features, emb, false);
    c.source = linear(prefix + ".source", emb, emb, false);
    c.message_norm = layer_norm(prefix + ".message_norm", emb);
    c.message = linear(prefix + ".message", emb, emb, true);
    c.post_norm = layer_norm(prefix + ".post_norm", emb);
    c.out0 = linear(prefix + ".out.0", 2 * emb, emb, true);
    c.out2 = linear(prefix + ".out.2", emb, emb, true);
    return c;
  }

 private:
  static int64_t count(const std::vector<int64_t>& shape) {
    int64_t c = 1;
    for (int64_t d : shape) c *= d;
    return c;
  }
  static std::string text(const std::vector<int64_t>& shape) {
    std::string s = "(";
    for (std::size_t k = 0; k < shape.size(); ++k) s += (k ? ", " : "") + std::to_string(shape[k]);
    return s + (shape.size() == 1 ? ",)" : ")");
  }
  const std::map<std::string, BranchTensor>& arrays_;
};

}  // namespace

namespace {

// outer(inner(x)) as one Linear: weight outer.W inner.W, bias outer.W inner.b + outer.b.
BranchLinear compose(const BranchLinear& outer, const BranchLinear& inner) {
  BranchLinear c;
  c.in = inner.in;
  c.out = outer.out;
  c.weight_t.assign(std::size_t(c.in) * std::size_t(c.out), 0.0);
  c.bias.assign(std::size_t(c.out), 0.0);
  for (int o = 0; o < outer.out; ++o) {
    for (int m = 0; m < outer.in; ++m) {
      const double a = outer.weight_t[std::size_t(m) * std::size_t(outer.out) + std::size_t(o)];
      for (int k = 0; k < inner.in; ++k)
        c.weight_t[std::size_t(k) * std::size_t(c.out) + std::size_t(o)] +=
            a * inner.weight_t[std::size_t(k) * std::size_t(inner.out) + std::size_t(m)];
      if (!inner.bias.empty()) c.bias[std::size_t(o)] += a * inner.bias[std::size_t(m)];
    }
    if (!outer.bias.empty()) c.bias[std::size_t(o)] += outer.bias[std::size_t(o)];
  }
  return c;
}

}  // namespace

BranchModel branch_model_from_arrays(const std::map<std::string, BranchTensor>& arrays, int emb) {
  if (emb < 1) throw std::invalid_argument("branching model: emb must be >= 1, got " + std::to_string(emb));
  const Reader r(arrays);
  BranchModel m;
  m.emb = emb;
  m.row_features = int(r.length("row_norm.shift"));
  m.edge_features = int(r.length("edge_norm.shift"));
  m.col_features = int(r.length("col_norm.shift"));
  m.row_shift = r.vector("row_norm.shift", m.row_features);
  m.row_scale = r.vector("row_norm.scale", m.row_features);
  m.edge_shift = r.vector("edge_norm.shift", m.edge_features);
  m.edge_scale = r.vector("edge_norm.scale", m.edge_features);
  m.col_shift = r.vector("col_norm.shift", m.col_features);
  m.col_scale = r.vector("col_norm.scale", m.col_features);
  m.row_embed0 = r.linear("row_embed.0", m.row_features, emb, true);
  m.row_embed2 = r.linear("row_embed.2", emb, emb, true);
  m.col_embed0 = r.linear("col_embed.0", m.col_features, emb, true);
  m.col_embed2 = r.linear("col_embed.2", emb, emb, true);
  m.col_to_row = r.conv("conv_col_to_row", emb, m.edge_features);
  m.row_to_col = r.conv("conv_row_to_col", emb, m.edge_features);
  m.head0 = r.linear("head.0", emb, emb, true);
  m.head2 = r.linear("head.2", emb, 1, false).weight_t;
  m.row_source_fused = compose(m.row_to_col.source, m.col_to_row.out2);
  m.head0_fused = compose(m.head0, m.row_to_col.out2);
  return m;
}

void branch_logits(const BranchModel& model, const BranchGraph& graph, const int32_t* columns, std::size_t count,
                   BranchScratch& scratch, std::vector<double>& out) {
  if (model.emb < 1) throw std::invalid_argument("branch_logits: no model");
  if (graph.rows < 0 || graph.cols < 0 || graph.edge_row_ptr[0] != 0)
    throw std::invalid_argument("branch_logits: the edges' row pointers must start at 0");
  for (int32_t i = 0; i < graph.rows; ++i)
    if (graph.edge_row_ptr[i + 1] < graph.edge_row_ptr[i])
      throw std::invalid_argument("branch_logits: the edges' row pointers must not decrease");
  for (int64_t k = 0; k < graph.edge_row_ptr[graph.rows]; ++k)
    if (graph.edge_col[k] < 0 || graph.edge_col[k] >= graph.cols)
      throw std::invalid_argument("branch_logits: edge " + std::to_string(k) + " has column " +
                                  std::to_string(graph.edge_col[k]) + ", outside [0, " + std::to_string(graph.cols) + ")");
  if (columns)
    for (std::size_t c = 0; c < count; ++c)
      if (columns[c] < 0 || columns[c] >= graph.cols)
        throw std::invalid_argument("branch_logits: column " + std::to_string(columns[c]) + " outside [0, " +
                                    std::to_string(graph.cols) + ")");
  forward(model, graph, columns, count, scratch, out);
}

}  // namespace satmip::learn
