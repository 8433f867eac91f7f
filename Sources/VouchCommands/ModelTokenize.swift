import ArgumentParser
import Foundation
import VouchCore
import VouchPipeline

extension VouchCommand.Model {
  /// `vouch model tokenize DIR --text TEXT`: token ids of a text under a folder's tokenizer.
  struct ModelTokenize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "tokenize",
      abstract: "Encodes text with a model folder's tokenizer.json.",
      discussion: """
        Encoding matches Hugging Face tokenizers for Qwen2-style byte-level BPE: added and special \
        tokens are matched first, the rest is NFC-normalised, split and merged. The text output \
        lists each id, its token as tokenizer.json spells it, and the text it stands for.
        """)

    @Argument(help: "The model folder holding tokenizer.json.")
    var directory: String

    @Option(name: .long, help: "The text to encode.")
    var text: String

    @Flag(name: .long, help: "Print machine-readable JSON ({\"ids\", \"tokens\"}) instead of text.")
    var json = false

    func run() async throws {
      let tokenizer = try ModelFolder(path: directory).tokenizer()
      let ids = tokenizer.encode(text)
      let tokens = tokenizer.tokens(for: ids)
      if json {
        let value = JSONValue.object([
          "ids": .array(ids.map { .integer(Int64($0)) }),
          "tokens": .array(tokens.map { .string($0) }),
        ])
        FileHandle.standardOutput.write(try CanonicalJSON.data(for: value) + Data("\n".utf8))
        return
      }
      var out = "\(ids.count) tokens: \(ids.map(String.init).joined(separator: " "))\n"
      let width = ids.map { String($0).count }.max() ?? 0
      for (id, token) in zip(ids, tokens) {
        let piece = (try? tokenizer.decode([id])) ?? ""
        let padding = String(repeating: " ", count: width - String(id).count)
        out += "  \(padding)\(id)  \(token)  \(piece.debugDescription)\n"
      }
      print(out, terminator: "")
    }
  }
}
