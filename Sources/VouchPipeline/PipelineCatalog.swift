import Foundation
import VouchLineage

/// What this build of vouch can run: the stage kinds and metrics pipeline files may name, and
/// the engine fingerprint recorded with every run.
public enum PipelineCatalog {
  /// `command` stages plus the built-in metrics; later issues register engine operations here.
  public static let vocabulary = PipelineVocabulary.standard

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
