import Foundation
import VouchEngine
import VouchLineage

/// An engine operation a pipeline names by `kind` instead of a shell command.
///
/// Runs in-process with the `exact` compute profile, so its outputs are bitwise identical for
/// any thread count; parameters come from the stage's `parameters` table.
protocol BuiltInStage {
  /// The name pipeline files use.
  static var kind: StageKind { get }
  /// Checks the stage's parameters without running anything.
  static func validate(_ stage: StageDefinition) throws
  /// Runs the stage with paths relative to `directory`, writing its declared outputs.
  static func run(_ stage: StageDefinition, in directory: URL, context: ComputeContext) throws
  /// The kind recorded for the stage's outputs, or `nil` to detect it from their names and
  /// contents as `vouch add` does.
  static var outputKind: ArtifactKind? { get }
}

extension BuiltInStage {
  static var outputKind: ArtifactKind? { nil }
}

/// The built-in stage kinds this build registers with the lineage vocabulary.
enum BuiltInStages {
  /// Every built-in kind.
  static var all: [any BuiltInStage.Type] {
    [
      OrganismDataStage.self, OrganismTrainStage.self, OrganismEvaluateStage.self,
      AdapterTrainStage.self, AdapterEvaluateStage.self, AdapterGenerateStage.self,
      AdapterSweepStage.self, AttributeStage.self, HesitationStudyStage.self,
      AdapterFeaturesStage.self, FigureStage.self,
    ]
  }

  /// The implementation of `kind`, if it is built in.
  static func stage(for kind: StageKind) -> (any BuiltInStage.Type)? {
    all.first { $0.kind == kind }
  }

  /// The environment variable that sets the engine's thread count (default 2).
  static let threadsVariable = "VOUCH_THREADS"

  /// The compute context built-in stages run under: `exact`, threads from `VOUCH_THREADS` or 2.
  /// - Throws: `PipelineError.usage` for a malformed thread count.
  static func context() throws -> ComputeContext {
    var threads = 2
    if let text = ProcessInfo.processInfo.environment[threadsVariable], !text.isEmpty {
      guard let number = Int(text), (1...256).contains(number) else {
        throw PipelineError.usage(
          "\(threadsVariable)='\(text)' is not a thread count; set it to 1…256 or unset it")
      }
      threads = number
    }
    return ComputeContext(profile: .exact, threads: threads)
  }

  /// The engine fingerprint entries recorded with a built-in stage's run. The thread count is
  /// left out on purpose: `exact` results do not depend on it.
  static func engineEntries() -> [String: String] {
    let fingerprint = VouchEngine.EngineFingerprint(
      context: ComputeContext(profile: .exact, threads: 1))
    return [
      "engine": fingerprint.engineVersion, "profile": fingerprint.profile.rawValue,
      "blas-core": fingerprint.blasCoreType, "blas-config": fingerprint.blasConfiguration,
    ]
  }
}
