import Foundation

/// Maps data values to pixels along one axis and chooses its ticks at "nice" numbers: 1, 2 or
/// 5 times a power of ten on a linear axis, the powers of ten on a logarithmic one.
struct AxisScale {
  /// The data range the axis spans (widened to whole ticks).
  let lower: Double
  /// The top of the data range.
  let upper: Double
  /// Logarithmic (base 10) instead of linear.
  let logarithmic: Bool
  /// The tick values, ascending, all within `lower…upper`.
  let ticks: [Double]
  /// Decimal places of the tick labels (per tick on a log axis).
  private let places: [Int]

  /// A scale covering `values`.
  /// - Parameters:
  ///   - values: the data on this axis, finite (positive on a log axis).
  ///   - logarithmic: base-10 log axis.
  ///   - includeZero: stretch a linear axis to 0 (bars start at 0).
  ///   - padded: leave half a tick step beyond the data on each end (points on a scatter
  ///     plot should not sit on the frame).
  init(covering values: [Double], logarithmic: Bool, includeZero: Bool, padded: Bool = false) {
    self.logarithmic = logarithmic
    if logarithmic {
      let positive = values.filter { $0 > 0 }
      let low = floor(log10(positive.min() ?? 1))
      var high = ceil(log10(positive.max() ?? 10))
      if high <= low { high = low + 1 }
      let exponents = Array(Int(low)...Int(high))
      lower = pow(10, low)
      upper = pow(10, high)
      ticks = exponents.map { pow(10, Double($0)) }
      places = exponents.map { max(0, -$0) }
      return
    }
    var low = values.min() ?? 0
    var high = values.max() ?? 1
    if includeZero {
      low = min(low, 0)
      high = max(high, 0)
    }
    if high == low {
      let spread = low == 0 ? 1 : low.magnitude / 2
      (low, high) = (includeZero && low >= 0 ? low : low - spread, high + spread)
      if includeZero, low > 0 { low = 0 }
    }
    let step = Self.niceStep((high - low) / 5)
    var first = floor(low / step)
    var last = ceil(high / step)
    if padded {
      if low - first * step < step / 2 { first -= 0.5 }
      if last * step - high < step / 2 { last += 0.5 }
      if includeZero, low >= 0, first < 0 { first = 0 }
    }
    let (bottom, top) = (first * step, last * step)
    lower = bottom
    upper = top
    let count = Int((ceil(last) - ceil(first)).rounded()) + 1
    ticks = (0..<count).map { (ceil(first) + Double($0)) * step }.filter {
      $0 >= bottom - step * 1e-9 && $0 <= top + step * 1e-9
    }
    places = Array(repeating: SVGNumber.decimals(forStep: step), count: ticks.count)
  }

  /// 1, 2 or 5 × 10ⁿ nearest `raw` (on a log scale: the thresholds are 1.5, 3 and 7), so an
  /// axis gets 4 to 10 ticks.
  static func niceStep(_ raw: Double) -> Double {
    guard raw.isFinite, raw > 0 else { return 1 }
    let magnitude = pow(10, floor(log10(raw)))
    let normalised = raw / magnitude
    let factor: Double = normalised < 1.5 ? 1 : normalised < 3 ? 2 : normalised < 7 ? 5 : 10
    return factor * magnitude
  }

  /// Where `value` falls between `start` (at `lower`) and `end` (at `upper`) in pixels.
  func position(_ value: Double, from start: Double, to end: Double) -> Double {
    let fraction: Double
    if logarithmic {
      let (a, b) = (log10(lower), log10(upper))
      fraction = value > 0 ? (log10(value) - a) / (b - a) : 0
    } else {
      fraction = upper == lower ? 0 : (value - lower) / (upper - lower)
    }
    return start + (end - start) * fraction
  }

  /// The label of tick `index`, in fixed notation.
  func label(_ index: Int) -> String {
    SVGNumber.text(ticks[index], decimals: places[index], fixed: !logarithmic)
  }
}
