/// The version of vouch itself, reported by `vouch --version` and recorded in engine fingerprints.
public enum VouchVersion {
  /// Semantic version.
  public static let current = "0.1.0"
}
