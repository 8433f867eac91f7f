import ArgumentParser
import Foundation
import VouchCore
import VouchLineage
import VouchPipeline

extension VouchCommand {
  /// `vouch diff`.
  struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "diff",
      abstract: "Lists the artifacts, runs and claims that changed between two revisions.",
      discussion: """
        Compares the manifests at REV1 (default HEAD) with those at REV2 (default: the working \
        tree): artifacts added, removed or changed (old and new digests), stage runs with a new \
        run key, and claims with their old and new values.

        Exit status 64 for a revision that names no commit; 10 outside a workspace.
        """)

    @Argument(help: "The old revision (default HEAD).")
    var from: String?

    @Argument(help: "The new revision (default: the working tree).")
    var to: String?

    @OptionGroup var output: OutputOptions

    /// One changed item.
    struct Change: Encodable {
      var kind: String
      var name: String
      var old: String?
      var new: String?
    }

    func run() async throws {
      let context = CommandContext()
      let workspace = try context.workspace()
      guard let repository = try workspace.manifestRepository() else {
        throw PipelineError.usage("vouch diff needs a git repository; this workspace has none")
      }
      func snapshot(_ revision: String?) throws -> ManifestSnapshot {
        guard let revision else { return ManifestSnapshot.workingTree(of: workspace) }
        return ManifestSnapshot(files: try repository.manifestFiles(at: revision))
      }
      let old = try snapshot(from ?? "HEAD")
      let new = try snapshot(to)
      for (side, snapshot) in [(from ?? "HEAD", old), (to ?? "the working tree", new)]
      where !snapshot.unreadable.isEmpty {
        Diagnostics.warning(
          "skipped \(snapshot.unreadable.count) file(s) at \(side) that cannot be read "
            + "(first: \(snapshot.unreadable[0])); `vouch verify` says what is wrong")
      }
      var changes: [Change] = []
      func compare<V: Equatable>(
        _ kind: String, _ a: [String: V], _ b: [String: V], _ text: (V) -> String
      ) {
        for name in Set(a.keys).union(b.keys).sorted() where a[name] != b[name] {
          changes.append(
            Change(kind: kind, name: name, old: a[name].map(text), new: b[name].map(text)))
        }
      }
      compare("artifact", old.artifacts, new.artifacts) { $0.description }
      compare("run", old.runs, new.runs) { $0.description }
      compare("claim", old.claims, new.claims) {
        $0.unit.isEmpty ? $0.value.text : "\($0.value) \($0.unit)"
      }
      if output.json { return try context.printJSON(changes) }
      if changes.isEmpty { context.print("no changes to artifacts, runs or claims") }
      for change in changes {
        let old = change.old.map { change.kind == "claim" ? $0 : String($0.dropFirst(7).prefix(8)) }
        let new = change.new.map { change.kind == "claim" ? $0 : String($0.dropFirst(7).prefix(8)) }
        let kind = change.kind.padding(toLength: 9, withPad: " ", startingAt: 0)
        context.print("\(kind) \(change.name)  \(old ?? "(none)") → \(new ?? "(none)")")
      }
    }
  }
}
