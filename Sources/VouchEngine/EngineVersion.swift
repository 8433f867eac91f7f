/// The version of the compute engine; part of every engine fingerprint.
///
/// Bump it whenever a kernel's arithmetic changes, because outputs recorded under an older engine
/// may then differ in their last bits.
public enum EngineVersion {
  /// Semantic version of the kernels.
  public static let current = "0.2.0"
}
