import Foundation

/// A graph figure laid out by graphviz: `dot -Tsvg` on a `.dot` file, then made a figure like
/// the others — graphviz's comments (which name its version) and DOCTYPE removed, `role`,
/// `aria-labelledby`, `<title>` and `<desc>` added to the root, DejaVu Sans as the font.
///
/// `dot` is deterministic for a given input and graphviz version; the version is written into
/// `<desc>`, so a figure reproduced with another graphviz differs visibly in its description.
enum GraphvizFigure {
  /// `dot` on the `PATH`, or `nil`.
  static func executable(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> URL? {
    let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
    return folders.map { URL(fileURLWithPath: String($0)).appendingPathComponent("dot") }
      .first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }

  /// The SVG of `dot` (a file), titled and described.
  /// - Parameters:
  ///   - dot: the graph source.
  ///   - executable: graphviz's `dot`.
  ///   - title: the figure's title.
  ///   - note: the author's description, before the generated one.
  ///   - rankdir: a layout direction (`LR`, `TB`, …) replacing the file's `rankdir`, or `nil`.
  /// - Returns: the SVG document's text.
  /// - Throws: ``FigureDataError`` when `dot` fails or writes something that is not an SVG.
  static func render(
    _ dot: URL, executable: URL, title: String, note: String, rankdir: String? = nil
  ) throws -> String {
    let version = try run(executable, ["-V"]).stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    var source = dot
    var scratch: URL? = nil
    defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
    if let rankdir {
      // A graph attribute in the file overrides `-G`, so the file's own is replaced.
      let text = String(decoding: try Data(contentsOf: dot), as: UTF8.self)
      let replaced = Self.withRankdir(text, rankdir)
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "vouch-figure-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
      )
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      scratch = folder
      source = folder.appendingPathComponent(dot.lastPathComponent)
      try Data(replaced.utf8).write(to: source)
    }
    let font = "DejaVu Sans"
    let result = try run(
      executable,
      ["-Tsvg", "-Gfontname=\(font)", "-Nfontname=\(font)", "-Efontname=\(font)", source.path])
    guard result.status == 0 else {
      let message = result.stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
      throw FigureDataError(
        "graphviz could not lay out '\(dot.lastPathComponent)' (exit \(result.status)): \(message)")
    }
    let description =
      (note.isEmpty ? "" : note + " ")
      + "Graph laid out by graphviz (\(version.isEmpty ? "dot" : version)) from "
      + "\(dot.lastPathComponent); the graph's source is in data.dot."
    return try finish(result.stdout, title: title, description: description)
  }

  /// `text` (DOT) with its graph's `rankdir` set to `rankdir`: an existing `rankdir=…`
  /// replaced, or one added after the first `{`.
  static func withRankdir(_ text: String, _ rankdir: String) -> String {
    if let range = text.range(of: #"rankdir\s*=\s*"?[A-Za-z]+"?"#, options: .regularExpression) {
      return text.replacingCharacters(in: range, with: "rankdir=\(rankdir)")
    }
    guard let brace = text.firstIndex(of: "{") else { return text }
    return text.replacingCharacters(
      in: brace...brace, with: "{\n  rankdir=\(rankdir);")
  }

  /// Graphviz's SVG text made deterministic and accessible (see the type's summary).
  static func finish(_ svg: String, title: String, description: String) throws -> String {
    var text = svg
    for (open, close) in [("<!--", "-->"), ("<!DOCTYPE", ">"), ("<?xml", "?>")] {
      while let start = text.range(of: open),
        let end = text.range(of: close, range: start.upperBound..<text.endIndex)
      {
        var upper = end.upperBound
        if upper < text.endIndex, text[upper] == "\n" { upper = text.index(after: upper) }
        text.removeSubrange(start.lowerBound..<upper)
      }
    }
    guard let root = text.range(of: "<svg "),
      let rootEnd = text.range(of: ">", range: root.upperBound..<text.endIndex)
    else {
      throw FigureDataError("graphviz wrote no <svg> element")
    }
    let opening = String(text[root.lowerBound..<rootEnd.upperBound])
    guard opening.contains("viewBox="), opening.contains("width="), opening.contains("height=")
    else {
      throw FigureDataError("graphviz's SVG lacks a viewBox, width or height")
    }
    let id = "vouch-" + SVGDocument.hash(title + "\u{0}" + description)
    let labels = "role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" "
    let replaced =
      "<svg " + labels + opening.dropFirst("<svg ".count) + "\n"
      + SVGElement("title", [("id", "\(id)-title")], text: title).xml(depth: 1)
      + SVGElement("desc", [("id", "\(id)-desc")], text: description).xml(depth: 1)
      .dropLast()
    text.replaceSubrange(root.lowerBound..<rootEnd.upperBound, with: replaced)
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + text.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
  }

  private static func run(_ executable: URL, _ arguments: [String]) throws
    -> (status: Int32, stdout: String, stderr: String)
  {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    do { try process.run() } catch {
      throw FigureDataError("cannot start graphviz at \(executable.path): \(error)")
    }
    // Read both pipes to the end before waiting, standard error on another thread, so neither
    // can fill up and block graphviz.
    let errorData = ErrorCollector(errors.fileHandleForReading)
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: data, as: UTF8.self),
      String(decoding: errorData.wait(), as: UTF8.self)
    )
  }
}

/// Reads a pipe to its end on a background thread.
private final class ErrorCollector: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    Thread.detachNewThread { [self] in
      data = handle.readDataToEndOfFile()
      done.signal()
    }
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}
