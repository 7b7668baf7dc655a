// The hand-written LSTM (FusedLstm) against torch::nn::LSTM: the same outputs and the same
// gradients for every input and parameter, with and without padding, from explicit inputs and
// from token inputs.
// moc reads only the test class: without the guard it would parse every header below,
// LibTorch's thousands among them (5-8 s a test).
#ifndef Q_MOC_RUN
#include <ATen/ATen.h>
#include <torch/nn/modules/rnn.h>
#include <torch/nn/utils/rnn.h>
#include <QtTest/QtTest>

#include "TestRegistry.h"
#include "core/models/FusedLstm.h"
#include "core/models/RecurrentLayer.h"
#endif

using namespace cvae;

namespace {

constexpr int64_t kSteps = 7, kBatch = 5, kHidden = 8;

void expectClose(const at::Tensor& actual, const at::Tensor& expected, const char* what) {
  QVERIFY2(actual.defined(), what);
  QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
  const double error = (actual - expected).abs().max().item<double>();
  const double scale = std::max(1.0, expected.abs().max().item<double>());
  if (error > 2e-5 * scale) QFAIL(qPrintable(QString("%1 differs by %2").arg(what).arg(error)));
}

// A RecurrentLayer and a plain torch LSTM holding the same weights.
struct TwinLstms {
  explicit TwinLstms(int64_t input_size, bool bidirectional = false)
      : layer(RecurrentLayerOptions(input_size, kHidden).bidirectional(bidirectional)),
        reference(torch::nn::LSTMOptions(input_size, kHidden).bidirectional(bidirectional)) {
    torch::NoGradGuard no_grad;
    const auto mine = layer->named_parameters();
    for (auto& p : reference->named_parameters()) p.value().copy_(mine["lstm." + p.key()]);
  }
  void expectSameParameterGradients() {
    const auto mine = layer->named_parameters();
    for (const auto& p : reference->named_parameters())
      expectClose(mine["lstm." + p.key()].grad(), p.value().grad(), p.key().c_str());
  }
  RecurrentLayer layer;
  torch::nn::LSTM reference;
};

}  // namespace

