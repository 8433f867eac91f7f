/// Schema versions of the documents `VouchLineage` reads and writes under `manifests/`.
public enum LineageSchema {
  /// The artifact manifest schema version written by this build.
  public static let artifactManifestVersion = 1
  /// The pipeline definition (`manifests/<name>.pipeline.toml`) schema version this build reads.
  public static let pipelineVersion = 1
  /// The lock (`manifests/<name>.lock.json`) schema version written by this build. Version 2
  /// added `records`, the digests of the run record files; version 1 is still read.
  public static let lockVersion = 2
  /// The run record (`manifests/runs/<run key>.json`) schema version written by this build.
  public static let runRecordVersion = 1

  /// Throws unless `found` equals `supported`, naming the document and how to fix it.
  static func check(_ found: Int, supported: Int, document: String, location: String) throws {
    guard found != supported else { return }
    throw LineageError.invalidDocument(
      location,
      "unknown \(document) schema version \(found); this vouch reads version \(supported) "
        + "(upgrade vouch, or set schemaVersion = \(supported) if the file was written by hand)")
  }
}
