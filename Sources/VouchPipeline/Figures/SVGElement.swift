/// One SVG element with its attributes in the order given and its children, rendered as
/// indented XML whose bytes depend only on the element (no ids, dates or random values are
/// added).
struct SVGElement: Equatable {
  /// A child: an element or character data.
  enum Node: Equatable {
    case element(SVGElement)
    case text(String)
  }

  /// The tag name (`rect`, `text`, `g`).
  var name: String
  /// Attribute names and values, written in this order, values escaped.
  var attributes: [(String, String)]
  /// The children, in document order.
  var children: [Node]

  /// An element named `name`.
  init(_ name: String, _ attributes: [(String, String)] = [], children: [Node] = []) {
    self.name = name
    self.attributes = attributes
    self.children = children
  }

  /// An element holding only `text` (escaped), such as `<text>` or `<title>`.
  init(_ name: String, _ attributes: [(String, String)] = [], text: String) {
    self.init(name, attributes, children: [.text(text)])
  }

  static func == (lhs: SVGElement, rhs: SVGElement) -> Bool {
    lhs.name == rhs.name && lhs.children == rhs.children
      && lhs.attributes.map { [$0.0, $0.1] } == rhs.attributes.map { [$0.0, $0.1] }
  }

  /// Appends `element` as the last child.
  mutating func append(_ element: SVGElement) { children.append(.element(element)) }

  /// Appends every element of `elements`.
  mutating func append(contentsOf elements: [SVGElement]) {
    children.append(contentsOf: elements.map { .element($0) })
  }

  /// The element as XML, each element on its own line indented by `depth` × 2 spaces; an
  /// element whose children are all text stays on one line.
  func xml(depth: Int = 0) -> String {
    var out = ""
    write(to: &out, depth: depth)
    return out
  }

  private func write(to out: inout String, depth: Int) {
    let indent = String(repeating: "  ", count: depth)
    out += indent + "<" + name
    for (key, value) in attributes {
      out += " " + key + "=\"" + Self.escape(value, attribute: true) + "\""
    }
    if children.isEmpty {
      out += "/>\n"
      return
    }
    let textOnly = children.allSatisfy {
      if case .text = $0 { return true }
      return false
    }
    if textOnly {
      out += ">"
      for case .text(let text) in children { out += Self.escape(text, attribute: false) }
      out += "</" + name + ">\n"
      return
    }
    out += ">\n"
    for child in children {
      switch child {
      case .element(let element): element.write(to: &out, depth: depth + 1)
      case .text(let text):
        out += indent + "  " + Self.escape(text, attribute: false) + "\n"
      }
    }
    out += indent + "</" + name + ">\n"
  }

  /// `text` with XML's special characters as entities; characters XML 1.0 forbids (control
  /// characters other than tab, newline and carriage return) become U+FFFD. In attributes,
  /// quotes, tabs and newlines are escaped too, so they survive attribute normalisation.
  static func escape(_ text: String, attribute: Bool) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"" where attribute: out += "&quot;"
      case "'" where attribute: out += "&apos;"
      case "\t" where attribute: out += "&#9;"
      case "\n" where attribute: out += "&#10;"
      case "\r": out += "&#13;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      default:
        let value = scalar.value
        let forbidden =
          value < 0x20 || (0xFFFE...0xFFFF).contains(value) || (0xD800...0xDFFF).contains(value)
        out.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
      }
    }
    return out
  }
}
