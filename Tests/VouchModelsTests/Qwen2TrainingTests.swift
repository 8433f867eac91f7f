import Foundation
import Testing
import VouchEngine
import VouchEngineTestSupport
import VouchTestSupport

@testable import VouchModels

/// The training forward/backward of Qwen2: parity with the inference forward, Float64 gradient
/// checks of the SwiGLU MLP and of whole tiny models, thread-count independence.
@Suite("Qwen2 training forward and backward")
struct Qwen2TrainingTests {
  let context = ComputeContext(profile: .exact, threads: 2)

  @Test(arguments: Qwen2Reference.names)
  func trainingForwardEqualsInferenceForward(name: String) throws {
    let reference = try Qwen2Reference.load(name)
    let model = try Qwen2Model(directory: Qwen2Reference.directory(name))
    let parameters = try Qwen2Parameters<Float>(
      source: model.source, configuration: model.configuration)
    let inference = try model.forward(reference.inputIDs, context: context).logits
    let training = parameters.forward(reference.inputIDs, context: context).logits
    #expect(training.isBitwiseEqual(to: inference))
  }

  @Test func swiGLUBackwardMatchesFiniteDifferences() {
    var generator = SeededGenerator(seed: 71)
    let input = GradientCheck.random([4, 6], generator: &generator)
    let (gate, up, down) = (
      GradientCheck.random([5, 6], generator: &generator),
      GradientCheck.random([5, 6], generator: &generator),
      GradientCheck.random([6, 5], generator: &generator)
    )
    let r = GradientCheck.random([4, 6], generator: &generator)
    func loss(_ u: Tensor<Double>, _ g: Tensor<Double>, _ p: Tensor<Double>, _ d: Tensor<Double>)
      -> Double
    {
      GradientCheck.dot(Qwen2MLP.forward(u, gate: g, up: p, down: d, context: context).output, r)
    }
    let saved = Qwen2MLP.forward(input, gate: gate, up: up, down: down, context: context)
    let grads = Qwen2MLP.backward(
      saved.activations, gate: gate, up: up, down: down, outputGradient: r, context: context)
    let errors = [
      GradientCheck.relativeError(at: input, analytic: grads.input) { loss($0, gate, up, down) },
      GradientCheck.relativeError(at: gate, analytic: grads.gate) { loss(input, $0, up, down) },
      GradientCheck.relativeError(at: up, analytic: grads.up) { loss(input, gate, $0, down) },
      GradientCheck.relativeError(at: down, analytic: grads.down) { loss(input, gate, up, $0) },
    ]
    #expect(errors.allSatisfy { $0 <= 1e-6 }, "\(errors)")
  }

  /// Every weight of a 2-layer GQA model (tied and untied head), cross-entropy on next tokens.
  @Test(arguments: [false, true])
  func wholeModelBackwardMatchesFiniteDifferences(tied: Bool) {
    let configuration = Qwen2Configuration(
      hiddenSize: 8, intermediateSize: 12, layerCount: 2, attentionHeads: 4, keyValueHeads: 2,
      vocabularySize: 11, rmsNormEpsilon: 1e-6, tieWordEmbeddings: tied)
    var generator = SeededGenerator(seed: tied ? 72 : 73)
    let parameters = Qwen2Parameters<Double>(configuration: configuration) { name, shape in
      name.hasSuffix("norm.weight")
        ? GradientCheck.random(shape, generator: &generator).scaled(by: 0.5)
          + Tensor(shape: shape, repeating: 1)
        : GradientCheck.random(shape, generator: &generator).scaled(by: 0.7)
    }
    let ids = [3, 7, 3, 0, 10, 5]
    let targets = [7, 3, 0, 10, 5, 1]
    func loss(_ p: Qwen2Parameters<Double>) -> Double {
      Loss.crossEntropy(logits: p.forward(ids, context: context).logits, targets: targets).loss
    }
    let (logits, activations) = parameters.forward(ids, context: context)
    let gradient = Loss.crossEntropy(logits: logits, targets: targets).gradient
    let grads = parameters.backward(activations, logitsGradient: gradient, context: context)
    var worst = (name: "", error: 0.0)
    for (name, path) in parameters.namedPaths {
      let error = GradientCheck.relativeError(
        at: parameters[keyPath: path], analytic: grads[keyPath: path]
      ) { tensor in
        var perturbed = parameters
        perturbed[keyPath: path] = tensor
        return loss(perturbed)
      }
      if error > worst.error { worst = (name, error) }
    }
    #expect(worst.error <= 1e-6, "worst: \(worst.name) \(worst.error)")
    #expect(parameters.namedPaths.count == 2 + 2 * 12 + (tied ? 0 : 1))
  }

  @Test func floatBackwardIsThreadCountIndependent() {
    let configuration = Qwen2Configuration(
      hiddenSize: 16, intermediateSize: 24, layerCount: 2, attentionHeads: 4, keyValueHeads: 2,
      vocabularySize: 300)
    var generator = SeededGenerator(seed: 74)
    let parameters = Qwen2Parameters<Double>(configuration: configuration) { _, shape in
      GradientCheck.random(shape, generator: &generator).scaled(by: 0.5)
    }.converted(to: Float.self)
    let ids = (0..<9).map { ($0 * 37) % 300 }
    let runs = [1, 2].map { threads -> Qwen2Parameters<Float> in
      let context = ComputeContext(profile: .exact, threads: threads)
      let (logits, activations) = parameters.forward(ids, context: context)
      let gradient = Loss.crossEntropy(logits: logits, targets: ids.reversed()).gradient
      return parameters.backward(activations, logitsGradient: gradient, context: context)
    }
    for (_, path) in parameters.namedPaths {
      #expect(runs[0][keyPath: path].isBitwiseEqual(to: runs[1][keyPath: path]))
    }
  }
}

