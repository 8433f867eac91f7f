import Foundation

/// The data file beside each figure: RFC 4180 CSV with a header row, `\n` line ends and numbers
/// in ``SVGNumber/exact(_:)`` form, so a reader can re-plot exactly what was drawn.
enum FigureCSV {
  /// `rows` (the header first) as CSV text ending in a newline.
  static func text(_ rows: [[String]]) -> String {
    rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }

  /// One field, quoted when it holds a comma, a quote or a line break.
  static func field(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else {
      return value
    }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
