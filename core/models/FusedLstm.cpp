#include "core/models/FusedLstm.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/custom_function.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

// The element-wise kernels below are compiled twice, for AVX2+FMA and for the baseline, and
// the loader picks the one the CPU runs (GCC's function multi-versioning). Not under
// ThreadSanitizer: the loader runs the instrumented chooser before TSan's runtime is up, and the
// program dies before main.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define CVAE_VECTOR_KERNEL __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CVAE_VECTOR_KERNEL
#endif

namespace cvae {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// e^x, written so that GCC vectorizes it: x log2(e) splits into an integer i (rounded with the
// 1.5 * 2^23 trick) and f in [-0.5, 0.5]; 2^f is a degree-6 polynomial and 2^i goes straight
// into the exponent bits. Arguments are clamped to where e^x is a normal float; NaN stays NaN.
// Measured against double precision: relative error below 4e-6 over the whole range (float
// rounding of x log2(e) at large |x|); the sigmoid and tanh built on it are within 2e-7.
inline float fastExp(float x) {
  x = x < -87.0f ? -87.0f : x;  // blends once vectorized (needs -fno-trapping-math, see CMake)
  x = x > 88.0f ? 88.0f : x;
  const float t = x * 1.44269504f;
  const float shifted = t + 12582912.0f;
  const float whole = shifted - 12582912.0f;
  int32_t i;
  std::memcpy(&i, &shifted, sizeof i);
  i -= 0x4B400000;
  const float f = t - whole;
  const float p =
      1.0f + f * (0.693147181f +
                  f * (0.240226507f +
                       f * (0.0555041087f +
                            f * (0.00961812911f + f * (0.00133335581f + f * 0.000154035304f)))));
  const int32_t exponent = (i + 127) << 23;
  float scale;
  std::memcpy(&scale, &exponent, sizeof scale);
  return p * scale;
}

inline float fastSigmoid(float x) {
  return 1.0f / (1.0f + fastExp(-x));
}
inline float fastTanh(float x) {
  return 2.0f * fastSigmoid(2.0f * x) - 1.0f;
}

// One forward step for `rows` rows, in one pass: the gates' activations (written back over
// their pre-activations, for the backward pass), the new cell state, its tanh and the new
// hidden state. ATen's sigmoid and tanh, called per step, cost about a third of a step's
// matrix product; this costs a fraction of that.
CVAE_VECTOR_KERNEL void cellStep(int64_t rows, int64_t width, float* __restrict__ gates,
                                 const float* __restrict__ c_prev, float* __restrict__ c_next,
                                 float* __restrict__ cell_tanh, float* __restrict__ h_next) {
  for (int64_t r = 0; r < rows; ++r) {
    float* g = gates + r * 4 * width;
    const float* cp = c_prev + r * width;
    float* cn = c_next + r * width;
    float* tc = cell_tanh + r * width;
    float* h = h_next + r * width;
    for (int64_t j = 0; j < width; ++j) {
      const float i = fastSigmoid(g[j]), f = fastSigmoid(g[width + j]),
                  cell_gate = fastTanh(g[2 * width + j]), o = fastSigmoid(g[3 * width + j]);
      g[j] = i;
      g[width + j] = f;
      g[2 * width + j] = cell_gate;
      g[3 * width + j] = o;
      const float c = f * cp[j] + i * cell_gate;
      const float t = fastTanh(c);
      cn[j] = c;
      tc[j] = t;
      h[j] = o * t;
    }
  }
}

// One backward step for `rows` rows: from dh (including this step's output gradient) and dc,
// the gradients of the four gates' pre-activations; dc becomes the previous cell's gradient.
CVAE_VECTOR_KERNEL void gateGradients(int64_t rows, int64_t width, const float* __restrict__ gates,
                                      const float* __restrict__ cell_tanh,
                                      const float* __restrict__ c_prev,
                                      const float* __restrict__ dh, float* __restrict__ dc,
                                      float* __restrict__ dgates) {
  for (int64_t r = 0; r < rows; ++r) {
    const float* g = gates + r * 4 * width;
    const float* tc = cell_tanh + r * width;
    const float* cp = c_prev + r * width;
    const float* dhr = dh + r * width;
    float* dcr = dc + r * width;
    float* dg = dgates + r * 4 * width;
    for (int64_t j = 0; j < width; ++j) {
      const float i = g[j], f = g[width + j], cell_gate = g[2 * width + j], o = g[3 * width + j];
      const float dcell = dcr[j] + dhr[j] * o * (1.0f - tc[j] * tc[j]);
      dg[j] = dcell * cell_gate * i * (1.0f - i);
      dg[width + j] = dcell * cp[j] * f * (1.0f - f);
      dg[2 * width + j] = dcell * i * (1.0f - cell_gate * cell_gate);
      dg[3 * width + j] = dhr[j] * tc[j] * o * (1.0f - o);
      dcr[j] = dcell * f;
    }
  }
}

CVAE_VECTOR_KERNEL void addInPlace(int64_t count, float* __restrict__ into,
                                   const float* __restrict__ from) {
  for (int64_t k = 0; k < count; ++k) into[k] += from[k];
}

// gates[k] = keep[k] * table[ids[k]] + row_bias[k % batch] for every (step, row) k. `keep`
// may be null.
CVAE_VECTOR_KERNEL void gatherGates(int64_t count, int64_t batch, int64_t width,
                                    const float* __restrict__ table,
                                    const int64_t* __restrict__ ids,
                                    const float* __restrict__ row_bias,
                                    const float* __restrict__ keep, float* __restrict__ gates) {
  const int64_t row = 4 * width;
  for (int64_t k = 0; k < count; ++k) {
    const float* src = table + ids[k] * row;
    const float* bias = row_bias + (k % batch) * row;
    const float scale = keep ? keep[k] : 1.0f;
    float* out = gates + k * row;
    for (int64_t j = 0; j < row; ++j) out[j] = scale * src[j] + bias[j];
  }
}

// The reverse of gatherGates: the gates' gradients summed into the table rows they came from
// and into their batch row's bias.
CVAE_VECTOR_KERNEL void scatterGateGradients(int64_t count, int64_t batch, int64_t width,
                                             const float* __restrict__ dgates,
                                             const int64_t* __restrict__ ids,
                                             const float* __restrict__ keep,
                                             float* __restrict__ table_grad,
                                             float* __restrict__ row_bias_grad) {
  const int64_t row = 4 * width;
  for (int64_t k = 0; k < count; ++k) {
    const float* g = dgates + k * row;
    float* to_table = table_grad + ids[k] * row;
    float* to_bias = row_bias_grad + (k % batch) * row;
    const float scale = keep ? keep[k] : 1.0f;
    for (int64_t j = 0; j < row; ++j) {
      to_table[j] += scale * g[j];
      to_bias[j] += g[j];
    }
  }
}

// The keep mask's data, or null when it is the empty "all ones" tensor.
const float* keepData(const at::Tensor& keep) {
  return keep.numel() > 0 ? keep.data_ptr<float>() : nullptr;
}

// running[t]: how many rows (a prefix, as lengths are non-increasing) take step t.
std::vector<int64_t> runningRows(const at::Tensor& lengths, int64_t steps, int64_t batch) {
  std::vector<int64_t> running(steps, batch);
  if (lengths.numel() == 0) return running;
  const int64_t* length = lengths.data_ptr<int64_t>();
  for (int64_t b = 1; b < batch; ++b)
    if (length[b] > length[b - 1])
      throw std::invalid_argument("fusedLstm: lengths must be in non-increasing order");
  for (int64_t t = 0; t < steps; ++t) {
    int64_t n = 0;
    while (n < batch && length[n] > t) ++n;
    running[t] = n;
  }
  return running;
}

// Everything the forward pass leaves behind for the backward pass.
struct ForwardTrace {
  at::Tensor hidden;     // [time + 1, batch, hidden]: h0, then the state after each step
  at::Tensor cell;       // [time + 1, batch, hidden]
  at::Tensor gates;      // [time, batch, 4 * hidden]: activated i, f, g, o
  at::Tensor cell_tanh;  // [time, batch, hidden]: tanh of the new cell state
};

ForwardTrace runForward(const LstmInputGates& input, const std::vector<int64_t>& running,
                        const at::Tensor& h0, const at::Tensor& c0, const at::Tensor& w_hh) {
  const int64_t steps = input.ids.size(0), batch = input.ids.size(1), width = w_hh.size(1);
  const auto options = input.table.options();
  ForwardTrace trace;
  trace.gates = at::empty({steps, batch, 4 * width}, options);
  trace.hidden = at::empty({steps + 1, batch, width}, options);
  trace.cell = at::empty({steps + 1, batch, width}, options);
  trace.cell_tanh = at::empty({steps, batch, width}, options);
  trace.hidden[0].copy_(h0);
  trace.cell[0].copy_(c0);

  gatherGates(steps * batch, batch, width, input.table.data_ptr<float>(),
              input.ids.data_ptr<int64_t>(), input.row_bias.data_ptr<float>(), keepData(input.keep),
              trace.gates.data_ptr<float>());
  const auto w_hh_t = w_hh.t();

  const size_t row_bytes = static_cast<size_t>(width) * sizeof(float);
  for (int64_t t = 0; t < steps; ++t) {
    const int64_t n = running[t];
    auto h_prev = trace.hidden[t], c_prev = trace.cell[t];
    auto h_next = trace.hidden[t + 1], c_next = trace.cell[t + 1];
    if (n < batch) {  // finished rows keep their state
      std::memcpy(h_next.data_ptr<float>() + n * width, h_prev.data_ptr<float>() + n * width,
                  (batch - n) * row_bytes);
      std::memcpy(c_next.data_ptr<float>() + n * width, c_prev.data_ptr<float>() + n * width,
                  (batch - n) * row_bytes);
    }
    if (n == 0) continue;
    auto gates = trace.gates[t].narrow(0, 0, n);
    gates.addmm_(h_prev.narrow(0, 0, n), w_hh_t);
    cellStep(n, width, gates.data_ptr<float>(), c_prev.data_ptr<float>(), c_next.data_ptr<float>(),
             trace.cell_tanh[t].data_ptr<float>(), h_next.data_ptr<float>());
  }
  return trace;
}

FusedLstmOutput outputsOf(const ForwardTrace& trace) {
  const int64_t steps = trace.gates.size(0);
  return {trace.hidden.narrow(0, 1, steps), trace.hidden[steps], trace.cell[steps]};
}

// Undefined optional tensors travel as empty ones: torch 1.13's custom functions reject
// undefined tensor inputs.
at::Tensor emptyIfUndefined(const at::Tensor& t, at::ScalarType type) {
  return t.defined() ? t : at::empty({0}, at::TensorOptions(type));
}

class FusedLstmFunction : public torch::autograd::Function<FusedLstmFunction> {
 public:
  static variable_list forward(AutogradContext* ctx, const at::Tensor& table, const at::Tensor& ids,
                               const at::Tensor& row_bias, const at::Tensor& keep,
                               const at::Tensor& lengths, const at::Tensor& h0,
                               const at::Tensor& c0, const at::Tensor& w_hh) {
    const int64_t steps = ids.size(0), batch = ids.size(1);
    const auto running = runningRows(lengths, steps, batch);
    auto trace = runForward({table, ids, row_bias, keep}, running, h0, c0, w_hh);
    ctx->set_materialize_grads(false);
    ctx->saved_data["table_rows"] = table.size(0);
    ctx->saved_data["running"] = running;
    ctx->save_for_backward(
        {ids, keep, w_hh, trace.hidden, trace.cell, trace.gates, trace.cell_tanh});
    // Outputs are copies so that a caller cannot change the saved trace through them.
    const auto out = outputsOf(trace);
    return {out.output.clone(), out.hidden.clone(), out.cell.clone()};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const auto &ids = saved[0], &keep = saved[1], &w_hh = saved[2];
    const ForwardTrace trace{saved[3], saved[4], saved[5], saved[6]};
    const int64_t steps = trace.gates.size(0), batch = trace.gates.size(1), width = w_hh.size(1);
    const auto running = ctx->saved_data["running"].toIntVector();
    const auto zeros = at::zeros({batch, width}, trace.hidden.options());
    const auto grad_output = grads[0].defined() ? grads[0].contiguous() : at::Tensor();
    auto dh = grads[1].defined() ? grads[1].contiguous().clone() : zeros.clone();
    auto dc = grads[2].defined() ? grads[2].contiguous().clone() : zeros.clone();
    auto dgates = at::empty_like(trace.gates);

    for (int64_t t = steps - 1; t >= 0; --t) {
      const int64_t n = running[t];
      // Finished rows passed their state through unchanged: their dh and dc carry over as
      // they are, and their gates get no gradient.
      if (grad_output.defined())
        addInPlace(batch * width, dh.data_ptr<float>(), grad_output[t].data_ptr<float>());
      auto dgates_t = dgates[t];
      std::fill(dgates_t.data_ptr<float>() + n * 4 * width,
                dgates_t.data_ptr<float>() + batch * 4 * width, 0.0f);
      if (n == 0) continue;
      gateGradients(n, width, trace.gates[t].data_ptr<float>(),
                    trace.cell_tanh[t].data_ptr<float>(), trace.cell[t].data_ptr<float>(),
                    dh.data_ptr<float>(), dc.data_ptr<float>(), dgates_t.data_ptr<float>());
      auto dh_running = dh.narrow(0, 0, n);
      at::mm_out(dh_running, dgates_t.narrow(0, 0, n), w_hh);
    }

    // The recurrent weights' gradient over all steps at once, then the input's.
    const auto flat = dgates.view({steps * batch, 4 * width});
    const auto grad_w_hh =
        flat.t().mm(trace.hidden.narrow(0, 0, steps).reshape({steps * batch, width}));
    auto grad_table =
        at::zeros({ctx->saved_data["table_rows"].toInt(), 4 * width}, trace.gates.options());
    auto grad_row_bias = at::zeros({batch, 4 * width}, trace.gates.options());
    scatterGateGradients(steps * batch, batch, width, dgates.data_ptr<float>(),
                         ids.data_ptr<int64_t>(), keepData(keep), grad_table.data_ptr<float>(),
                         grad_row_bias.data_ptr<float>());
    return {grad_table, at::Tensor(), grad_row_bias, at::Tensor(), at::Tensor(), dh, dc, grad_w_hh};
  }
};

}  // namespace

