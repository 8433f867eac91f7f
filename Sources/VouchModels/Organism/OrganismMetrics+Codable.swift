extension OrganismMetrics.Summary: Codable {
  /// Explicit keys so the encoded names are part of the format.
  enum CodingKeys: String, CodingKey {
    case count, accuracy, meanLength, hesitationRate
  }

  /// Decodes a summary from its four keys.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      count: try c.decode(Int.self, forKey: .count),
      accuracy: try c.decode(Double.self, forKey: .accuracy),
      meanLength: try c.decode(Double.self, forKey: .meanLength),
      hesitationRate: try c.decode(Double.self, forKey: .hesitationRate))
  }

  /// Encodes the four numbers as plain JSON numbers.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(count, forKey: .count)
    try c.encode(accuracy, forKey: .accuracy)
    try c.encode(meanLength, forKey: .meanLength)
    try c.encode(hesitationRate, forKey: .hesitationRate)
  }
}
