// One training sequence as the trainer consumes it: the model's inputs and the next-token
// targets, with the tokens that take no part in the loss marked ``Loss/ignoredTarget``.
import VouchEngine

/// Inputs `ids[0..<n−1]` and targets `ids[1..<n]` of one (truncated) token sequence.
public struct OrganismTrainingSequence: Hashable, Sendable {
  /// Which targets count in the loss.
  public enum LossScope: String, Hashable, Sendable {
    /// Only targets inside the response (the prompt `<bos><user>Q<assistant>` is context). The
    /// default for B and R: the question's operands are uniform random draws, so predicting them
    /// only spends capacity, and supervised fine-tuning (R1-Distill's SFT) masks the prompt.
    case response
    /// Every target (METHOD §8.2's adapter-training format: loss on all positions).
    case all
  }

  /// The model's input ids, `[tokens]`.
  public let inputs: [Int]
  /// The id each position should predict next, or ``Loss/ignoredTarget``; same length.
  public let targets: [Int]

  /// A sequence from `ids` (at most `maximumLength` tokens kept) whose first `promptLength` ids
  /// are the prompt. `<pad>` targets are always ignored.
  public init(ids: [Int], promptLength: Int, maximumLength: Int, scope: LossScope) {
    let kept = Array(ids.prefix(max(0, maximumLength)))
    inputs = Array(kept.dropLast())
    targets = kept.indices.dropFirst().map { position in
      let target = kept[position]
      if target == OrganismVocabulary.pad { return Loss.ignoredTarget }
      if scope == .response, position < promptLength { return Loss.ignoredTarget }
      return target
    }
  }

  /// The sequence of an organism example (prompt `<bos><user>Q<assistant>`, response to `<eos>`).
  public init(example: OrganismExample, maximumLength: Int, scope: LossScope = .response) {
    let promptLength = OrganismVocabulary.encode(example.prompt)?.count ?? 0
    self.init(
      ids: example.ids, promptLength: promptLength, maximumLength: maximumLength, scope: scope)
  }

  /// Targets that count in the loss.
  public var countedTargets: Int { targets.filter { $0 != Loss.ignoredTarget }.count }
}
