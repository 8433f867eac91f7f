import Foundation
import VouchCore
import VouchLineage

/// Reads the numbers a stage reports from its outputs.
struct ClaimReader {
  /// The folder the outputs are in (the workspace, or a reproduction sandbox).
  let root: URL

  /// The value of `claim` of `stage`, read from its source artifact.
  /// - Throws: `LineageError` (usage) naming the stage, claim, file and what is missing.
  func value(of claim: ClaimDefinition, stage: String) throws -> ExactFloat {
    let path = claim.artifact.rawValue
    let context = "stage '\(stage)', claim '\(claim.name)': \(path)"
    // Never through a symlink: a claim must describe bytes that are in the workspace.
    let folders = try AnchoredFolders(anchor: root.path)
    let (folder, name) = try folders.parent(of: path, create: false)
    guard let data = try folder?.read(name, limit: Self.maximumSourceBytes) else {
      throw LineageError.invalidDocument(
        context, "cannot be read; the stage must write it as a file")
    }
    return try Self.value(of: claim, in: data, context: context)
  }

  /// Claims are read from files of at most this size (JSON results, not checkpoints).
  static let maximumSourceBytes = 256 << 20

  /// The value of `claim` in the bytes `data` of its source; `context` starts the messages.
  /// - Throws: `LineageError` (usage) naming the context and what is missing.
  static func value(of claim: ClaimDefinition, in data: Data, context: String) throws
    -> ExactFloat
  {
    let number: Double
    switch claim.source {
    case .jsonPath(let jsonPath):
      // Read from the source text: a number binary64 cannot hold is refused, never rounded.
      number = try jsonPath.number(inJSON: data, location: context)
    case .metric(let metric) where metric == .sizeBytes:
      number = Double(data.count)
    case .metric(let metric) where metric == .lineCount:
      number = Double(data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) })
    case .metric(let metric):
      throw LineageError.invalidDocument(
        context, "metric '\(metric)' is not computed by this vouch")
    }
    guard let exact = ExactFloat(number) else {
      throw LineageError.invalidDocument(context, "the claim's value is not a finite number")
    }
    return exact
  }
}
