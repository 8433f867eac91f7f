import Foundation
import Testing
import VouchTestSupport

@testable import VouchPipeline

@Suite struct WorkspacePathResolverTests {
  let directory: TemporaryDirectory
  let root: URL
  let resolver: WorkspacePathResolver

  init() throws {
    directory = try TemporaryDirectory(prefix: "paths")
    root = URL(fileURLWithPath: WorkspacePathResolver.realPath(directory.url.path))
    resolver = WorkspacePathResolver(root: root)
    try directory.write("data/train.csv", "a,b\n1,2\n")
    try directory.write("sub/readme.txt", "hi")
  }

  @Test(arguments: [
    ("data/train.csv", "data/train.csv"),
    ("./data/../data/train.csv", "data/train.csv"),
    ("data", "data"),
    ("data/", "data"),
  ])
  func acceptsPathsInside(argument: String, expected: String) throws {
    #expect(try resolver.existingArtifactPath(of: argument, currentDirectory: root) == expected)
  }

  @Test func acceptsDotDotThatStaysInside() throws {
    let sub = root.appendingPathComponent("sub")
    #expect(
      try resolver.existingArtifactPath(of: "../data/train.csv", currentDirectory: sub)
        == "data/train.csv")
  }

  @Test func acceptsAbsolutePathInside() throws {
    let absolute = root.appendingPathComponent("data/train.csv").path
    #expect(
      try resolver.existingArtifactPath(of: absolute, currentDirectory: root) == "data/train.csv")
  }

  @Test func missingPathIsAUsageError() throws {
    let error = try #require(throws: PipelineError.self) {
      try resolver.existingArtifactPath(of: "nope.csv", currentDirectory: root)
    }
    #expect(error.category == .usage)
    #expect(
      error.message
        == "'nope.csv' does not exist; check the spelling, or create the file before adding it")
  }

  @Test(arguments: ["/etc/hostname", "../outside.txt", "data/../../x"])
  func pathsOutsideAreRefused(argument: String) throws {
    let error = try #require(throws: PipelineError.self) {
      try resolver.relativePath(of: argument, currentDirectory: root)
    }
    #expect(error.category == .usage)
    #expect(error.message.contains("is outside the workspace"))
  }

  @Test func escapingSymlinkIsRefused() throws {
    let outside = try TemporaryDirectory(prefix: "outside")
    let target = try outside.write("secret.bin", "x")
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("link.bin").path, withDestinationPath: target.path)
    let error = try #require(throws: PipelineError.self) {
      try resolver.existingArtifactPath(of: "link.bin", currentDirectory: root)
    }
    #expect(error.message.hasPrefix("'link.bin' is a symlink that leads outside the workspace"))
  }

  @Test func symlinkInsideIsRecordedUnderItsOwnName() throws {
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("alias.csv").path,
      withDestinationPath: root.appendingPathComponent("data/train.csv").path)
    #expect(
      try resolver.existingArtifactPath(of: "alias.csv", currentDirectory: root) == "alias.csv")
  }

  @Test(arguments: [".vouch/config", ".git/HEAD", "manifests/artifacts/x.json", "."])
  func reservedPathsAreRefused(argument: String) throws {
    #expect(throws: PipelineError.self) {
      try resolver.relativePath(of: argument, currentDirectory: root)
    }
  }

  @Test func fifoIsRefused() throws {
    let fifo = root.appendingPathComponent("pipe")
    #expect(mkfifo(fifo.path, 0o644) == 0)
    let error = try #require(throws: PipelineError.self) {
      try resolver.existingArtifactPath(of: "pipe", currentDirectory: root)
    }
    #expect(error.message.contains("neither a regular file nor a folder"))
  }

  @Test func walkerListsNestedFilesSortedAndRejectsEscapes() throws {
    try directory.write("data/nested/b.txt", "b")
    try directory.write("data/a.txt", "a")
    let walker = FileWalker(root: root)
    let files = try walker.files(under: root.appendingPathComponent("data").path, shownAs: "data")
    #expect(files.map(\.path) == ["a.txt", "nested/b.txt", "train.csv"])
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("data/escape").path, withDestinationPath: "/etc/hostname")
    #expect(throws: PipelineError.self) {
      try walker.files(under: root.appendingPathComponent("data").path, shownAs: "data")
    }
  }
}
