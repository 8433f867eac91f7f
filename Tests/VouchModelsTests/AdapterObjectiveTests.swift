import Testing
import VouchEngine
import VouchEngineTestSupport
import VouchTestSupport

@testable import VouchModels

/// The adapter objective (METHOD §2): Float64 finite-difference checks of the total and of each
/// term alone for every cutoff, and the invariants of METHOD §10.2–§10.4.
@Suite("Adapter objective")
struct AdapterObjectiveTests {
  let context = ComputeContext(profile: .exact, threads: 2)

  /// The objective with only one term switched on (or all of them).
  static func objective(_ term: String) -> AdapterObjective {
    var objective = AdapterObjective()
    objective.sparsityWeight = 0.3
    guard term != "all" else { return objective }
    objective.outputWeight = term == "output" ? 1 : 0
    objective.sparsityWeight = term == "sparsity" ? 0.3 : 0
    objective.nmseWeight = term == "nmse" ? 1 : 0
    objective.bridgingWeight = term == "bridging" ? 2 : 0
    return objective
  }

  /// Every adapter tensor of every layer, for every cutoff `k ∈ {0, 1, 2}` and every term.
  @Test(arguments: ["all", "output", "sparsity", "nmse", "bridging"], 0...2)
  func gradientMatchesFiniteDifferences(term: String, cutoff: Int) throws {
    let model = try AdapterTestSupport.model(seed: 91, featureCount: 6)
    let objective = Self.objective(term)
    let ids = AdapterTestSupport.ids
    let gradients = objective.evaluate(model, ids: ids, cutoff: cutoff, context: context).gradients
    var worst = (name: "", error: 0.0)
    for layer in model.adapters.indices {
      for (name, path) in TranscoderAdapter<Double>.namedPaths {
        let error = GradientCheck.relativeError(
          at: model.adapters[layer][keyPath: path], analytic: gradients[layer][keyPath: path]
        ) { tensor in
          var perturbed = model
          perturbed.adapters[layer][keyPath: path] = tensor
          return objective.evaluate(perturbed, ids: ids, cutoff: cutoff, context: context)
            .terms.total
        }
        if error > worst.error { worst = ("\(layer).\(name)", error) }
      }
    }
    #expect(worst.error <= 1e-7, "\(term) k=\(cutoff): \(worst)")
  }

  /// METHOD §10.3: a2r(L) = r2a(0) = L_out (bit for bit: the same passes), NMSE_0 = 0, all KL
  /// terms ≥ 0, and the total is the weighted sum of the terms.
  @Test func edgeCutoffsDuplicateTheOutputKL() throws {
    let model = try AdapterTestSupport.model(seed: 92)
    let objective = AdapterObjective()
    let ids = AdapterTestSupport.ids
    let first = objective.evaluate(model, ids: ids, cutoff: 0, context: context).terms
    let last = objective.evaluate(model, ids: ids, cutoff: 2, context: context).terms
    let middle = objective.evaluate(model, ids: ids, cutoff: 1, context: context).terms
    #expect(first.adapterToTargetKL == nil && last.targetToAdapterKL == nil)
    #expect(first.targetToAdapterKL == first.outputKL)
    #expect(last.adapterToTargetKL == last.outputKL)
    for terms in [first, middle, last] {
      #expect(terms.nmse.count == 3 && terms.nmse[0] == 0)
      let kls = [terms.outputKL, terms.adapterToTargetKL, terms.targetToAdapterKL]
      #expect(kls.compactMap { $0 }.allSatisfy { $0 > 0 })
      let expected =
        terms.outputKL + 1e-3 * terms.totalSparsity + terms.meanNMSE
        + 2 * ((terms.adapterToTargetKL ?? 0) + (terms.targetToAdapterKL ?? 0))
      #expect(abs(terms.total - expected) <= 1e-12 * expected)
    }
  }

