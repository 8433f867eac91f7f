import Foundation
import VouchCore

/// SHA-256 of workspace files that are not going into the store (status, checkout's safety check).
public enum ContentHasher {
  /// The digest of the file at `path`, read through a memory map so memory stays bounded by the
  /// page cache rather than the file size.
  /// - Throws: `PipelineError.usage` when the file cannot be read.
  public static func digest(ofFileAt path: String) throws -> Digest {
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
      return Digest.of(data)
    } catch {
      throw PipelineError.usage(
        "cannot read '\(path)': \(error.localizedDescription); give yourself read access (chmod u+r)"
      )
    }
  }
}
