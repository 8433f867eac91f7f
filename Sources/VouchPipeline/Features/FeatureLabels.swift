import Foundation
import VouchCore
import VouchModels

/// An `adapter-features` output folder read back: `summary.json` and every line of
/// `features.jsonl`, with the lookups `vouch features` makes.
public struct FeatureLabels: Sendable {
  /// The file holding one ``FeatureLabel`` per line.
  public static let featuresFile = "features.jsonl"
  /// The file holding the ``FeatureLabelSummary``.
  public static let summaryFile = "summary.json"

  /// What a ranking sorts features by.
  public enum Ranking: Hashable, Sendable {
    /// Activation frequency over all tokens.
    case density
    /// Density within one region (a region name or `thinking`).
    case region(String)
    /// The logit-lens score of one token id.
    case logit(Int)
  }

  /// One ranked feature.
  public struct Ranked: Codable, Hashable, Sendable {
    /// The layer.
    public var layer: Int
    /// The index within the layer.
    public var index: Int
    /// The value ranked by.
    public var value: Double
    /// The feature's category, if alive.
    public var category: String?
    /// The mechanism of a reasoning feature.
    public var mechanism: String?
  }

  /// The totals.
  public var summary: FeatureLabelSummary
  /// `L·F` labels, layer-major.
  public var labels: [FeatureLabel]

