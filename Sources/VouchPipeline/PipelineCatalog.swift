import Foundation
import VouchLineage

/// What this build of vouch can run: the stage kinds and metrics pipeline files may name, and
/// the engine fingerprint recorded with every run.
public enum PipelineCatalog {
  /// `command` stages, the engine's built-in stage kinds (`organism-data`, `organism-train`,
  /// `organism-evaluate`, …) and the built-in metrics.
  public static let vocabulary = PipelineVocabulary(
    kinds: PipelineVocabulary.standard.kinds.union(BuiltInStages.all.map { $0.kind }),
    metrics: PipelineVocabulary.standard.metrics)

  /// The fingerprint recorded with a run of a stage of `kind`: ``fingerprint()``, plus the
  /// compute engine's version, profile and OpenBLAS build and kernels for built-in kinds.
  public static func fingerprint(for kind: StageKind) -> EngineFingerprint {
    var result = fingerprint()
    if BuiltInStages.stage(for: kind) != nil {
      result.entries.merge(BuiltInStages.engineEntries()) { _, engine in engine }
    }
    return result
  }

  /// The fingerprint of what computes a `command` stage here: vouch's version, the machine
  /// architecture and the operating system.
  public static func fingerprint() -> EngineFingerprint {
    var system = utsname()
    uname(&system)
    func text<T>(_ field: T) -> String {
      withUnsafeBytes(of: field) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
    }
    return EngineFingerprint([
      "vouch": VouchVersion.current, "arch": text(system.machine), "os": text(system.sysname),
    ])
  }
}
