/// A standalone SVG 1.1 document: the XML declaration, `xmlns`, `width`, `height` and `viewBox`,
/// then `<title>` and `<desc>` for screen readers, then the drawing.
///
/// The bytes are a pure function of the fields: numbers go through ``SVGNumber`` and the
/// accessibility ids derive from the title and description (FNV-1a), so two documents embedded
/// in one HTML page get distinct ids without anything random.
struct SVGDocument {
  /// The canvas size in pixels (user units equal pixels: `viewBox="0 0 width height"`).
  var width: Double
  /// The canvas height in pixels.
  var height: Double
  /// The figure's title (its accessible name).
  var title: String
  /// A description for screen readers: what is plotted, the axes and where the data is.
  var description: String
  /// The drawing, in painting order.
  var body: [SVGElement]

  /// The font stack every figure uses (DejaVu Sans ships with Debian and most browsers).
  static let fontFamily = "DejaVu Sans, Verdana, Arial, sans-serif"

  /// The document's text, ending in a newline.
  var text: String {
    let id = "vouch-" + Self.hash(title + "\u{0}" + description)
    var root = SVGElement(
      "svg",
      [
        ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"),
        ("width", SVGNumber.text(width)), ("height", SVGNumber.text(height)),
        ("viewBox", "0 0 \(SVGNumber.text(width)) \(SVGNumber.text(height))"), ("role", "img"),
        ("aria-labelledby", "\(id)-title \(id)-desc"), ("font-family", Self.fontFamily),
      ])
    root.append(SVGElement("title", [("id", "\(id)-title")], text: title))
    root.append(SVGElement("desc", [("id", "\(id)-desc")], text: description))
    root.append(
      SVGElement(
        "rect",
        [("width", "100%"), ("height", "100%"), ("fill", "#ffffff")]))
    root.append(contentsOf: body)
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.xml()
  }

  /// 32-bit FNV-1a of `text`'s UTF-8 bytes, as 8 lowercase hex digits.
  static func hash(_ text: String) -> String {
    var value: UInt32 = 0x811c_9dc5
    for byte in text.utf8 {
      value ^= UInt32(byte)
      value = value &* 0x0100_0193
    }
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }
}
