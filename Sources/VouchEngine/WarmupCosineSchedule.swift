#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The linear warm-up then half-cosine decay of `METHOD.md` §3: Hugging Face's
/// `get_cosine_schedule_with_warmup` (`num_cycles = 0.5`) as a `LambdaLR` multiplier.
///
/// For the 0-based optimiser step `s`, warm-up `W` and total `S` steps:
/// `m(s) = s / max(1, W)` for `s < W`, else
/// `m(s) = max(0, ½·(1 + cos(π · 2 · 0.5 · (s − W) / max(1, S − W))))`.
/// So `m(0) = 0` (the first update uses lr 0), `m(W) = 1`, `m(S) = 0`. Computed in `Double` in
/// the same operation order as the Python lambda, so `baseRate · m(s)` is the same double PyTorch
/// hands the optimiser. Past `S` the multiplier follows the cosine back up, exactly as Hugging
/// Face's does; trainers stop at `S`.
public struct WarmupCosineSchedule: Sendable, Hashable {
  /// `W`, the warm-up steps.
  public let warmupSteps: Int
  /// `S`, the total optimiser steps.
  public let totalSteps: Int

  /// A schedule over `totalSteps` steps whose first `warmupSteps` ramp up linearly.
  public init(warmupSteps: Int, totalSteps: Int) {
    precondition(warmupSteps >= 0 && totalSteps >= 0, "negative step counts")
    self.warmupSteps = warmupSteps
    self.totalSteps = totalSteps
  }

  /// `METHOD.md`'s choice: `W = ⌊0.05·S⌋`.
  public init(totalSteps: Int) {
    self.init(warmupSteps: totalSteps * 5 / 100, totalSteps: totalSteps)
  }

  /// The multiplier `m(step)` for the 0-based optimiser step.
  public func multiplier(atStep step: Int) -> Double {
    if step < warmupSteps { return Double(step) / Double(max(1, warmupSteps)) }
    let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
    return max(0, 0.5 * (1 + cos(Double.pi * 0.5 * 2 * progress)))
  }

  /// `baseRate · m(step)`, the learning rate of the 0-based optimiser step.
  public func learningRate(base baseRate: Double, atStep step: Int) -> Double {
    baseRate * multiplier(atStep: step)
  }
}