bool fusedLstmSupports(const at::Tensor& table, const at::Tensor& w_hh) {
  for (const auto* t : {&table, &w_hh})
    if (!t->defined() || !t->device().is_cpu() || t->scalar_type() != at::kFloat) return false;
  return true;
}

FusedLstmOutput fusedLstm(const LstmInputGates& input, const at::Tensor& lengths,
                          const at::Tensor& h0, const at::Tensor& c0, const at::Tensor& w_hh) {
  if (!fusedLstmSupports(input.table, w_hh))
    throw std::invalid_argument("fusedLstm: float32 CPU tensors only");
  const int64_t width = w_hh.size(1);
  if (input.ids.dim() != 2 || input.table.dim() != 2 || input.table.size(1) != 4 * width)
    throw std::invalid_argument("fusedLstm: ids [time, batch], table [rows, 4 * hidden]");
  const int64_t steps = input.ids.size(0), batch = input.ids.size(1);
  const auto shape_is = [](const at::Tensor& t, std::initializer_list<int64_t> shape) {
    return t.sizes().vec() == std::vector<int64_t>(shape);
  };
  if (!shape_is(input.row_bias, {batch, 4 * width}) || !shape_is(h0, {batch, width}) ||
      !shape_is(c0, {batch, width}) ||
      (input.keep.defined() && !shape_is(input.keep, {steps, batch})) ||
      (lengths.defined() && !shape_is(lengths, {batch})))
    throw std::invalid_argument(
        "fusedLstm: row_bias [batch, 4 * hidden], h0 and c0 [batch, hidden], keep [time, batch], "
        "lengths [batch]");
  const auto ids = input.ids.to(at::kCPU, at::kLong).contiguous();
  const int64_t table_rows = input.table.size(0);
  const int64_t* id = ids.data_ptr<int64_t>();
  for (int64_t k = 0; k < steps * batch; ++k)
    if (id[k] < 0 || id[k] >= table_rows)
      throw std::invalid_argument("fusedLstm: id " + std::to_string(id[k]) +
                                  " outside a table of " + std::to_string(table_rows) + " rows");

  const auto table = input.table.contiguous();
  const auto row_bias = input.row_bias.contiguous();
  const auto keep = emptyIfUndefined(
      input.keep.defined() ? input.keep.to(at::kFloat).contiguous() : input.keep, at::kFloat);
  const auto row_lengths =
      emptyIfUndefined(lengths.defined() ? lengths.to(at::kLong).contiguous() : lengths, at::kLong);
  const auto h = h0.contiguous(), c = c0.contiguous(), w = w_hh.contiguous();

  const bool needs_graph =
      at::GradMode::is_enabled() && (table.requires_grad() || row_bias.requires_grad() ||
                                     h.requires_grad() || c.requires_grad() || w.requires_grad());
  if (!needs_graph) {
    const auto running = runningRows(row_lengths, steps, batch);
    return outputsOf(runForward({table, ids, row_bias, keep}, running, h, c, w));
  }
  const auto out = FusedLstmFunction::apply(table, ids, row_bias, keep, row_lengths, h, c, w);
  return {out[0], out[1], out[2]};
}

}  // namespace cvae
