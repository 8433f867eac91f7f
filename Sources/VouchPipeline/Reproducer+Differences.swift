import Foundation
import VouchCore
import VouchLineage

extension Reproducer {
  /// The files of a rebuilt folder output that differ from the recorded one — changed, added or
  /// removed, by path inside the folder — when the recorded folder's listing is in the store
  /// (fetched from a remote, or kept from the run); `nil` when it is not, or the output is a file.
  ///
  /// With the reference outputs fetched, a mismatch or an `equivalent` output then says which of
  /// its files were rebuilt differently (`model.safetensors`, not `config.json`).
  func differingFiles(path: String, recorded: Digest, in sandbox: URL) -> [String]? {
    let store = workspace.store
    guard let info = try? store.info(recorded), info.size.value <= 16 << 20, info.chunkCount == 1,
      let data = try? store.data(for: recorded), data.first == UInt8(ascii: "{"),
      let listing = try? JSONDecoder().decode(DirectoryListing.self, from: data),
      (try? listing.digest()) == recorded
    else { return nil }
    let folder = sandbox.appendingPathComponent(path).path
    var rebuilt: [String: Digest] = [:]
    if let entries = try? FileWalker(root: sandbox).files(under: folder, shownAs: path) {
      for entry in entries {
        rebuilt[entry.path] = try? ContentHasher.digest(ofFileAt: entry.absolutePath)
      }
    }
    var recordedFiles: [String: Digest] = [:]
    for file in listing.files { recordedFiles[file.path] = file.digest }
    return Set(recordedFiles.keys).union(rebuilt.keys)
      .filter { recordedFiles[$0] != rebuilt[$0] }
      .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }
}
