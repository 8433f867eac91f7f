/// Accuracy recovery of METHOD §5.2 [INFERRED there; the paper's formula was not recovered]:
/// the fraction of the reasoning model's accuracy gain over a floor that another model (the
/// replacement model) achieves, `(acc_model − acc_floor) / (acc_R − acc_floor)`.
///
/// METHOD §8.5 asks for both floors: the base model B and the hybrid H (R with B's MLPs).
public struct OrganismAccuracyRecovery: Hashable, Sendable, Codable {
  /// Recovery with B's accuracy as the floor, or `nil` when R does not differ from B.
  public var overBase: Double?
  /// Recovery with H's accuracy as the floor, or `nil` when R does not differ from H.
  public var overHybrid: Double?

  /// Recovery of `model` against `reasoning` over both floors (accuracies in `[0, 1]`).
  public init(model: Double, reasoning: Double, base: Double, hybrid: Double) {
    overBase = OrganismAccuracyRecovery.recovery(model: model, reasoning: reasoning, floor: base)
    overHybrid = OrganismAccuracyRecovery.recovery(
      model: model, reasoning: reasoning, floor: hybrid)
  }

  /// `(model − floor) / (reasoning − floor)`; `nil` when `reasoning == floor` (no gain to
  /// recover). Not clamped: below 0 means worse than the floor, above 1 better than R.
  public static func recovery(model: Double, reasoning: Double, floor: Double) -> Double? {
    let gain = reasoning - floor
    guard gain != 0 else { return nil }
    return (model - floor) / gain
  }
}
