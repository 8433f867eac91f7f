/// A counter-based random stream keyed by a seed and a purpose (`"sampling"`, `"init"`, …).
///
/// Value `i` of a stream is a pure function of `(seed, purpose, i)`: SplitMix64's finaliser applied
/// to `key + (i + 1) · γ`, where `key` mixes the seed with the FNV-1a hash of the purpose. Streams
/// with different purposes are independent, and any value can be recomputed on its own, so a run's
/// randomness never depends on what else drew numbers first.
public struct RandomStream: RandomNumberGenerator, Sendable, Hashable {
  /// The run seed.
  public let seed: UInt64
  /// What the stream is for; part of the key.
  public let purpose: String
  /// The index of the next value.
  public private(set) var counter: UInt64
  private let key: UInt64

  /// The stream for `purpose` under `seed`, starting at value `counter`.
  public init(seed: UInt64, purpose: String, counter: UInt64 = 0) {
    self.seed = seed
    self.purpose = purpose
    self.counter = counter
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in purpose.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01B3
    }
    key = RandomStream.mix(seed ^ RandomStream.mix(hash))
  }

  /// Value `index` of the stream, without advancing it.
  public func value(at index: UInt64) -> UInt64 {
    RandomStream.mix(key &+ (index &+ 1) &* 0x9E37_79B9_7F4A_7C15)
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    defer { counter &+= 1 }
    return value(at: counter)
  }

  /// A uniform Double in `[0, 1)` with 53 random bits.
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// SplitMix64's output function.
  static func mix(_ input: UInt64) -> UInt64 {
    var z = input
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
