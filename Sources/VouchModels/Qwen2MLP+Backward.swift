// SwiGLU forward with saved activations, and its backward (the forward is Qwen2MLP.swift's
// `callAsFunction`, the same op sequence, generic so gradient checks can run in Float64).
import VouchEngine

extension Qwen2MLP {
  /// What the MLP backward needs from its forward; every tensor is `[tokens, ·]`.
  public struct Activations<Scalar: TensorScalar>: Sendable {
    /// The MLP input `u`, `[tokens, d]`.
    public var input: Tensor<Scalar>
    /// `gate(u)` before SiLU, `[tokens, d_ff]`.
    public var gate: Tensor<Scalar>
    /// `SiLU(gate(u))`, `[tokens, d_ff]`.
    public var activated: Tensor<Scalar>
    /// `up(u)`, `[tokens, d_ff]`.
    public var up: Tensor<Scalar>
    /// `SiLU(gate(u)) ⊙ up(u)`, `[tokens, d_ff]`.
    public var product: Tensor<Scalar>
  }

  /// `down(SiLU(gate(u)) ⊙ up(u))` for `u` `[tokens, d]`, returning `[tokens, d]` and the
  /// activations the backward needs. Weights: gate and up `[d_ff, d]`, down `[d, d_ff]`.
  public static func forward<Scalar: TensorScalar>(
    _ input: Tensor<Scalar>, gate gateWeight: Tensor<Scalar>, up upWeight: Tensor<Scalar>,
    down downWeight: Tensor<Scalar>, context: ComputeContext
  ) -> (output: Tensor<Scalar>, activations: Activations<Scalar>) {
    let gate = input.linear(weight: gateWeight, context: context)
    let activated = gate.silu()
    let up = input.linear(weight: upWeight, context: context)
    let product = activated * up
    let output = product.linear(weight: downWeight, context: context)
    return (
      output,
      Activations(
        input: input, gate: gate, activated: activated, up: up, product: product)
    )
  }

  /// Gradients of ``forward(_:gate:up:down:context:)`` for `∂L/∂output` `[tokens, d]`:
  /// `∂L/∂u` `[tokens, d]` (the gate and up paths added in that order) and the three weight
  /// gradients, shaped like the weights.
  public static func backward<Scalar: TensorScalar>(
    _ activations: Activations<Scalar>, gate gateWeight: Tensor<Scalar>,
    up upWeight: Tensor<Scalar>, down downWeight: Tensor<Scalar>,
    outputGradient: Tensor<Scalar>, context: ComputeContext
  ) -> (input: Tensor<Scalar>, gate: Tensor<Scalar>, up: Tensor<Scalar>, down: Tensor<Scalar>) {
    let a = activations
    let down = Tensor.linearBackward(
      input: a.product, weight: downWeight, outputGradient: outputGradient, context: context)
    let activatedGradient = down.input * a.up
    let upGradient = down.input * a.activated
    let gateGradient = Tensor.siluBackward(input: a.gate, outputGradient: activatedGradient)
    let gatePath = Tensor.linearBackward(
      input: a.input, weight: gateWeight, outputGradient: gateGradient, context: context)
    let upPath = Tensor.linearBackward(
      input: a.input, weight: upWeight, outputGradient: upGradient, context: context)
    return (gatePath.input + upPath.input, gatePath.weight, upPath.weight, down.weight)
  }
}
