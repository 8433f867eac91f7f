/// The train/evaluation split of problems, a pure function of the canonical problem text.
///
/// A multi-step problem is held out when `mix(FNV-1a-64(text)) % modulus == 0`. The rule ignores
/// the seed, so the held-out set is a property of the problem space: training data of any seed
/// never contains an evaluation problem. Single-operation facts are never held out (they are
/// the steps every multi-step problem is made of).
public enum OrganismSplit {
  /// Whether `problem` belongs to the evaluation side under `modulus`.
  public static func isHeldOut(_ problem: ArithmeticProblem, modulus: UInt64) -> Bool {
    guard problem.operationCount >= 2, modulus > 0 else { return false }
    return bucket(of: problem.text, modulus: modulus) == 0
  }

  /// The bucket `0..<modulus` of a canonical problem text.
  public static func bucket(of text: String, modulus: UInt64) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    // SplitMix64's finaliser, so that texts differing in the last byte spread over buckets.
    hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
    hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
    hash ^= hash >> 31
    return hash % modulus
  }

  /// The adapter data's train/validation split (METHOD §8.2, ≈ 90/10): the first `⌊0.9·N⌋` of
  /// `items`, in order, train and the rest validate. The one rule for generated sequences and
  /// for the adapter stages' data files.
  public static func trainAndValidation<Item>(_ items: [Item]) -> (
    train: [Item], validation: [Item]
  ) {
    let cut = items.count * 9 / 10
    return (Array(items[..<cut]), Array(items[cut...]))
  }
}
