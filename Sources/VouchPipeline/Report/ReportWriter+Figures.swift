import Foundation
import VouchCore
import VouchLineage

extension ReportWriter {
  /// The figures of one output: the output itself when it is an SVG file, or every SVG file in a
  /// folder output, each copied from the store with the CSV beside it.
  ///
  /// Any output whose artifact kind is `figure`, or whose stored folder holds `.svg` files, counts:
  /// the report needs no particular stage kind to have drawn it.
  /// - Throws: `PipelineError` (integrity) when a figure's bytes are not in the store.
  func figures(
    in path: String, digest: Digest, manifest: ArtifactManifest?, manifestPath: [String]?,
    stored: Bool, into site: inout ReportSite
  ) throws -> [ReportFigure] {
    let isFigure = manifest?.kind == .figure
    let isSVG = path.lowercased().hasSuffix(".svg")
    let isFolder = manifest?.isDirectory ?? false
    guard isFigure || isSVG || isFolder else { return [] }
    guard stored else {
      if isFigure || isSVG { throw Self.missing(path, digest) }
      return []
    }
    let store = workspace.store
    guard isFolder || !isSVG,
      let listing = try StoredContent(workspace: workspace).listing(digest)
    else {
      guard isSVG else { return [] }
      let bytes = try store.data(for: digest)
      let image = ["objects", "\(digest.hex).svg"]
      site.add(image, bytes)
      return [
        ReportFigure(
          path: path, digest: digest, image: image, data: nil, dataPath: nil,
          manifest: manifestPath, output: path, title: Self.title(of: bytes))
      ]
    }
    var figures: [ReportFigure] = []
    let files = Dictionary(
      listing.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    for file in listing.files where file.path.lowercased().hasSuffix(".svg") {
      let figurePath = "\(path)/\(file.path)"
      guard try store.contains(file.digest) else { throw Self.missing(figurePath, file.digest) }
      let bytes = try store.data(for: file.digest)
      let image = ["objects", "\(file.digest.hex).svg"]
      site.add(image, bytes)
      var data: [String]?
      var dataPath: String?
      if let csv = Self.dataFile(for: file.path, in: files), try store.contains(csv.digest) {
        let suffix = csv.path.hasSuffix(".dot") ? "dot" : "csv"
        data = ["objects", "\(csv.digest.hex).\(suffix)"]
        dataPath = "\(path)/\(csv.path)"
        if let data { site.add(data, try store.data(for: csv.digest)) }
      }
      figures.append(
        ReportFigure(
          path: figurePath, digest: file.digest, image: image, data: data, dataPath: dataPath,
          manifest: manifestPath, output: path, title: Self.title(of: bytes)))
    }
    return figures
  }

  /// The figure's data: the CSV of the same name (`a.svg` → `a.csv`), else `data.csv` in the
  /// same folder; for a drawn graph, its `.dot` source the same way (`data.dot`).
  static func dataFile(for svg: String, in files: [String: ArtifactFile]) -> ArtifactFile? {
    let stem = String(svg.dropLast(4))
    let folder = svg.split(separator: "/").dropLast().joined(separator: "/")
    for suffix in [".csv", ".dot"] {
      if let same = files[stem + suffix] { return same }
      if let data = files[folder.isEmpty ? "data" + suffix : folder + "/data" + suffix] {
        return data
      }
    }
    return nil
  }

  /// The text of the SVG's first `<title>` (with or without attributes), if it has one near its
  /// start: the figure's own, which comes before any drawn element's.
  static func title(of bytes: Data) -> String? {
    let head = String(decoding: bytes.prefix(8_192), as: UTF8.self)
    guard let start = head.range(of: "<title(\\s[^>]*)?>", options: .regularExpression),
      let end = head.range(of: "</title>", range: start.upperBound..<head.endIndex)
    else { return nil }
    let text = head[start.upperBound..<end.lowerBound]
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? nil : text
  }

  /// A figure whose bytes the store lacks.
  static func missing(_ path: String, _ digest: Digest) -> PipelineError {
    PipelineError.integrity(
      "figure \(path) (\(digest.short)) is not in the store; run `vouch fetch` to bring it from "
        + "a remote, then `vouch report` again")
  }
}