class TestRecurrent : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    at::set_num_threads(1);
    torch::manual_seed(7);
  }

  void fusedLstmMatchesTorchForwardAndBackward() { compareWithTorch(kHidden, 1.0); }

  // A width that is no multiple of the vector length, and inputs large enough to saturate the
  // gates, where the approximated exponential is clamped.
  void fusedLstmMatchesTorchWithOddWidthAndSaturatedGates() { compareWithTorch(13, 40.0); }

 private:
  void compareWithTorch(int64_t hidden, double input_scale) {
    torch::nn::LSTM lstm(torch::nn::LSTMOptions(6, hidden));
    const auto w = lstm->all_weights();  // w_ih, w_hh, b_ih, b_hh
    const auto x = (torch::randn({kSteps, kBatch, 6}) * input_scale).requires_grad_();
    const auto h0 = torch::randn({kBatch, hidden}, torch::requires_grad());
    const auto c0 = torch::randn({kBatch, hidden}, torch::requires_grad());
    // Random weights on every output, so that each one's gradient path is checked.
    const auto r_out = torch::randn({kSteps, kBatch, hidden});
    const auto r_h = torch::randn({kBatch, hidden}), r_c = torch::randn({kBatch, hidden});

    const auto [out, hc] = lstm->forward(x, std::make_tuple(h0.unsqueeze(0), c0.unsqueeze(0)));
    const auto h_n = std::get<0>(hc)[0], c_n = std::get<1>(hc)[0];
    ((out * r_out).sum() + (h_n * r_h).sum() + (c_n * r_c).sum()).backward();
    std::vector<at::Tensor> expected_grads;
    for (const auto& t : {x, h0, c0, w[0], w[1], w[2], w[3]}) {
      expected_grads.push_back(t.grad().clone());
      t.mutable_grad().zero_();
    }

    // Each (step, row) its own table row: the general, non-token input.
    const LstmInputGates gates{x.reshape({kSteps * kBatch, 6}).mm(w[0].t()),
                               torch::arange(kSteps * kBatch).view({kSteps, kBatch}),
                               (w[2] + w[3]).expand({kBatch, -1}),
                               {}};
    const auto fused = fusedLstm(gates, {}, h0, c0, w[1]);
    expectClose(fused.output, out, "output");
    expectClose(fused.hidden, h_n, "final hidden state");
    expectClose(fused.cell, c_n, "final cell state");
    ((fused.output * r_out).sum() + (fused.hidden * r_h).sum() + (fused.cell * r_c).sum())
        .backward();
    const char* names[] = {"dx", "dh0", "dc0", "dW_ih", "dW_hh", "db_ih", "db_hh"};
    int k = 0;
    for (const auto& t : {x, h0, c0, w[0], w[1], w[2], w[3]}) {
      expectClose(t.grad(), expected_grads[k], names[k]);
      ++k;
    }
  }

  // Final states of both directions (when `bidirectional`) and every gradient, against a
  // packed sequence through torch's LSTM; the keep mask checks the reversed word dropout too.
  void comparePaddedWithPacked(bool bidirectional) {
    const int64_t directions = bidirectional ? 2 : 1;
    TwinLstms twins(4, bidirectional);
    const auto table = torch::randn({10, 4}, torch::requires_grad());
    const auto ids = torch::randint(0, 10, {kSteps, kBatch}, torch::kLong);
    const auto keep = (torch::rand({kSteps, kBatch}) > 0.3).to(torch::kFloat);
    const auto lengths = torch::tensor({3, 7, 1, 5, 7}, torch::kLong);  // unsorted on purpose
    const auto h0 = torch::randn({directions, kBatch, kHidden}, torch::requires_grad());
    const auto r_h = torch::randn({directions, kBatch, kHidden});
    const auto r_c = torch::randn({directions, kBatch, kHidden});

    const auto packed = torch::nn::utils::rnn::pack_padded_sequence(
        at::embedding(table, ids) * keep.unsqueeze(2), lengths, false, /*enforce_sorted=*/false);
    const auto result = twins.reference->forward_with_packed_input(
        packed, std::make_tuple(h0, torch::zeros_like(h0)));
    const auto h_ref = std::get<0>(std::get<1>(result));
    const auto c_ref = std::get<1>(std::get<1>(result));
    ((h_ref * r_h).sum() + (c_ref * r_c).sum()).backward();
    const auto table_grad = table.grad().clone(), h0_grad = h0.grad().clone();
    table.mutable_grad().zero_();
    h0.mutable_grad().zero_();

    const auto state = twins.layer->forwardPadded(TokenInput{ids, table, {}, keep}, lengths,
                                                  twins.layer->initialState(h0));
    expectClose(state.hidden, h_ref, "final hidden states");
    expectClose(state.cell, c_ref, "final cell states");
    ((state.hidden * r_h).sum() + (state.cell * r_c).sum()).backward();
    expectClose(table.grad(), table_grad, "embedding gradient");
    expectClose(h0.grad(), h0_grad, "h0 gradient");
    twins.expectSameParameterGradients();
  }

  // forwardPaddedOutputs: every step's state in both directions (the reverse one read from
  // each row's own end) and the final states, with gradients through the outputs, against
  // torch's LSTM on a packed sequence. float32 runs fused; double through torch's packed LSTM.
  void comparePaddedOutputsWithPacked(bool bidirectional, torch::Dtype dtype) {
    const int64_t directions = bidirectional ? 2 : 1;
    TwinLstms twins(4, bidirectional);
    twins.layer->to(dtype);
    twins.reference->to(dtype);
    const auto options = torch::TensorOptions().dtype(dtype);
    const auto table = torch::randn({10, 4}, options.requires_grad(true));
    const auto ids = torch::randint(0, 10, {kSteps, kBatch}, torch::kLong);
    const auto lengths = torch::tensor({3, 7, 1, 5, 6}, torch::kLong);  // none fills the batch
    const auto h0 = torch::randn({directions, kBatch, kHidden}, options);
    const auto valid =
        (torch::arange(kSteps).unsqueeze(1) < lengths.unsqueeze(0)).to(dtype).unsqueeze(2);
    const auto r = torch::randn({kSteps, kBatch, directions * kHidden}, options) * valid;

    namespace rnn = torch::nn::utils::rnn;
    const auto packed = rnn::pack_padded_sequence(at::embedding(table, ids), lengths, false, false);
    const auto result = twins.reference->forward_with_packed_input(
        packed, std::make_tuple(h0, torch::zeros_like(h0)));
    const auto out_ref =
        std::get<0>(rnn::pad_packed_sequence(std::get<0>(result), false, 0.0, kSteps));
    (out_ref * r).sum().backward();
    const auto table_grad = table.grad().clone();
    table.mutable_grad().zero_();

    const auto out = twins.layer->forwardPaddedOutputs(TokenInput{ids, table, {}, {}}, lengths,
                                                       twins.layer->initialState(h0));
    QCOMPARE(out.output.scalar_type(), dtype);
    expectClose(out.output * valid, out_ref, "outputs within each row");
    expectClose(out.state.hidden, std::get<0>(std::get<1>(result)), "final hidden states");
    expectClose(out.state.cell, std::get<1>(std::get<1>(result)), "final cell states");
    (out.output * r).sum().backward();
    expectClose(table.grad(), table_grad, "embedding gradient");
    twins.expectSameParameterGradients();
  }

  // RecurrentLayer::forward on a plain [time, batch, input] tensor against torch's LSTM, with
  // gradients. float32 on the CPU runs the fused kernel; any other dtype (or a GPU) falls back
  // to torch's LSTM inside the layer, the path a GPU run takes. fusedLstm refuses doubles, so a
  // wrong routing throws instead of passing.
  void compareWholeSequence(torch::Dtype dtype) {
    TwinLstms twins(4);
    twins.layer->to(dtype);
    twins.reference->to(dtype);
    const auto options = torch::TensorOptions().dtype(dtype);
    const auto x = torch::randn({kSteps, kBatch, 4}, options.requires_grad(true));
    const auto h0 = torch::randn({1, kBatch, kHidden}, options);
    const auto c0 = torch::randn({1, kBatch, kHidden}, options);
    const auto r = torch::randn({kSteps, kBatch, kHidden}, options);
    auto [out_ref, hc] = twins.reference->forward(x, std::make_tuple(h0, c0));
    ((out_ref * r).sum() + std::get<1>(hc).sum()).backward();
    const auto x_grad = x.grad().clone();
    x.mutable_grad().zero_();

    const auto out = twins.layer->forward(x, RecurrentState{h0, c0});
    QCOMPARE(out.output.scalar_type(), dtype);
    expectClose(out.output, out_ref, "output");
    expectClose(out.state.hidden, std::get<0>(hc), "final hidden state");
    expectClose(out.state.cell, std::get<1>(hc), "final cell state");
    ((out.output * r).sum() + out.state.cell.sum()).backward();
    expectClose(x.grad(), x_grad, "input gradient");
    twins.expectSameParameterGradients();
  }

 private Q_SLOTS:
  void wholeSequencesRunFusedInFloat() { compareWholeSequence(torch::kFloat); }
  void otherDtypesFallBackToTorchsLstm() { compareWholeSequence(torch::kDouble); }

  void paddedTokensMatchAPackedSequence() { comparePaddedWithPacked(false); }
  void bidirectionalPaddedTokensMatchAPackedSequence() { comparePaddedWithPacked(true); }
  void paddedOutputsMatchAPackedSequence() { comparePaddedOutputsWithPacked(false, torch::kFloat); }
  void bidirectionalPaddedOutputsMatchAPackedSequence() {
    comparePaddedOutputsWithPacked(true, torch::kFloat);
  }
  void bidirectionalPaddedOutputsFallBackToTorchsLstm() {
    comparePaddedOutputsWithPacked(true, torch::kDouble);
  }

  void tokenInputWithConditionAndDropoutMatchesItsExplicitInput() {
    TwinLstms twins(4 + 3);
    const auto table = torch::randn({10, 4}, torch::requires_grad());
    const auto condition = torch::randn({kBatch, 3}, torch::requires_grad());
    const TokenInput input{torch::randint(0, 10, {kSteps, kBatch}, torch::kLong), table, condition,
                           (torch::rand({kSteps, kBatch}) > 0.3).to(torch::kFloat)};
    const auto h0 = torch::randn({1, kBatch, kHidden});
    const auto r_out = torch::randn({kSteps, kBatch, kHidden});

    const auto [out_ref, hc] =
        twins.reference->forward(input.embedded(), std::make_tuple(h0, torch::zeros_like(h0)));
    (out_ref * r_out).sum().backward();
    const auto table_grad = table.grad().clone(), condition_grad = condition.grad().clone();
    table.mutable_grad().zero_();
    condition.mutable_grad().zero_();

    const auto out = twins.layer->forward(input, twins.layer->initialState(h0));
    expectClose(out.output, out_ref, "output");
    expectClose(out.state.hidden[0], std::get<0>(hc)[0], "final hidden state");
    (out.output * r_out).sum().backward();
    expectClose(table.grad(), table_grad, "embedding gradient");
    expectClose(condition.grad(), condition_grad, "condition gradient");
    twins.expectSameParameterGradients();
  }

  void badArgumentsAreRejected() {
    const auto w_hh = torch::randn({4 * kHidden, kHidden});
    const LstmInputGates gates{torch::randn({3, 4 * kHidden}),
                               torch::randint(0, 3, {kSteps, 2}, torch::kLong),
                               torch::zeros({2, 4 * kHidden}),
                               {}};
    const auto h0 = torch::zeros({2, kHidden});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,  // lengths must not increase
                             fusedLstm(gates, torch::tensor({2, 5}, torch::kLong), h0, h0, w_hh));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,  // one length per row
                             fusedLstm(gates, torch::tensor({5}, torch::kLong), h0, h0, w_hh));
    auto outside = gates;
    outside.ids = torch::full({kSteps, 2}, 3, torch::kLong);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fusedLstm(outside, {}, h0, h0, w_hh));
    auto narrow = gates;
    narrow.table = gates.table.narrow(1, 0, kHidden);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fusedLstm(narrow, {}, h0, h0, w_hh));
    QVERIFY(!fusedLstmSupports(gates.table.to(torch::kDouble), w_hh));
  }
};

CVAE_TEST_GUILESS_MAIN(TestRecurrent);
#include "test_recurrent.moc"
