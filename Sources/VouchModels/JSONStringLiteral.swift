/// JSON string literals for the JSON that VouchModels writes by hand (safetensors headers,
/// `tokenizer.json`), where the exact bytes matter and must match the Python writers'.
enum JSONStringLiteral {
  /// `text` as a JSON string literal, escaped as serde_json does: `"`, `\\`, `\n`, `\r`, `\t`,
  /// `\b`, `\f` by name, other control characters as `\u00XX`, everything else raw UTF-8.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
