import Foundation
import Testing
import VouchLineage

@Suite struct RemoteRegistryTests {
  @Test func encodingRoundTrips() throws {
    let registry = RemoteRegistry(
      remotes: ["organism": "artifacts/organism", "lab": "/mnt/lab \"disk\"\\x"],
      defaultName: "organism")
    let text = registry.encoded()
    #expect(text.contains("default = \"organism\"\n"))
    #expect(try RemoteRegistry.parse(text) == registry)
    #expect(try RemoteRegistry.parse(RemoteRegistry().encoded()) == RemoteRegistry())
  }

  @Test(arguments: [
    ("schemaVersion = 2\n", "unknown remotes schema version 2"),
    ("default = \"x\"\n", "missing key 'schemaVersion'"),
    ("schemaVersion = 1\nremote = {}\n", "did you mean 'remotes'?"),
    ("schemaVersion = 1\ndefault = \"b\"\n[remotes]\na = \"p\"\n", "names remote 'b'"),
    ("schemaVersion = 1\n[remotes]\na = 3\n", "expected a string"),
    ("schemaVersion = 1\n[remotes]\n\"a b\" = \"p\"\n", "may only use letters"),
    ("schemaVersion = 1\n[remotes]\na = \"\"\n", "path is empty"),
  ])
  func invalidFilesAreRejectedWithTheirKey(text: String, fragment: String) throws {
    let error = try #require(throws: LineageError.self) { try RemoteRegistry.parse(text) }
    #expect(error.message.contains(fragment), "\(error.message)")
    #expect(error.message.hasPrefix("manifests/remotes.toml"))
  }
}