  /// Writes `labels` and `summary` into `folder` as canonical JSON (one compact line per
  /// feature; the summary indented), creating it.
  static func write(_ labels: [FeatureLabel], summary: FeatureLabelSummary, to folder: URL) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var lines = Data()
    for label in labels {
      lines.append(try CanonicalJSON.data(for: label))
      lines.append(UInt8(ascii: "\n"))
    }
    try lines.write(to: folder.appendingPathComponent(featuresFile))
    try CanonicalJSON.prettyData(for: summary).write(
      to: folder.appendingPathComponent(summaryFile))
  }

  /// The default labels folder, relative to the workspace root: the `features` stage's output.
  public static let defaultPath = "organism/features"

  /// Reads the labels at `path` (relative to `currentDirectory`), or at ``defaultPath`` under
  /// the workspace root containing `currentDirectory` (the current directory outside one).
  ///
  /// Only reads: the workspace's store is not opened, so nothing is created or locked.
  /// - Parameters:
  ///   - path: the folder the user named, or `nil` for the default.
  ///   - currentDirectory: where vouch runs.
  /// - Returns: the labels.
  /// - Throws: `PipelineError.usage` as ``read(from:shownAs:)``.
  public static func read(path: String?, currentDirectory: URL) throws -> FeatureLabels {
    var base = currentDirectory
    if path == nil,
      let root = Workspace.findUpward(
        containing: Workspace.storeDirectoryName, from: currentDirectory, wantDirectory: true)
    {
      base = root
    }
    let shown = path ?? defaultPath
    let url =
      shown.hasPrefix("/") ? URL(fileURLWithPath: shown) : base.appendingPathComponent(shown)
    return try read(from: url, shownAs: shown)
  }

  /// Reads the labels in `folder`.
  /// - Parameters:
  ///   - folder: an `adapter-features` output folder.
  ///   - shownAs: how to name the folder in errors.
  /// - Returns: the summary and every label, checked against each other.
  /// - Throws: `PipelineError.usage` when a file is missing, malformed, of another schema
  ///   version or inconsistent with the summary.
  public static func read(from folder: URL, shownAs: String) throws -> FeatureLabels {
    let summaryURL = folder.appendingPathComponent(summaryFile)
    let featuresURL = folder.appendingPathComponent(featuresFile)
    guard FileManager.default.fileExists(atPath: summaryURL.path),
      FileManager.default.fileExists(atPath: featuresURL.path)
    else {
      throw PipelineError.usage(
        "no feature labels at '\(shownAs)' (\(summaryFile) and \(featuresFile)); run the "
          + "`adapter-features` stage with `vouch run`, `vouch pull` it, or pass --labels PATH")
    }
    let decoder = JSONDecoder()
    let summary: FeatureLabelSummary
    var labels: [FeatureLabel] = []
    do {
      summary = try decoder.decode(FeatureLabelSummary.self, from: Data(contentsOf: summaryURL))
      let data = try Data(contentsOf: featuresURL)
      for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
        labels.append(try decoder.decode(FeatureLabel.self, from: Data(line)))
      }
    } catch let error as DecodingError {
      throw PipelineError.usage(
        "the feature labels at '\(shownAs)' are malformed (\(Self.describe(error))); rerun the "
          + "`adapter-features` stage")
    } catch {
      throw PipelineError.usage(
        "the feature labels at '\(shownAs)' cannot be read (\(error.localizedDescription)); "
          + "rerun the `adapter-features` stage")
    }
    guard summary.schemaVersion == FeatureLabelSummary.currentSchemaVersion else {
      throw PipelineError.usage(
        "the feature labels at '\(shownAs)' have schema version \(summary.schemaVersion); this "
          + "vouch reads version \(FeatureLabelSummary.currentSchemaVersion), so upgrade vouch")
    }
    guard labels.count == summary.layers * summary.featuresPerLayer,
      labels.enumerated().allSatisfy({
        $0.element.layer * summary.featuresPerLayer + $0.element.index == $0.offset
      })
    else {
      throw PipelineError.usage(
        "the feature labels at '\(shownAs)' hold \(labels.count) features out of order or not "
          + "\(summary.layers)×\(summary.featuresPerLayer); rerun the `adapter-features` stage")
    }
    return FeatureLabels(summary: summary, labels: labels)
  }

  /// The label of feature `index` of layer `layer`.
  /// - Throws: `PipelineError.usage` naming the valid ranges when either is out of range.
  public func label(layer: Int, index: Int) throws -> FeatureLabel {
    guard (0..<summary.layers).contains(layer), (0..<summary.featuresPerLayer).contains(index)
    else {
      throw PipelineError.usage(
        "feature \(layer):\(index) is out of range: the labels have layers 0–"
          + "\(summary.layers - 1) with features 0–\(summary.featuresPerLayer - 1) each")
    }
    return labels[layer * summary.featuresPerLayer + index]
  }

  /// The ranking for `by` (`density`, `region`, `logit`) with `key` (a region or a token text).
  /// - Throws: `PipelineError.usage` for an unknown kind, region or token, or a missing or
  ///   superfluous key.
  public func ranking(by: String, key: String?) throws -> Ranking {
    switch (by, key) {
    case ("density", nil): return .density
    case ("density", .some(let key)):
      throw PipelineError.usage(
        "--by density takes no region or token, not '\(key)'; use --by region \(key)?")
    case ("region", .some(let region)):
      guard FeatureLabel.regionNames.contains(region) else {
        throw PipelineError.usage(
          "unknown region '\(region)'; regions: \(FeatureLabel.regionNames.joined(separator: ", "))"
        )
      }
      return .region(region)
    case ("logit", .some(let token)):
      let spelled = token == "\\n" ? "\n" : token
      guard let id = summary.vocabulary.firstIndex(of: spelled) else {
        let known = summary.vocabulary.map { $0 == "\n" ? "\\n" : $0 }
        throw PipelineError.usage(
          "unknown token '\(token)'; tokens: \(known.joined(separator: " "))")
      }
      return .logit(id)
    case ("region", nil), ("logit", nil):
      throw PipelineError.usage(
        "--by \(by) needs a \(by == "region" ? "region (e.g. thinking)" : "token (e.g. wait)")")
    default:
      throw PipelineError.usage("--by must be density, region or logit, not '\(by)'")
    }
  }

  /// The `limit` features ranking highest under `ranking`; ties go to the lower layer, then the
  /// lower index.
  public func top(_ ranking: Ranking, limit: Int) -> [Ranked] {
    let ranked = labels.map { label -> Ranked in
      let value: Double
      switch ranking {
      case .density: value = label.frequency
      case .region(let region): value = label.regionDensities[region] ?? 0
      case .logit(let id):
        value =
          label.logitLens.scores.indices.contains(id)
          ? label.logitLens.scores[id] : 0
      }
      return Ranked(
        layer: label.layer, index: label.index, value: value, category: label.category,
        mechanism: label.mechanism)
    }
    return Array(
      ranked.sorted {
        $0.value != $1.value ? $0.value > $1.value : ($0.layer, $0.index) < ($1.layer, $1.index)
      }.prefix(max(0, limit)))
  }

  /// A decoding error in one line: what is wrong and at which key path.
  static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        .joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      let at = path(context)
      return "missing '\(key.stringValue)'" + (at.isEmpty ? "" : " in \(at)")
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
      .dataCorrupted(let context):
      return "bad value at '\(path(context))'"
    @unknown default:
      return "\(error)"
    }
  }
}
