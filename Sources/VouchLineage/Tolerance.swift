/// How far a reproduced claim value may lie from the recorded one.
///
/// With neither bound the claim must reproduce exactly (bit for bit). With one or both, a value
/// is within tolerance when `|Δ| ≤ abs` or `|Δ| ≤ rel · |recorded|`.
public struct Tolerance: Hashable, Sendable {
  /// Largest admissible absolute difference.
  public var absolute: ExactFloat?
  /// Largest admissible difference relative to the recorded value's magnitude.
  public var relative: ExactFloat?

  /// Bit-for-bit equality.
  public static let exact = Tolerance(absolute: nil, relative: nil)

  /// Creates a tolerance; both `nil` means exact.
  public init(absolute: ExactFloat?, relative: ExactFloat?) {
    self.absolute = absolute
    self.relative = relative
  }

  /// Whether the tolerance demands bitwise equality.
  public var isExact: Bool { absolute == nil && relative == nil }

  /// Whether `reproduced` is acceptable against `recorded`; with a `direction`, a change in the
  /// favourable direction is always acceptable.
  public func admits(recorded: Double, reproduced: Double, direction: ClaimDirection?) -> Bool {
    if recorded.bitPattern == reproduced.bitPattern { return true }
    let delta = reproduced - recorded
    switch direction {
    case .atLeast where delta >= 0: return true
    case .atMost where delta <= 0: return true
    default: break
    }
    if let absolute, abs(delta) <= absolute.value { return true }
    if let relative, abs(delta) <= relative.value * abs(recorded) { return true }
    return false
  }

  /// `exact`, `abs 1e-06`, `rel 0.01`, `abs 1e-06 or rel 0.01`.
  public var summary: String {
    switch (absolute, relative) {
    case (nil, nil): "exact"
    case (let a?, nil): "abs \(a)"
    case (nil, let r?): "rel \(r)"
    case (let a?, let r?): "abs \(a) or rel \(r)"
    }
  }
}

extension Tolerance: Codable {
  private enum CodingKeys: String, CodingKey { case abs, rel }

  /// Reads `"exact"` or `{"abs": "…", "rel": "…"}`.
  public init(from decoder: Decoder) throws {
    if let text = try? decoder.singleValueContainer().decode(String.self) {
      guard text == "exact" else {
        throw DecodingError.dataCorrupted(
          .init(
            codingPath: decoder.codingPath,
            debugDescription: "tolerance '\(text)' is neither \"exact\" nor {abs, rel}"))
      }
      self = .exact
      return
    }
    let container = try decoder.container(keyedBy: CodingKeys.self)
    absolute = try container.decodeIfPresent(ExactFloat.self, forKey: .abs)
    relative = try container.decodeIfPresent(ExactFloat.self, forKey: .rel)
  }

  /// Writes `"exact"` or `{"abs": "…", "rel": "…"}`.
  public func encode(to encoder: Encoder) throws {
    if isExact {
      var container = encoder.singleValueContainer()
      try container.encode("exact")
      return
    }
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(absolute, forKey: .abs)
    try container.encodeIfPresent(relative, forKey: .rel)
  }
}

/// A one-sided claim: a change in the favourable direction always counts as reproduced.
public enum ClaimDirection: String, Hashable, Sendable, Codable, CaseIterable {
  /// The claim is a lower bound: higher reproduced values are fine (accuracy, say).
  case atLeast = "at-least"
  /// The claim is an upper bound: lower reproduced values are fine (a loss, say).
  case atMost = "at-most"
}
