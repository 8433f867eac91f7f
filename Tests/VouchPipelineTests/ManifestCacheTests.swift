import Foundation
import Testing
import VouchCore
import VouchLineage
import VouchStore
import VouchTestSupport

@testable import VouchPipeline

@Suite struct ManifestCacheTests {
  @Test func roundTripsManifestsAndIgnoresDamage() throws {
    let directory = try TemporaryDirectory(prefix: "cache")
    let url = directory.path("manifests.cache")
    let digest = Digest.of(Data("x".utf8))
    let folder = ArtifactManifest(
      path: "d", kind: .model, digest: digest, size: 3,
      files: [
        ArtifactFile(path: "a/b.safetensors", digest: digest, size: 1, executable: true),
        ArtifactFile(path: "c.json", digest: Digest.of(Data("y".utf8)), size: 2, executable: false),
      ])
    let file = ArtifactManifest(
      path: "f.csv", kind: .dataset, digest: digest, size: 1, files: nil, executable: false)
    let stat = FileStat(size: 10, mtimeNanoseconds: 1_700_000_000_123_456_789, inode: 42)
    var cache = ManifestCache(url: url)
    cache.store(folder, forKey: "d.json", stat: stat)
    cache.store(file, forKey: "f.csv.json", stat: stat)
    cache.save()

    let loaded = ManifestCache(url: url)
    #expect(loaded.manifest(forKey: "d.json", stat: stat) == folder)
    #expect(loaded.manifest(forKey: "f.csv.json", stat: stat) == file)
    var touched = stat
    touched.mtimeNanoseconds += 1
    #expect(loaded.manifest(forKey: "d.json", stat: touched) == nil)

    // A truncated cache is ignored as a whole, never half-read.
    let bytes = try Data(contentsOf: url)
    try bytes.prefix(bytes.count - 5).write(to: url)
    #expect(ManifestCache(url: url).entries.isEmpty)
  }
}
