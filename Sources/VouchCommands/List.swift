import ArgumentParser
import Foundation
import VouchCore
import VouchLineage
import VouchPipeline

extension VouchCommand {
  /// `vouch ls`.
  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ls",
      abstract: "Lists the artifacts recorded in the manifests.",
      discussion: "One line per artifact: kind, short digest, size, file count and path.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let manifests = try context.workspace().allManifests()
      if output.json { return try context.printJSON(manifests.map(ListRow.init)) }
      for manifest in manifests {
        let kind = manifest.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        let size = manifest.size.description.padding(toLength: 10, withPad: " ", startingAt: 0)
        let files = manifest.files.map { "\($0.count) files" } ?? "file"
        context.print(
          "\(kind) \(manifest.digest.short)  \(size) \(files.padding(toLength: 11, withPad: " ", startingAt: 0)) \(manifest.path)"
        )
      }
      if manifests.isEmpty { context.print("no artifacts yet; `vouch add PATH` records one") }
    }
  }
}

/// One artifact in `vouch ls --json`.
struct ListRow: Encodable {
  var path: String
  var kind: ArtifactKind
  var digest: Digest
  var size: ByteCount
  var fileCount: Int?

  init(_ manifest: ArtifactManifest) {
    path = manifest.path
    kind = manifest.kind
    digest = manifest.digest
    size = manifest.size
    fileCount = manifest.files?.count
  }
}
