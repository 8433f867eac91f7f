import Foundation
import VouchCore
import VouchLineage

extension Workspace {
  /// Content digest → the workspace paths recorded with it: artifacts, the files of folder
  /// artifacts (`folder/file`), and the inputs and outputs of pipeline locks and run records.
  /// Used to say which artifacts a damaged or missing object breaks.
  /// - Throws: `LineageError` or `PipelineError` when a manifest cannot be read.
  func artifactNames() throws -> [Digest: [String]] {
    var names: [Digest: Set<String>] = [:]
    for (digest, uses) in IntegrityCheck.users(of: try allManifests()) {
      names[digest, default: []].formUnion(uses.map(\.file))
    }
    let records = try allLocks().flatMap { Array($0.stages.values) } + allRunRecords()
    for record in records {
      for (path, digest) in record.inputs.merging(record.outputs, uniquingKeysWith: { a, _ in a }) {
        names[digest, default: []].insert(path)
      }
    }
    return names.mapValues { $0.sorted() }
  }
}
