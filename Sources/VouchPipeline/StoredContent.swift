import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// Moves run inputs and outputs between a folder and the store by digest.
struct StoredContent {
  let workspace: Workspace
  private var store: Store { workspace.store }

  /// Stores the workspace file or folder at `path` (whose digest is `digest`) unless the store
  /// already holds it, so a later reproduction can restore exactly this input.
  func ensureStored(_ path: String, digest: Digest) throws {
    guard try !store.contains(digest) else { return }
    let url = workspace.url(for: path)
    var isDirectory: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
    guard isDirectory.boolValue else {
      _ = try store.ingest(file: url)
      return
    }
    let entries = try FileWalker(root: workspace.root).files(under: url.path, shownAs: path)
    let stored = try store.ingest(files: entries.map { URL(fileURLWithPath: $0.absolutePath) })
    let rows = zip(entries, stored).map { entry, file in
      ArtifactFile(
        path: entry.path, digest: file.digest, size: file.size, executable: entry.executable)
    }
    _ = try store.ingest(data: DirectoryListing(files: rows).canonicalData())
  }

  /// Restores every `path → digest` into the workspace; `false` (and nothing written) when one of
  /// them is not in the store.
  func restore(_ outputs: [String: Digest]) throws -> Bool {
    for digest in outputs.values where try !store.contains(digest) { return false }
    let folders = try AnchoredFolders(anchor: workspace.root.path)
    for (path, digest) in outputs.sorted(by: { $0.key < $1.key }) {
      try materialize(digest, at: path, in: folders)
    }
    return true
  }

  /// Writes the content `digest` (a file, or a folder's listing and its files) at the
  /// canonical relative `path` under `folders`' anchor, replacing what is there and never
  /// following a symlink.
  /// - Throws: `StoreError` (integrity) when it is missing or corrupt, or a symlink is on the way.
  func materialize(_ digest: Digest, at path: String, in folders: AnchoredFolders) throws {
    let (opened, name) = try folders.parent(of: path, create: true)
    guard let parent = opened else { return }
    try parent.remove(name)
    folders.forget(path)
    guard let listing = try listing(digest) else {
      try store.materialize(digest, into: parent, name: name, mode: .copy)
      return
    }
    _ = try folders.folder(path, create: true)
    for file in listing.files {
      let (folder, fileName) = try folders.parent(of: path + "/" + file.path, create: true)
      guard let folder else { continue }
      try store.materialize(
        file.digest, into: folder, name: fileName, mode: .copy, executable: file.executable)
    }
  }

  /// Why the folder manifest `manifest` cannot be trusted to name its files, or `nil` when its
  /// file list is exactly the listing stored under its digest (or it is a single file).
  ///
  /// The folder's digest is the listing's digest, so the stored listing is what the digest
  /// vouches for; a file list that differs from it (another file's digest swapped in, say) was
  /// edited, and checking it out would write bytes nobody recorded for that path.
  /// - Throws: `StoreError` (integrity) when the listing is missing or damaged.
  func listingMismatch(_ manifest: ArtifactManifest) throws -> String? {
    guard let files = manifest.files else { return nil }
    let file = "\(Workspace.artifactManifestFolder)/\(manifest.path).json"
    // The verified read already proved these bytes are the digest's; their canonical form
    // does not matter for comparing file lists (re-encoding 20,000 rows costs most of a verify).
    guard let listing = try listing(manifest.digest, canonical: false) else {
      return "\(file): its digest \(manifest.digest.short) names no folder listing in the store; "
        + "restore the manifest from git, or add the folder again"
    }
    guard listing.files != files else { return nil }
    let stored = Dictionary(listing.files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    let differing = files.first { stored[$0.path] != $0 }?.path ?? "(a file only the listing has)"
    return "\(file): its file list differs from the folder's stored listing "
      + "\(manifest.digest.short) (first at '\(differing)'); the manifest was edited, so restore "
      + "it from git"
  }

  /// The directory listing stored under `digest`, or `nil` when it is a plain file; with
  /// `canonical`, only bytes in the listing's canonical form count as a listing (a JSON file that
  /// merely decodes as one is a file).
  func listing(_ digest: Digest, canonical: Bool = true) throws -> DirectoryListing? {
    // Listings are small canonical JSON; anything large or not a listing is a file.
    guard let info = try store.info(digest), info.size.value < 64 << 20 else { return nil }
    let data = try store.data(for: digest)
    guard data.first == UInt8(ascii: "{"),
      let listing = try? JSONDecoder().decode(DirectoryListing.self, from: data),
      !canonical || (try? listing.digest()) == digest
    else { return nil }
    return listing
  }
}
