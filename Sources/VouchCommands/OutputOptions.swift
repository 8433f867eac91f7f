import ArgumentParser
import VouchLineage
import VouchStore

/// `--json`, shared by every inspecting command.
struct OutputOptions: ParsableArguments {
  @Flag(name: .long, help: "Print machine-readable JSON (canonical, sorted keys) instead of text.")
  var json = false
}

extension ArtifactKind: ExpressibleByArgument {}
extension MaterializeMode: ExpressibleByArgument {}
