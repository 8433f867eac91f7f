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
    let url = root.appendingPathComponent(path)
    let context = "stage '\(stage)', claim '\(claim.name)': \(path)"
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw LineageError.invalidDocument(
        context, "cannot be read; the stage must write it as a file")
    }
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
