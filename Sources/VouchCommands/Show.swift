import ArgumentParser
import Foundation
import VouchCore
import VouchLineage
import VouchPipeline

extension VouchCommand {
  /// `vouch show`.
  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Shows one artifact's manifest, or what a digest is and which artifacts use it.",
      discussion: """
        TARGET is an artifact path, or a digest (sha256:<hex>, bare hex, or a unique prefix of \
        at least 8 hex characters). Exit status 64 when nothing matches.
        """)

    @Argument(help: "An artifact path or a content digest.")
    var target: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      let manifests = try workspace.allManifests()
      if let query = DigestQuery(target) {
        let uses = query.uses(in: manifests)
        if Set(uses.map(\.digest)).count > 1 {
          throw PipelineError.usage("'\(target)' matches several digests; type more of it")
        }
        guard let digest = uses.first?.digest ?? query.exact else {
          throw PipelineError.usage(
            "no artifact uses a digest starting with '\(target)'; `vouch ls` lists them")
        }
        let report = DigestReport(
          digest: digest, stored: try workspace.store.contains(digest),
          usedBy: uses.filter { $0.digest == digest }.map(\.use))
        if output.json { return try context.printJSON(report) }
        context.print("digest  \(report.digest)")
        context.print("stored  \(report.stored ? "yes" : "no (`vouch check` explains)")")
        for use in report.usedBy { context.print("used by \(use)") }
        return
      }
      let path = try WorkspacePathResolver(root: workspace.root)
        .relativePath(of: target, currentDirectory: context.currentDirectory)
      guard let manifest = manifests.first(where: { $0.path == path }) else {
        throw PipelineError.usage(
          "no artifact at '\(target)'; `vouch ls` lists the recorded artifacts")
      }
      if output.json { return try context.printJSON(manifest) }
      context.print("path    \(manifest.path)")
      context.print("kind    \(manifest.kind.rawValue)")
      context.print("digest  \(manifest.digest)")
      context.print("size    \(manifest.size)")
      context.print("stored  \(try workspace.store.contains(manifest.digest) ? "yes" : "no")")
      for file in manifest.files ?? [] {
        context.print(
          "  \(file.digest.short)  \(file.size.description.padding(toLength: 10, withPad: " ", startingAt: 0)) \(file.path)"
        )
      }
    }
  }
}

/// `vouch show DIGEST --json`.
struct DigestReport: Encodable {
  var digest: Digest
  var stored: Bool
  var usedBy: [String]
}

/// A digest or digest prefix typed by the user.
struct DigestQuery {
  /// The full digest, when one was typed.
  var exact: Digest?
  /// Lowercase hex prefix.
  var prefix: String

  init?(_ text: String) {
    var hex = text.lowercased()
    if hex.hasPrefix("sha256:") { hex.removeFirst(7) }
    guard hex.count >= 8, hex.count <= 64, hex.allSatisfy(\.isHexDigit) else { return nil }
    // A path that exists wins over a hex-looking name.
    if !text.hasPrefix("sha256:"), FileManager.default.fileExists(atPath: text) { return nil }
    prefix = hex
    exact = hex.count == 64 ? Digest(hex) : nil
  }

  /// Every (digest, "artifact" or "artifact/file") whose digest starts with the prefix.
  func uses(in manifests: [ArtifactManifest]) -> [(digest: Digest, use: String)] {
    var found: [(Digest, String)] = []
    for manifest in manifests {
      if manifest.digest.hex.hasPrefix(prefix) { found.append((manifest.digest, manifest.path)) }
      for file in manifest.files ?? [] where file.digest.hex.hasPrefix(prefix) {
        found.append((file.digest, manifest.path + "/" + file.path))
      }
    }
    return found
  }
}
