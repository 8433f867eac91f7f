import Foundation
import Testing
import VouchEngine
import VouchTestSupport

/// `Tests/Fixtures/adam/trajectory.json`, written by `scripts/fixtures/adam.py` from PyTorch.
private struct Trajectory: Decodable {
  struct Hyper: Decodable {
    let lr, beta1, beta2, eps: Double
    let weight_decay: Double
    let warmup_steps, total_steps: Int
    let max_norm: Double
  }
  struct Step: Decodable {
    let lr: Double
    let gradients: [[Float]]
    let total_norm: Double
    let parameters: [[Float]]
  }
  let hyper: Hyper
  let shapes: [[Int]]
  let initial: [[Float]]
  let steps: [Step]

  static func load(_ name: String) throws -> Trajectory {
    let data = try Data(contentsOf: Fixtures.url("adam/\(name)"))
    return try JSONDecoder().decode(Trajectory.self, from: data)
  }
}

@Suite("AdamW, schedule and clipping against torch.optim.AdamW")
struct AdamWTests {
  /// ε = 1e-8 (the default) and ε = 1e-2, where ε's place (outside the square root) shows.
  @Test(arguments: ["trajectory.json", "trajectory-large-eps.json"])
  func trajectoryMatchesPyTorchWithin1e6(file: String) throws {
    let fixture = try Trajectory.load(file)
    let hyper = fixture.hyper
    let optimizer = AdamW<Float>(
      beta1: hyper.beta1, beta2: hyper.beta2, epsilon: hyper.eps, weightDecay: hyper.weight_decay)
    let schedule = WarmupCosineSchedule(
      warmupSteps: hyper.warmup_steps, totalSteps: hyper.total_steps)
    var parameters = zip(fixture.shapes, fixture.initial).map { Tensor(shape: $0, scalars: $1) }
    var states = parameters.map(optimizer.makeState(for:))
    var worst: Double = 0
    for (index, step) in fixture.steps.enumerated() {
      let rate = schedule.learningRate(base: hyper.lr, atStep: index)
      #expect(abs(rate - step.lr) <= 1e-15 * max(1, step.lr), "lr at step \(index)")
      var gradients = zip(fixture.shapes, step.gradients).map { Tensor(shape: $0, scalars: $1) }
      let total = GradientClipping.clipGlobalNorm(&gradients, maxNorm: hyper.max_norm)
      #expect(abs(Double(total) - step.total_norm) <= 1e-6 * step.total_norm)
      for slot in parameters.indices {
        optimizer.update(
          &parameters[slot], gradient: gradients[slot], state: &states[slot], learningRate: rate)
        for (mine, theirs) in zip(parameters[slot].scalars, step.parameters[slot]) {
          worst = max(worst, Double(abs(mine - theirs)))
        }
      }
      #expect(worst <= 1e-6, "step \(index): max |Δp| \(worst)")
    }
    #expect(states.allSatisfy { $0.step == fixture.steps.count })
  }

  @Test func scheduleEndpoints() {
    let schedule = WarmupCosineSchedule(totalSteps: 200)
    #expect(schedule.warmupSteps == 10)
    #expect(schedule.multiplier(atStep: 0) == 0)
    #expect(schedule.multiplier(atStep: 5) == 0.5)
    #expect(schedule.multiplier(atStep: 10) == 1)
    #expect(schedule.multiplier(atStep: 200) == 0)
    let middle = schedule.multiplier(atStep: 105)
    #expect(abs(middle - 0.5) < 1e-12)
  }

  @Test func zeroRateStillAdvancesStepAndMoments() {
    let optimizer = AdamW<Float>(weightDecay: 0.5)
    var parameter = Tensor<Float>(shape: [3], scalars: [1, -2, 3])
    let before = parameter
    var state = optimizer.makeState(for: parameter)
    let gradient = Tensor<Float>(shape: [3], scalars: [0.5, 0.25, -1])
    optimizer.update(&parameter, gradient: gradient, state: &state, learningRate: 0)
    #expect(parameter.isBitwiseEqual(to: before))
    #expect(state.step == 1)
    #expect(state.firstMoment.scalars.allSatisfy { $0 != 0 })
  }

  @Test func clippingLeavesSmallGradientsUntouched() {
    var gradients = [Tensor<Float>(shape: [2], scalars: [0.3, 0.4])]
    let original = gradients[0]
    let total = GradientClipping.clipGlobalNorm(&gradients, maxNorm: 1)
    #expect(abs(total - 0.5) < 1e-7)
    #expect(gradients[0].isBitwiseEqual(to: original))
    var large = [Tensor<Float>(shape: [1], scalars: [3]), Tensor<Float>(shape: [1], scalars: [4])]
    GradientClipping.clipGlobalNorm(&large, maxNorm: 1)
    #expect(abs(large[0].scalars[0] - 0.6) < 1e-6 && abs(large[1].scalars[0] - 0.8) < 1e-6)
  }
}