  /// METHOD §10.4: at the METHOD init (`W_dec = 0`) the encoder's gradient is exactly 0 and the
  /// zero decoder norms give no NaN; the decoder does get a gradient.
  @Test(arguments: 0...2)
  func encoderGradientIsExactlyZeroWhileTheDecoderIsZero(cutoff: Int) throws {
    let pair = try AdapterTestSupport.model(seed: 93)
    let model = try ReplacementModel(
      target: pair.target.converted(to: Float.self), base: pair.hybrid.converted(to: Float.self),
      featureCount: 16, seed: 4)
    var objective = AdapterObjective()
    objective.sparsityWeight = 0.5
    let result = objective.evaluate(
      model, ids: AdapterTestSupport.ids, cutoff: cutoff, context: context)
    for gradient in result.gradients {
      #expect(gradient.encoderWeight.scalars.allSatisfy { $0 == 0 })
      #expect(gradient.encoderBias.scalars.allSatisfy { $0 == 0 })
      #expect(gradient.decoderWeight.scalars.allSatisfy { $0.isFinite })
      #expect(gradient.decoderWeight.scalars.contains { $0 != 0 })
    }
    #expect(result.terms.sparsity.allSatisfy { $0 == 0 })
    #expect(result.terms.activeFeatures.allSatisfy { $0 > 0 })
  }

  /// METHOD §10.2: with B's MLPs := R's and a zero adapter every loss term is exactly 0.
  @Test func identicalMLPsAndAZeroAdapterGiveZeroLoss() throws {
    let target = AdapterTestSupport.parameters(seed: 94).converted(to: Float.self)
    let model = try ReplacementModel(target: target, base: target, featureCount: 16, seed: 5)
    for cutoff in 0...2 {
      let terms = AdapterObjective().evaluate(
        model, ids: AdapterTestSupport.ids, cutoff: cutoff, context: context
      ).terms
      #expect(terms.outputKL == 0 && terms.nmse.allSatisfy { $0 == 0 })
      #expect((terms.adapterToTargetKL ?? 0) == 0 && (terms.targetToAdapterKL ?? 0) == 0)
      #expect(terms.total == 0)
    }
  }

  /// Bridging off (METHOD §8.5's `n_cutoffs = 0`): no bridging passes, the same gradients as
  /// the released objective without the bridging terms.
  @Test func noBridgingSkipsTheTails() throws {
    let model = try AdapterTestSupport.model(seed: 96)
    var off = AdapterObjective()
    off.bridgingWeight = 0
    for cutoff in 0...2 {
      let result = off.evaluate(
        model, ids: AdapterTestSupport.ids, cutoff: cutoff, context: context)
      #expect(result.terms.adapterToTargetKL == nil && result.terms.targetToAdapterKL == nil)
      let full = AdapterObjective().evaluate(
        model, ids: AdapterTestSupport.ids, cutoff: cutoff, context: context)
      let bridges = (full.terms.adapterToTargetKL ?? 0) + (full.terms.targetToAdapterKL ?? 0)
      #expect(abs(result.terms.total - (full.terms.total - 2 * bridges)) <= 1e-12)
    }
  }

  /// A disabled adapter takes no part: no sparsity, no L0, a zero gradient.
  @Test func disabledAdapterGetsNoGradient() throws {
    var model = try AdapterTestSupport.model(seed: 95)
    model.adapterEnabled[0] = false
    let result = AdapterObjective().evaluate(
      model, ids: AdapterTestSupport.ids, cutoff: 1, context: context)
    #expect(result.terms.sparsity[0] == 0 && result.terms.activeFeatures[0] == 0)
    for (_, path) in TranscoderAdapter<Double>.namedPaths {
      #expect(result.gradients[0][keyPath: path].scalars.allSatisfy { $0 == 0 })
      #expect(result.gradients[1][keyPath: path].scalars.contains { $0 != 0 })
    }
  }

  /// The released support is {0…L}, the paper's {1…L}; draws are seeded and cover the support.
  @Test func cutoffsAreSeededAndCoverTheirSupport() {
    for (objective, support) in [
      (AdapterObjective(), 0...4), (AdapterObjective.paper(), 1...4),
    ] {
      #expect(objective.cutoffs(layerCount: 4) == support)
      var stream = RandomStream(seed: 11, purpose: "bridging-cutoff")
      var again = stream
      let draws = (0..<500).map { _ in objective.sampleCutoff(layerCount: 4, stream: &stream) }
      let repeated = (0..<500).map { _ in objective.sampleCutoff(layerCount: 4, stream: &again) }
      #expect(draws == repeated)
      for k in support {
        let share = Double(draws.filter { $0 == k }.count) / 500
        #expect(abs(share - 1 / Double(support.count)) < 0.07, "k = \(k): \(share)")
      }
      #expect(draws.allSatisfy(support.contains))
    }
    #expect(AdapterObjective.paper().bridgingWeight == 1)
  }
}
