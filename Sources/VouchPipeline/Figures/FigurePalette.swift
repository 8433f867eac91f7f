/// The colours figures use, all safe for the common colour-vision deficiencies.
///
/// Series take the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), in an order
/// that puts the most distinct colours first and yellow, weak on white, last; series beyond the
/// first four are also dashed in line charts, so they differ in more than hue. Heat maps use
/// viridis (perceptually uniform, readable in grey scale) through nine anchor colours.
enum FigurePalette {
  /// Okabe–Ito colours by name, as pipeline files may name them (`color = "vermillion"`).
  static let named: [(name: String, hex: String)] = [
    ("blue", "#0072B2"), ("orange", "#E69F00"), ("bluish-green", "#009E73"),
    ("vermillion", "#D55E00"), ("reddish-purple", "#CC79A7"), ("sky-blue", "#56B4E9"),
    ("black", "#000000"), ("yellow", "#F0E442"),
  ]

  /// How many series a figure may have: one per colour.
  static var seriesLimit: Int { named.count }

  /// The colour of series `index` (0-based), cycling if a caller exceeds ``seriesLimit``.
  static func series(_ index: Int) -> String { named[index % named.count].hex }

  /// The hex colour named `name`, or `nil`.
  static func color(named name: String) -> String? {
    named.first { $0.name == name }?.hex
  }

  /// Axis lines, tick marks and text.
  static let ink = "#222222"
  /// Grid lines.
  static let grid = "#dddddd"

  /// Viridis anchors at 0, 1/8, …, 1 (matplotlib's `viridis`, sampled).
  private static let viridis: [(Double, Double, Double)] = [
    (0x44, 0x01, 0x54), (0x47, 0x2D, 0x7B), (0x3B, 0x52, 0x8B), (0x2C, 0x72, 0x8E),
    (0x21, 0x90, 0x8C), (0x27, 0xAD, 0x81), (0x5D, 0xC8, 0x63), (0xAA, 0xDC, 0x32),
    (0xFD, 0xE7, 0x25),
  ]

  /// The viridis colour at `fraction` (clamped to 0…1) as `#rrggbb`, and whether text on it
  /// should be dark (its luminance is high) or light.
  static func sequential(_ fraction: Double) -> (hex: String, darkText: Bool) {
    let t = fraction.isFinite ? min(max(fraction, 0), 1) : 0
    let position = t * Double(viridis.count - 1)
    let lower = min(Int(position), viridis.count - 2)
    let mix = position - Double(lower)
    let (a, b) = (viridis[lower], viridis[lower + 1])
    let channels = [a.0 + (b.0 - a.0) * mix, a.1 + (b.1 - a.1) * mix, a.2 + (b.2 - a.2) * mix]
      .map { Int($0.rounded(.toNearestOrAwayFromZero)) }
    let hex = channels.map { value -> String in
      let digits = String(value, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }
    let luminance =
      (0.2126 * Double(channels[0]) + 0.7152 * Double(channels[1]) + 0.0722
        * Double(channels[2])) / 255
    return ("#" + hex.joined(), luminance > 0.45)
  }
}