extension Qwen2TrainingTests {
  /// Trained parameters leave as inference weights and as a safetensors file, bit for bit.
  @Test(arguments: [false, true])
  func exportRoundTripsBitForBit(tied: Bool) throws {
    let configuration = Qwen2Configuration(
      hiddenSize: 8, intermediateSize: 12, layerCount: 2, attentionHeads: 2, keyValueHeads: 1,
      vocabularySize: 20, tieWordEmbeddings: tied)
    var generator = SeededGenerator(seed: 77)
    let parameters = Qwen2Parameters<Double>(configuration: configuration) { _, shape in
      GradientCheck.random(shape, generator: &generator)
    }.converted(to: Float.self)
    let ids = [4, 19, 0, 7]
    let expected = parameters.forward(ids, context: context).logits
    let model = try Qwen2Model(
      configuration: configuration, weights: parameters.inMemoryWeights(), residency: .resident)
    #expect(try model.forward(ids, context: context).logits.isBitwiseEqual(to: expected))
    let directory = try TemporaryDirectory()
    let url = directory.url.appendingPathComponent("model.safetensors")
    try parameters.safetensors().write(to: url)
    let reloaded = try Qwen2Parameters<Float>(
      source: SafetensorsFile(url: url), configuration: configuration)
    for (_, path) in parameters.namedPaths {
      #expect(reloaded[keyPath: path].isBitwiseEqual(to: parameters[keyPath: path]))
    }
  }

  /// The Float32 path (what training runs) agrees with the finite-difference-checked Float64 one.
  @Test func floatGradientsAgreeWithDoubleGradients() {
    let configuration = Qwen2Configuration(
      hiddenSize: 16, intermediateSize: 24, layerCount: 2, attentionHeads: 4, keyValueHeads: 2,
      vocabularySize: 40)
    var generator = SeededGenerator(seed: 76)
    let exact = Qwen2Parameters<Double>(configuration: configuration) { _, shape in
      GradientCheck.random(shape, generator: &generator).scaled(by: 0.5)
    }.converted(to: Float.self).converted(to: Double.self)
    let single = exact.converted(to: Float.self)
    let ids = (0..<10).map { ($0 * 7) % 40 }
    let targets = ids.map { ($0 + 3) % 40 }
    let (logits, saved) = exact.forward(ids, context: context)
    let reference = exact.backward(
      saved, logitsGradient: Loss.crossEntropy(logits: logits, targets: targets).gradient,
      context: context)
    let (floatLogits, floatSaved) = single.forward(ids, context: context)
    let measured = single.backward(
      floatSaved,
      logitsGradient: Loss.crossEntropy(logits: floatLogits, targets: targets).gradient,
      context: context)
    for ((name, path), (_, floatPath)) in zip(exact.namedPaths, single.namedPaths) {
      let expected: Tensor<Double> = reference[keyPath: path]
      let difference = measured[keyPath: floatPath].converted(to: Double.self)
        .maxAbsoluteDifference(expected)
      let scale = expected.scalars.reduce(0.0) { max($0, abs($1)) }
      #expect(difference <= 1e-4 * max(scale, 1e-3), "\(name): \(difference) of \(scale)")
    }
  }

  /// 40 AdamW steps (warm-up + cosine, clipping) on one sequence fit it, and the trained weights
  /// are bitwise identical with 1 and 2 threads.
  @Test func trainingFitsASequenceIdenticallyForAnyThreadCount() {
    let configuration = Qwen2Configuration(
      hiddenSize: 16, intermediateSize: 32, layerCount: 2, attentionHeads: 4, keyValueHeads: 2,
      vocabularySize: 24, tieWordEmbeddings: true)
    var generator = SeededGenerator(seed: 75)
    let initial = Qwen2Parameters<Double>(configuration: configuration) { name, shape in
      name.hasSuffix("norm.weight")
        ? Tensor(shape: shape, repeating: 1)
        : GradientCheck.random(shape, generator: &generator).scaled(by: 0.3)
    }.converted(to: Float.self)
    let sequence = [1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3]
    let (ids, targets) = (Array(sequence.dropLast()), Array(sequence.dropFirst()))
    let optimizer = AdamW<Float>(weightDecay: 0.01)
    let schedule = WarmupCosineSchedule(warmupSteps: 4, totalSteps: 40)
    var losses: [[Double]] = []
    var trained: [Qwen2Parameters<Float>] = []
    for threads in [1, 2] {
      let context = ComputeContext(profile: .exact, threads: threads)
      var parameters = initial
      var states = parameters.makeOptimizerStates(optimizer)
      var history: [Double] = []
      for step in 0..<40 {
        let (logits, activations) = parameters.forward(ids, context: context)
        let (loss, gradient) = Loss.crossEntropy(logits: logits, targets: targets)
        history.append(loss)
        let grads = parameters.backward(activations, logitsGradient: gradient, context: context)
        parameters.applyStep(
          gradients: grads, optimizer: optimizer, states: &states,
          learningRate: schedule.learningRate(base: 3e-2, atStep: step), maxGradientNorm: 1)
      }
      losses.append(history)
      trained.append(parameters)
    }
    #expect(losses[0] == losses[1])
    let (first, last) = (losses[0].first ?? 0, losses[0].last ?? .infinity)
    #expect(first > 2.5 && last < 0.5, "loss \(first) → \(last)")
    for (_, path) in initial.namedPaths {
      #expect(trained[0][keyPath: path].isBitwiseEqual(to: trained[1][keyPath: path]))
    }
  }
}
