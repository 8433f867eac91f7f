import Foundation
import Testing
import VouchCore
import VouchLineage

@Suite struct ArtifactManifestTests {
  let digest = Digest.of(Data("hello".utf8))

  @Test func roundTripsAsCanonicalPrettyJSON() throws {
    let manifest = ArtifactManifest(
      path: "data/train.csv", kind: .dataset, digest: digest, size: 5, files: nil, executable: false
    )
    let bytes = try manifest.encoded()
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(
      text == """
        {
          "digest": "\(digest)",
          "executable": false,
          "kind": "dataset",
          "path": "data/train.csv",
          "schemaVersion": 1,
          "size": 5
        }

        """)
    #expect(try ArtifactManifest.decode(bytes) == manifest)
  }

  @Test func rejectsUnknownSchemaVersion() throws {
    let text = """
      {"digest": "\(digest)", "kind": "dataset", "path": "x", "schemaVersion": 2, "size": 5}
      """
    #expect(throws: DecodingError.self) { try ArtifactManifest.decode(Data(text.utf8)) }
  }

  @Test func directoryDigestIsTheDigestOfItsCanonicalListing() throws {
    let files = [
      ArtifactFile(path: "b.txt", digest: digest, size: 5, executable: false),
      ArtifactFile(path: "a.txt", digest: digest, size: 5, executable: true),
    ]
    let listing = DirectoryListing(files: files)
    #expect(listing.files.map(\.path) == ["a.txt", "b.txt"])
    #expect(try listing.digest() == Digest.of(try CanonicalJSON.data(for: listing)))
    // Order of the input does not matter; content does.
    #expect(try DirectoryListing(files: files.reversed()).digest() == listing.digest())
    var changed = files
    changed[0].executable = true
    #expect(try DirectoryListing(files: changed).digest() != listing.digest())
    #expect(listing.totalSize == 10)
  }

  @Test func referencedDigestsCoverListingAndFiles() throws {
    let other = Digest.of(Data("other".utf8))
    let manifest = ArtifactManifest(
      path: "m", kind: .model, digest: other, size: 5,
      files: [ArtifactFile(path: "w.safetensors", digest: digest, size: 5, executable: false)])
    #expect(manifest.referencedDigests == [digest, other])
    #expect(manifest.isDirectory)
  }
}
