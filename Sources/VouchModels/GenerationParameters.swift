/// How to continue a prompt: greedy (`temperature == 0`) or seeded temperature sampling.
public struct GenerationParameters: Sendable, Hashable, Codable {
  /// Most tokens to append.
  public var maxNewTokens: Int
  /// Softmax temperature; `0` picks the most likely token (lowest id on ties).
  public var temperature: Double
  /// Seed of the `"sampling"` ``VouchEngine/RandomStream`` (unused when greedy).
  public var seed: UInt64
  /// Generation stops after emitting any of these (the stop token is included in the output).
  public var stopTokens: Set<Int>

  /// Parameters; `temperature` must be ≥ 0 and `maxNewTokens` ≥ 0.
  public init(
    maxNewTokens: Int, temperature: Double = 0, seed: UInt64 = 0, stopTokens: Set<Int> = []
  ) {
    precondition(maxNewTokens >= 0 && temperature >= 0, "invalid generation parameters")
    self.maxNewTokens = maxNewTokens
    self.temperature = temperature
    self.seed = seed
    self.stopTokens = stopTokens
  }
}
