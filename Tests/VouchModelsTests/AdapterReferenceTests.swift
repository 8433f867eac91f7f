import Foundation
import Testing
import VouchEngine

@testable import VouchModels

/// The adapter objective, its gradients and three Adam steps against the PyTorch reference
/// (Tests/Fixtures/adapter/), in Float64 (to rounding) and in Float32 (what training runs).
@Suite("Transcoder adapters against PyTorch")
struct AdapterReferenceTests {
  let context = ComputeContext(profile: .exact, threads: 2)

  /// Relative tolerances: Float64 agrees with the float64 reference to rounding; Float32 to
  /// float32 accuracy after a few layers, a softmax and Adam's normalisation.
  static func tolerance(double: Bool) -> (terms: Double, gradients: Double, trajectory: Double) {
    double ? (1e-12, 1e-12, 1e-11) : (5e-6, 1e-5, 1e-4)
  }

  @Test(arguments: [true, false])
  func everyTermForEveryCutoffMatches(double: Bool) throws {
    let worst =
      double ? try Self.termErrors(Double.self, context) : try Self.termErrors(Float.self, context)
    print("adapter terms vs torch (\(double ? "Float64" : "Float32")): worst relative \(worst)")
    #expect(worst <= Self.tolerance(double: double).terms)
  }

  @Test(arguments: [true, false])
  func gradientsOfEveryAdapterTensorMatch(double: Bool) throws {
    let worst =
      double
      ? try Self.gradientErrors(Double.self, context) : try Self.gradientErrors(Float.self, context)
    print("adapter gradients vs torch (\(double ? "Float64" : "Float32")): \(worst)")
    #expect(worst.error <= Self.tolerance(double: double).gradients, "\(worst)")
  }

  @Test(arguments: [true, false])
  func threeAdamStepsFromTheMethodInitMatch(double: Bool) throws {
    let worst =
      double
      ? try Self.trajectoryErrors(Double.self, context)
      : try Self.trajectoryErrors(Float.self, context)
    print("adapter 3-step trajectory vs torch (\(double ? "Float64" : "Float32")): \(worst)")
    #expect(worst.error <= Self.tolerance(double: double).trajectory, "\(worst)")
  }

  static func relative(_ actual: Double?, _ expected: Double?) -> Double {
    guard let actual, let expected else { return actual == nil && expected == nil ? 0 : .infinity }
    return abs(actual - expected) / max(abs(expected), 1e-12)
  }

  static func termErrors(_ terms: AdapterLossTerms, _ expected: AdapterReference.Terms) -> Double {
    var errors = [
      relative(terms.outputKL, expected.outputKL), relative(terms.total, expected.total),
      relative(terms.adapterToTargetKL, expected.a2rKL),
      relative(terms.targetToAdapterKL, expected.r2aKL),
      terms.activeFeatures == expected.activeFeatures ? 0 : .infinity,
    ]
    // NMSE_0 is exactly 0 on both sides (shared embeddings).
    errors += zip(terms.nmse, expected.nmse).map { $1 == 0 ? abs($0) : relative($0, $1) }
    errors += zip(terms.sparsity, expected.sparsity).map { relative($0, $1) }
    return errors.max() ?? 0
  }

  static func termErrors<Scalar: TensorScalar>(_: Scalar.Type, _ context: ComputeContext) throws
    -> Double
  {
    let reference = try AdapterReference.load()
    let model = try AdapterReference.model(adapters: "adapter", as: Scalar.self)
    return reference.terms.map { expected in
      let terms = reference.objective.evaluate(
        model, ids: reference.ids, cutoff: expected.cutoff, context: context
      ).terms
      return termErrors(terms, expected)
    }.max() ?? 0
  }

  static func gradientErrors<Scalar: TensorScalar>(_: Scalar.Type, _ context: ComputeContext)
    throws -> (name: String, error: Double)
  {
    let reference = try AdapterReference.load()
    let model = try AdapterReference.model(adapters: "adapter", as: Scalar.self)
    let gradients = reference.objective.evaluate(
      model, ids: reference.ids, cutoff: reference.gradientCutoff, context: context
    ).gradients
    var worst = (name: "", error: 0.0)
    for (layer, gradient) in gradients.enumerated() {
      for (suffix, path) in TranscoderAdapter<Scalar>.namedPaths {
        let name = "adapter.layers.\(layer).\(suffix)"
        let error = AdapterReference.relativeError(
          gradient[keyPath: path], reference.gradients[name] ?? [])
        if error >= worst.error { worst = (name, error) }
      }
    }
    return worst
  }

  static func trajectoryErrors<Scalar: TensorScalar>(_: Scalar.Type, _ context: ComputeContext)
    throws -> (name: String, error: Double)
  {
    let reference = try AdapterReference.load()
    let training = reference.training
    var model = try AdapterReference.model(adapters: "init", as: Scalar.self)
    var optimizer = AdapterOptimizer(for: model, maximumGradientNorm: training.maxNorm)
    let schedule = WarmupCosineSchedule(totalSteps: training.totalSteps)
    #expect(schedule.warmupSteps == training.warmupSteps)
    var worst = (name: "", error: 0.0)
    for (index, step) in training.steps.enumerated() {
      let evaluation = reference.objective.evaluate(
        model, ids: reference.ids, cutoff: step.cutoff, context: context)
      let (terms, gradients) = (evaluation.terms, evaluation.gradients)
      let encoderZero = gradients.allSatisfy {
        $0.encoderWeight.scalars.allSatisfy { $0 == 0 }
          && $0.encoderBias.scalars.allSatisfy { $0 == 0 }
      }
      #expect(encoderZero == step.encoderGradientZero, "step \(index)")
      let rate = schedule.learningRate(base: training.lr, atStep: index)
      #expect(rate == step.lr, "step \(index) lr")
      let norm = optimizer.step(gradients, model: &model, learningRate: rate)
      for (name, error) in [
        ("step \(index) norm", relative(Double(norm), step.gradientNorm)),
        ("step \(index) terms", termErrors(terms, step.terms)),
      ] where error >= worst.error {
        worst = (name, error)
      }
    }
    for (layer, adapter) in model.adapters.enumerated() {
      for (suffix, path) in TranscoderAdapter<Scalar>.namedPaths {
        let name = "adapter.layers.\(layer).\(suffix)"
        let error = AdapterReference.relativeError(
          adapter[keyPath: path], training.final[name] ?? [])
        if error >= worst.error { worst = (name, error) }
      }
    }
    return worst
  }
}
