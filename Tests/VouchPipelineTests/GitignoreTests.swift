import Foundation
import Testing

@testable import VouchPipeline

@Suite struct GitignoreTests {
  @Test(arguments: [
    ("data/train.csv", "/data/train.csv"),
    ("weird[1]*.bin", "/weird\\[1]\\*.bin"),
  ])
  func patternsAreAnchoredAndEscaped(path: String, pattern: String) {
    #expect(Workspace.gitignorePattern(for: path) == pattern)
  }
}
