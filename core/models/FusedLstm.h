#pragma once
// The recurrence of a one-layer, one-direction LSTM over a whole sequence, with forward and
// backward written by hand for float32 tensors on the CPU. It computes what torch::nn::LSTM
// computes and exists for speed (issue 7, docs/BENCHMARKS.md):
//  - torch's LSTM records a dozen autograd nodes per time step and allocates their results;
//    here a step is one matrix product into a preallocated buffer and two activation passes.
//  - torch's backward takes the recurrent weights' gradient as one small product per step
//    (inner size = batch); here it is one large product over all steps.
//  - Rows sorted by length let each step multiply only the rows still running, as a packed
//    sequence does.
//  - The input's share of the gates comes as rows of a projected table: for token inputs the
//    embedding table is projected once instead of every step's input, and the gates are
//    gathered, biased and scaled in one pass.

#include <ATen/core/Tensor.h>

namespace cvae {

struct FusedLstmOutput {
  at::Tensor output;  // [time, batch, hidden]: the hidden state after each step
  at::Tensor hidden;  // [batch, hidden]: the state after each row's last step
  at::Tensor cell;    // [batch, hidden]
};

// The input's share of the gates, x_t W_ih^T + b_ih + b_hh (gates in torch's order: input,
// forget, cell, output), for step t and batch row b:
//   keep[t, b] * table[ids[t, b]] + row_bias[b]
// Token inputs pass their projected embedding table; other inputs pass their own projections
// as the table, with ids 0, 1, 2, ...
struct LstmInputGates {
  at::Tensor table;     // [rows, 4 * hidden]
  at::Tensor ids;       // [time, batch] int64 rows of `table`, on the CPU
  at::Tensor row_bias;  // [batch, 4 * hidden]
  at::Tensor keep;      // [time, batch] floats, or undefined for all ones
};

// Whether fusedLstm can run these tensors (float32 on the CPU).
bool fusedLstmSupports(const at::Tensor& table, const at::Tensor& w_hh);

// `w_hh` [4 * hidden, hidden]; `h0`, `c0` [batch, hidden]. `lengths` may be undefined (every
// row runs every step) or [batch] int64 on the CPU in non-increasing order. A row keeps its
// state after its last step, so its final state does not depend on the padding; its `output`
// rows past that step repeat the final hidden state. Differentiable with respect to the table,
// the row biases, the start state and `w_hh`.
FusedLstmOutput fusedLstm(const LstmInputGates& input, const at::Tensor& lengths,
                          const at::Tensor& h0, const at::Tensor& c0, const at::Tensor& w_hh);

}  // namespace cvae
