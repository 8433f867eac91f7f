/// Schema versions of the documents `VouchLineage` reads and writes under `manifests/`.
public enum LineageSchema {
  /// The artifact manifest schema version written by this build.
  public static let artifactManifestVersion = 1
}
