import VouchCore

/// A path into a JSON document, the subset of JSONPath claims need: `$.metrics.kl[0]`,
/// `$["key with spaces"].value`. The leading `$` is optional.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible {
  /// One step of a path.
  public enum Component: Hashable, Sendable {
    case key(String)
    case index(Int)
  }

  /// The steps from the document root.
  public let components: [Component]
  /// The text the path was parsed from.
  public let description: String

  /// Parses `text`; `nil` when it is not a path of this subset.
  public init?(_ text: String) {
    var components: [Component] = []
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    if rest.hasPrefix("$") { rest = rest.dropFirst() }
    if !rest.isEmpty, !rest.hasPrefix("."), !rest.hasPrefix("[") { rest = "." + rest }
    while let first = rest.first {
      if first == "." {
        rest = rest.dropFirst()
        let name = rest.prefix { $0 != "." && $0 != "[" }
        guard !name.isEmpty else { return nil }
        components.append(.key(String(name)))
        rest = rest.dropFirst(name.count)
      } else if first == "[" {
        guard let close = rest.firstIndex(of: "]") else { return nil }
        let inside = rest[rest.index(after: rest.startIndex)..<close]
        if inside.count >= 2, let quote = inside.first, quote == "\"" || quote == "'",
          inside.last == quote
        {
          components.append(.key(String(inside.dropFirst().dropLast())))
        } else if let index = Int(inside), index >= 0 {
          components.append(.index(index))
        } else {
          return nil
        }
        rest = rest[rest.index(after: close)...]
      } else {
        return nil
      }
    }
    guard !components.isEmpty else { return nil }
    self.components = components
    description = text
  }

  /// The value at this path in `document`.
  /// - Throws: `LineageError` (usage) saying which step is missing, prefixed by `location`.
  public func value(in document: JSONValue, location: String) throws -> JSONValue {
    var current = document
    var walked = "$"
    for component in components {
      switch (component, current) {
      case (.key(let key), .object(let members)):
        guard let next = members[key] else {
          throw LineageError.invalidDocument(
            location,
            "no key '\(key)' at \(walked) (JSON path \(description)); fix the claim's path")
        }
        current = next
        walked += "." + key
      case (.index(let index), .array(let items)):
        guard index < items.count else {
          throw LineageError.invalidDocument(
            location,
            "index \(index) is past the end of the \(items.count)-element array at \(walked) "
              + "(JSON path \(description))")
        }
        current = items[index]
        walked += "[\(index)]"
      default:
        throw LineageError.invalidDocument(
          location, "\(walked) is not \(component.expectedContainer) (JSON path \(description))")
      }
    }
    return current
  }
}

extension JSONPath.Component {
  fileprivate var expectedContainer: String {
    switch self {
    case .key: "an object"
    case .index: "an array"
    }
  }
}
