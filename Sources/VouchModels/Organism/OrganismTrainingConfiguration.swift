/// The knobs of one organism training run (METHOD §3 and §8.3); every default is stated here.
public struct OrganismTrainingConfiguration: Hashable, Sendable {
  /// Which tensors the optimiser updates.
  public enum Mode: String, Hashable, Sendable {
    /// Every tensor (B from scratch; R as a full-parameter fine-tune of B).
    case full
    /// Only each block's `mlp.gate_proj`, `mlp.up_proj` and `mlp.down_proj` weights: the control
    /// variant of METHOD §8.3 (attention, norms, embeddings and LM head stay bit-identical).
    case mlpOnly = "mlp-only"
  }

  /// Seed of the `"data-order"` stream (and, for a model from scratch, of `"init"`).
  public var seed: UInt64 = 0
  /// Full-parameter or MLP-only training.
  public var mode: Mode = .full
  /// Passes over the training sequences; gives `S = ⌊N / batch⌋ · epochs` optimiser steps when
  /// ``steps`` is `nil`, exactly METHOD §3's rule.
  public var epochs = 1
  /// Optimiser steps `S`, overriding ``epochs`` (data then cycles through fresh shuffles).
  public var steps: Int?
  /// Sequences per optimiser step. 1 is METHOD §3's choice; with more, each sequence's
  /// token-mean loss gradient is summed in data order and divided by the batch size (sequences
  /// weigh equally, no padding needed).
  public var batchSize = 1
  /// The peak learning rate. 1e-3: a usual rate for a ~0.2M-parameter transformer trained by
  /// Adam, and METHOD §3's 8e-4 rounded; fine-tunes may pass lower.
  public var learningRate = 1e-3
  /// AdamW's decoupled weight decay λ, on every trained tensor. 0.01 is `torch.optim.AdamW`'s
  /// default ("standard settings", METHOD §8.3); β1 = 0.9, β2 = 0.999, ε = 1e-8 as PyTorch.
  public var weightDecay = 0.01
  /// Global 2-norm clipping threshold over the trained tensors (METHOD §3: 1.0).
  public var maximumGradientNorm = 1.0

  /// The defaults above.
  public init() {}

  /// The optimiser steps for `sequenceCount` training sequences.
  public func totalSteps(sequenceCount: Int) -> Int {
    steps ?? (sequenceCount / max(1, batchSize)) * epochs
  }
}
