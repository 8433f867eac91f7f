import Foundation
import Testing

@testable import VouchPipeline

@Suite struct GitignoreTests {
  @Test(arguments: [
    ("data/train.csv", "/data/train.csv"),
    ("weird[1]*.bin", "/weird\\[1]\\*.bin"),
    ("trail ", "/trail\\ "),
    ("a  b  ", "/a  b\\ \\ "),
  ])
  func patternsAreAnchoredAndEscaped(path: String, pattern: String) {
    #expect(Workspace.gitignorePattern(for: path) == pattern)
  }

  @Test func controlCharactersAreRefusedWithTheirName() {
    #expect(throws: Never.self) { try WorkspacePathResolver.checkIgnorableName("a b", shownAs: "") }
    #expect(throws: PipelineError.self) {
      try WorkspacePathResolver.checkIgnorableName("a\u{7F}b", shownAs: "a\u{7F}b")
    }
  }
}
