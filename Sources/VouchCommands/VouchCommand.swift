import ArgumentParser
import Foundation
import VouchCore
import VouchPipeline

/// The `vouch` root command.
public struct VouchCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "vouch",
    abstract:
      "Content-addressed artifacts, lineage and verified claims for reproducible ML research.",
    discussion: """
      Shell completion: `vouch --generate-completion-script bash` (or zsh, fish) prints a \
      completion script; for example `vouch --generate-completion-script bash > \
      ~/.local/share/bash-completion/completions/vouch`.

      \(ExitStatus.helpText)
      """,
    version: VouchVersion.current,
    subcommands: [
      Init.self, Add.self, Remove.self, Status.self, Checkout.self, List.self, Show.self,
      Check.self, GarbageCollect.self, Model.self, Attribute.self, Run.self, Reproduce.self,
      Verify.self, Report.self,
      Lineage.self, Log.self, Diff.self, RemoteCommand.self, Push.self, Fetch.self, Pull.self,
      Features.self,
    ]
  )

  public init() {}

  /// Parses the arguments, runs the command and exits with the documented status.
  ///
  /// Every error, ArgumentParser's usage errors included, is one line `vouch: error: …` on stderr;
  /// an unknown command (also after `vouch help`) is a usage error naming it.
  public static func runAsMain(arguments: [String]? = nil) async -> Never {
    if arguments == nil { BLASEnvironment.pinExactCoreType() }
    if let unknown = CommandLookup.unknownCommand(
      in: arguments ?? Array(CommandLine.arguments.dropFirst()))
    {
      Diagnostics.error(unknown)
      Foundation.exit(ExitStatus.usage)
    }
    do {
      var command = try parseAsRoot(arguments)
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
      Foundation.exit(ExitStatus.ok)
    } catch let error as any VouchError {
      Diagnostics.error(error.message)
      Foundation.exit(ExitStatus.status(for: error.category))
    } catch let error as ExitCode {
      Foundation.exit(error.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success || error is CleanExit {
        // Help, version and completion scripts: ArgumentParser already knows how to print these.
        exit(withError: error)
      }
      if code.rawValue == ExitStatus.usage {
        // A parse or validation error: its message alone, in vouch's own shape.
        let text = Diagnostics.oneLine(message(for: error))
        if text.isEmpty { exit(withError: error) }
        Diagnostics.error(text)
        Foundation.exit(ExitStatus.usage)
      }
      Diagnostics.error((error as? LocalizedError)?.errorDescription ?? "\(error)")
      Foundation.exit(ExitStatus.failure)
    }
  }
}
