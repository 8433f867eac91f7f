import Foundation

/// A small HTML writer that escapes every text and attribute value it is given.
///
/// JohnSundell/Plot (mirrored here, 0.14.0) was the first choice, but it writes attribute values
/// unescaped (a `"` in a claim name or path would end the attribute) and lets entity-looking text
/// such as `&lt;` through as markup, and a report renders names and paths from manifests that
/// someone else may have written. Tag and attribute *names* come from this module's code only;
/// everything else goes through ``escapeText(_:)`` or ``escapeAttribute(_:)``.
struct HTMLWriter {
  /// The markup written so far.
  private(set) var output = ""

  /// Elements that have no end tag.
  private static let voidElements: Set<String> = ["br", "hr", "img", "link", "meta"]

  /// `text` safe inside an element: `&`, `<` and `>` as entities, C0 control characters other
  /// than tab and newline (invalid in HTML) as U+FFFD.
  static func escapeText(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\t", "\n": escaped.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || scalar.value == 0x7F: escaped += "\u{FFFD}"
      default: escaped.unicodeScalars.append(scalar)
      }
    }
    return escaped
  }

  /// `value` safe inside a double-quoted attribute: ``escapeText(_:)`` plus `"` and `'`.
  static func escapeAttribute(_ value: String) -> String {
    escapeText(value).replacingOccurrences(of: "\"", with: "&quot;")
      .replacingOccurrences(of: "'", with: "&#39;")
  }

  /// Appends markup as it is: only for strings this module builds (the doctype, generated SVG).
  mutating func raw(_ markup: String) { output += markup }

  /// Appends escaped text.
  mutating func text(_ text: String) { output += Self.escapeText(text) }

  /// Appends a start tag with `attributes` (pairs with a `nil` value are left out).
  mutating func open(_ tag: String, _ attributes: [(String, String?)] = []) {
    output += "<" + tag
    for (name, value) in attributes {
      guard let value else { continue }
      output += " \(name)=\"\(Self.escapeAttribute(value))\""
    }
    output += ">"
  }

  /// Appends an end tag.
  mutating func close(_ tag: String) { output += "</\(tag)>" }

  /// Appends an element holding escaped `text` (a void element ignores it).
  mutating func element(_ tag: String, _ attributes: [(String, String?)] = [], text: String = "") {
    open(tag, attributes)
    guard !Self.voidElements.contains(tag) else { return }
    self.text(text)
    close(tag)
  }

  /// Appends an element whose content `body` writes.
  mutating func element(
    _ tag: String, _ attributes: [(String, String?)] = [], body: (inout HTMLWriter) -> Void
  ) {
    open(tag, attributes)
    body(&self)
    close(tag)
  }

  /// A relative URL made of `components`, each percent-encoded (so a path holding `#`, `?`, `%`
  /// or a space still names its file).
  static func href(_ components: [String]) -> String {
    components.map { component in
      var encoded = ""
      for byte in component.utf8 {
        let isSafe =
          (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
          || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E || byte == 0x5F
          || byte == 0x7E
        encoded += isSafe ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
      }
      return encoded
    }.joined(separator: "/")
  }
}
