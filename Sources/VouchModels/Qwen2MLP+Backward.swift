// SwiGLU forward with saved activations, and its backward: the one MLP of every forward
// (generic, so gradient checks can run in Float64).
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
  /// gradients, shaped like the weights. Under ``BackwardRule/relp`` SiLU follows the identity
  /// rule and the product `SiLU(gate) ⊙ up` the half rule (see ``productGradients(_:productGradient:rule:)``).
  public static func backward<Scalar: TensorScalar>(
    _ activations: Activations<Scalar>, gate gateWeight: Tensor<Scalar>,
    up upWeight: Tensor<Scalar>, down downWeight: Tensor<Scalar>,
    outputGradient: Tensor<Scalar>, rule: BackwardRule = .exact, context: ComputeContext
  ) -> (input: Tensor<Scalar>, gate: Tensor<Scalar>, up: Tensor<Scalar>, down: Tensor<Scalar>) {
    let a = activations
    let down = Tensor.linearBackward(
      input: a.product, weight: downWeight, outputGradient: outputGradient, context: context)
    let (gateGradient, upGradient) = productGradients(a, productGradient: down.input, rule: rule)
    let gatePath = Tensor.linearBackward(
      input: a.input, weight: gateWeight, outputGradient: gateGradient, context: context)
    let upPath = Tensor.linearBackward(
      input: a.input, weight: upWeight, outputGradient: upGradient, context: context)
    return (gatePath.input + upPath.input, gatePath.weight, upPath.weight, down.weight)
  }

  /// `∂L/∂gate(u)` and `∂L/∂up(u)` (`[tokens, d_ff]` each) from `∂L/∂c` for the product
  /// `c = SiLU(gate(u)) ⊙ up(u)`.
  ///
  /// `.exact`: `∂gate = SiLU'(g) ⊙ up ⊙ ∂c`, `∂up = SiLU(g) ⊙ ∂c`. `.relp`: the half rule
  /// `c = ½·a(u) ⊙ up₀ + ½·a₀ ⊙ up(u)` with `a(u) = g(u)·σ(g₀)`, so
  /// `∂gate = ½ · σ(g₀) ⊙ up₀ ⊙ ∂c` and `∂up = ½ · a₀ ⊙ ∂c` (`a₀`, `up₀`, `g₀` the forward's).
  public static func productGradients<Scalar: TensorScalar>(
    _ a: Activations<Scalar>, productGradient: Tensor<Scalar>, rule: BackwardRule
  ) -> (gate: Tensor<Scalar>, up: Tensor<Scalar>) {
    var activatedGradient = productGradient * a.up
    var upGradient = productGradient * a.activated
    if rule == .relp {
      let half = rule.productShare(Scalar.self)
      activatedGradient = activatedGradient.scaled(by: half)
      upGradient = upGradient.scaled(by: half)
    }
    let gateGradient = Tensor.siluBackward(
      input: a.gate, outputGradient: activatedGradient, rule: rule)
    return (gateGradient, upGradient)
  }

  /// `∂L/∂u` (`[tokens, d]`) of ``forward(_:gate:up:down:context:)`` for `∂L/∂output`
  /// `[tokens, d]`, the weights held fixed (no weight gradients: half the GEMMs of
  /// ``backward(_:gate:up:down:outputGradient:rule:context:)``, the same input gradient).
  public static func inputGradient<Scalar: TensorScalar>(
    _ activations: Activations<Scalar>, gate gateWeight: Tensor<Scalar>,
    up upWeight: Tensor<Scalar>, down downWeight: Tensor<Scalar>,
    outputGradient: Tensor<Scalar>, rule: BackwardRule = .exact, context: ComputeContext
  ) -> Tensor<Scalar> {
    let productGradient = outputGradient.matmul(downWeight, context: context)
    let (gateGradient, upGradient) = productGradients(
      activations, productGradient: productGradient, rule: rule)
    return gateGradient.matmul(gateWeight, context: context)
      + upGradient.matmul(upWeight, context: context)
  }
}
