import Foundation
import Testing
import VouchCore
import VouchTestSupport

@testable import VouchStore

/// A store with a whole file, a chunked file and a small document, and the remote beside it.
struct RemoteFixture {
  let directory: TemporaryDirectory
  let store: Store
  let remote: FilesystemRemote
  let whole: Data
  let chunked: Data
  let digests: [Digest]

  init() throws {
    let (directory, store) = try makeStore()
    self.directory = directory
    self.store = store
    remote = try FilesystemRemote.create(at: directory.path("remote"))
    whole = randomBytes(10_000, seed: 11)
    chunked = randomBytes(400_000, seed: 12)
    let a = try store.ingest(file: try directory.write("a.bin", whole))
    let b = try store.ingest(file: try directory.write("b.bin", chunked))
    let c = try store.ingest(data: Data(#"{"note":"listing"}"#.utf8))
    digests = [a.digest, b.digest, c.digest]
  }

  /// A second, empty store in the same temporary directory.
  func emptyStore(_ name: String = "other") throws -> Store {
    try Store.create(at: directory.path(name), chunking: testChunking, lockTimeout: 5)
  }

  /// Every file under the remote's objects/ and recipes/ (relative paths).
  func remoteFiles() throws -> [String] {
    let root = directory.path("remote").path
    let walker = FileManager.default.enumerator(atPath: root)
    var out: [String] = []
    while let path = walker?.nextObject() as? String {
      if path.hasPrefix("objects/sha256/") || path.hasPrefix("recipes/sha256/"),
        path.split(separator: "/").count == 4
      {
        out.append(path)
      }
    }
    return out.sorted()
  }

  /// The names of the files in the remote's `tmp/`.
  func leftovers() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path("remote/tmp").path).sorted()
  }
}
