/// The knobs of one adapter training run (METHOD.md §3, §8.4); every default is stated here.
public struct AdapterTrainingConfiguration: Hashable, Sendable {
  /// Seed of the `"data-order"` and `"bridging-cutoff"` streams (the adapters' own
  /// `"adapter-init"` stream is the model's, see ``ReplacementModel``).
  public var seed: UInt64 = 0
  /// Passes over the sequences: `S = N · epochs` optimiser steps (batch 1) unless ``steps``
  /// is set.
  public var epochs = 1
  /// Optimiser steps `S`, overriding ``epochs`` (the data then cycles through fresh shuffles).
  public var steps: Int?
  /// The peak learning rate (METHOD §3: 8e-4 for every 7B run).
  public var learningRate = 8e-4
  /// The global gradient-norm clipping threshold (METHOD §3: 1.0).
  public var maximumGradientNorm = 1.0
  /// The loss weights and cutoff support (the released code's by default).
  public var objective = AdapterObjective()

  /// The defaults above.
  public init() {}

  /// `S` for `sequenceCount` training sequences (batch size 1).
  public func totalSteps(sequenceCount: Int) -> Int { steps ?? sequenceCount * epochs }
}
