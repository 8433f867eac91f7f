import Foundation
import Testing
import VouchEngine

@testable import VouchModels

/// RelP attribution (METHOD.md §6.4) against the PyTorch reference, completeness (§10.7), the
/// forward being the normal forward, and determinism.
@Suite("RelP attribution")
struct RelPAttributionTests {
  let context = ComputeContext(profile: .exact, threads: 2)

  /// Float64 agrees with the float64 reference to rounding, Float32 to float32 accuracy.
  static func tolerance(double: Bool) -> Double { double ? 1e-9 : 1e-5 }

  @Test(arguments: [true, false])
  func rowsMatchThePyTorchReference(double: Bool) throws {
    let worst =
      double
      ? try Self.referenceErrors(Double.self, context)
      : try Self.referenceErrors(Float.self, context)
    print("relp rows vs torch (\(double ? "Float64" : "Float32")): worst relative \(worst)")
    #expect(worst.error <= Self.tolerance(double: double), "\(worst)")
  }

  static func referenceErrors<Scalar: TensorScalar>(_: Scalar.Type, _ context: ComputeContext)
    throws -> (name: String, error: Double)
  {
    let reference = try RelPReference.load()
    let expected = Scalar.self == Double.self ? reference.float64 : reference.float32
    let model = try AdapterReference.model(adapters: "adapter", as: Scalar.self)
    let attributor = try Attributor(model: model, ids: reference.ids, context: context)
    let targets = attributor.logitTargets(maxCount: 10, probability: 0.95)
    #expect(targets.map(\.token) == expected.logits.compactMap(\.token))
    var worst = (name: "", error: 0.0)
    for (target, row) in zip(targets, expected.logits) {
      let probability = abs(target.probability - (row.probability ?? 0))
      if probability > worst.error { worst = ("probability \(target.token)", probability) }
      let error = RelPReference.relativeError(
        attributor.logitRow(token: target.token), active: attributor.active, row, in: expected)
      if error >= worst.error { worst = ("logit \(target.token)", error) }
    }
    let f = expected.feature
    let address = FeatureAddress(
      layer: f.layer ?? -1, position: f.position ?? -1, index: f.index ?? -1)
    let error = RelPReference.relativeError(
      attributor.featureRow(address), active: attributor.active, f, in: expected)
    if error >= worst.error { worst = ("feature \(address)", error) }
    return worst
  }

  @Test func everyRowIsCompleteInFloat64() throws {
    let reference = try RelPReference.load()
    let models = [
      try AdapterReference.model(adapters: "adapter", as: Double.self),
      try AdapterTestSupport.model(seed: 41),
    ]
    let prompts = [reference.ids, AdapterTestSupport.ids]
    var worst = 0.0
    var rows = 0
    for (model, ids) in zip(models, prompts) {
      let attributor = try Attributor(model: model, ids: ids, context: context)
      for token in 0..<model.configuration.vocabularySize {
        worst = max(worst, attributor.logitRow(token: token).completenessError)
        rows += 1
      }
      for address in attributor.active {
        let row = attributor.featureRow(address)
        worst = max(worst, row.completenessError)
        rows += 1
        // Sources are upstream: earlier layers, same or earlier positions.
        for (source, edge) in zip(attributor.active, row.featureEdges) where edge != 0 {
          #expect(source.layer < address.layer && source.position <= address.position)
        }
      }
    }
    print("relp completeness (Float64): \(rows) rows, worst relative error \(worst)")
    #expect(rows > 100)
    #expect(worst <= 1e-9)
  }

  @Test func theReferenceRowsAreCompleteToo() throws {
    let reference = try RelPReference.load()
    let rows = reference.float64.logits + [reference.float64.feature]
    #expect(rows.allSatisfy { $0.completenessError <= 1e-12 })
    // And the Float32 graph is complete to float32 accuracy.
    let model = try AdapterReference.model(adapters: "adapter", as: Float.self)
    let graph = try Attributor(model: model, ids: reference.ids, context: context)
      .graph(target: .logits)
    print("relp completeness (Float32 graph): \(graph.maximumCompletenessError)")
    #expect(graph.maximumCompletenessError <= 1e-4)
  }

  @Test func theForwardIsTheNormalForwardBitForBit() throws {
    let reference = try RelPReference.load()
    let model = try AdapterReference.model(adapters: "adapter", as: Float.self)
    let attributor = try Attributor(model: model, ids: reference.ids, context: context)
    let blocks = [ReplacementModel<Float>.Block](repeating: .replacement, count: model.layerCount)
    let normal = model.forward(reference.ids, blocks: blocks, context: context)
    #expect(attributor.logits.isBitwiseEqual(to: normal.logits))
    #expect(
      zip(attributor.trace.states, normal.trace.states).allSatisfy { $0.isBitwiseEqual(to: $1) })
    // Attributing (RelP backwards) leaves the forward's values untouched.
    _ = try attributor.graph(target: .logits)
    let again = model.forward(reference.ids, blocks: blocks, context: context)
    #expect(again.logits.isBitwiseEqual(to: normal.logits))
    // And the logit targets' values are the de-meaned logits of that forward.
    for target in attributor.logitTargets(maxCount: 10, probability: 0.95) {
      let row = attributor.logitRow(token: target.token)
      let logits = normal.logits.rows((reference.ids.count - 1)..<reference.ids.count).scalars
      let mean = logits.map(Double.init).reduce(0, +) / Double(logits.count)
      #expect(abs(row.value - (Double(logits[target.token]) - mean)) <= 1e-5)
    }
  }

  @Test func graphsAreBitwiseEqualAtOneAndTwoThreads() throws {
    let reference = try RelPReference.load()
    let model = try AdapterReference.model(adapters: "adapter", as: Float.self)
    var settings = AttributionSettings()
    settings.maxFeatureNodes = 40
    var outputs: [Data] = []
    for threads in [1, 2] {
      let attributor = try Attributor(
        model: model, ids: reference.ids, context: ComputeContext(profile: .exact, threads: threads)
      )
      let graph = try attributor.graph(target: .logits, settings: settings)
      let pruning = AttributionPruning(graph, nodeThreshold: 0.8, edgeThreshold: 0.98)
      outputs.append(
        graph.circuitTracerJSON(
          pruning: pruning, slug: "t", layerCount: model.layerCount, nodeThreshold: 0.8,
          tokenText: { "<\($0)>" }) + graph.dot(pruning: pruning, tokenText: { "<\($0)>" }))
    }
    #expect(outputs[0] == outputs[1])
  }
}
