/// Locale-free decimal text for figures: the same bytes on every machine, never an exponent.
///
/// `String(format:)` and `NumberFormatter` follow the process's locale (a comma in German) and
/// switch to exponents; figures are hashed, so their numbers come from integer arithmetic here.
enum SVGNumber {
  /// The largest magnitude written, so the scaled value stays an exact integer.
  private static let limit = 1e15

  /// `value` rounded to at most `decimals` places, half away from zero, trailing zeros
  /// dropped unless `fixed`: `12.5`, `3`, `-0.25`, `0` (never `-0`); fixed: `12.50`, `3.00`.
  /// - Parameters:
  ///   - value: a finite number; non-finite values and magnitudes above 10¹⁵ are clamped, as
  ///     figures check their data before drawing.
  ///   - decimals: 0…12 places.
  ///   - fixed: keep exactly `decimals` places (tick labels of one axis line up).
  /// - Returns: the decimal text.
  static func text(_ value: Double, decimals: Int = 2, fixed: Bool = false) -> String {
    let places = min(max(decimals, 0), 12)
    var scale: Double = 1
    for _ in 0..<places { scale *= 10 }
    let clamped = value.isFinite ? min(max(value, -limit), limit) : 0
    var scaled = (clamped * scale).rounded(.toNearestOrAwayFromZero)
    // Beyond 2^53 the product is no longer exact: fewer places then.
    var kept = places
    while scaled.magnitude >= 9e15, kept > 0 {
      kept -= 1
      scale /= 10
      scaled = (clamped * scale).rounded(.toNearestOrAwayFromZero)
    }
    let integer = Int64(scaled)
    let digits = String(integer.magnitude)
    let sign = integer < 0 ? "-" : ""
    guard kept > 0 else { return sign + digits }
    let padded = String(repeating: "0", count: max(0, kept + 1 - digits.count)) + digits
    let whole = padded.dropLast(kept)
    var fraction = Substring(padded.suffix(kept))
    if !fixed {
      if integer == 0 { return "0" }
      fraction = Substring(fraction.reversed().drop { $0 == "0" }.reversed())
    }
    return sign + whole + (fraction.isEmpty ? "" : "." + fraction)
  }

  /// The places needed to tell ticks `step` apart: `0.05` → 2, `0.2` → 1, `5` → 0.
  static func decimals(forStep step: Double) -> Int {
    guard step.isFinite, step > 0 else { return 0 }
    var places = 0
    var scaled = step
    // Up to 12 places: multiply until the step is (close to) a whole number.
    while places < 12, (scaled - scaled.rounded()).magnitude > scaled * 1e-9 {
      scaled *= 10
      places += 1
    }
    return places
  }

  /// A number for a CSV cell: integers as integers, other numbers as the shortest decimal that
  /// reads back as the same binary64 (Swift's own algorithm, not the locale's).
  static func exact(_ value: Double) -> String {
    if value == 0 { return "0" }
    if value == value.rounded(), value.magnitude < 1e15 { return String(Int64(value)) }
    return value.description
  }
}
