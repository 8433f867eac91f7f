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
    var text: String?

    @Option(name: .long, help: "Encode the UTF-8 contents of this file instead of --text.")
    var file: String?

    @Flag(name: .long, help: "Print machine-readable JSON ({\"ids\", \"tokens\"}) instead of text.")
    var json = false

    func validate() throws {
      guard (text == nil) != (file == nil) else {
        throw ValidationError("Give exactly one of --text TEXT or --file PATH.")
      }
    }

    func run() async throws {
      let tokenizer = try ModelFolder(path: directory).tokenizer()
      let input: String
      if let text {
        input = text
      } else {
        let path = file ?? ""
        guard let data = FileManager.default.contents(atPath: path) else {
          throw ValidationError(
            "Cannot read '\(path)'; check that the file exists and is readable.")
        }
        input = String(decoding: data, as: UTF8.self)
      }
      let ids = tokenizer.encode(input)
      let tokens = tokenizer.tokens(for: ids)
      if json {
        FileHandle.standardOutput.write(Data(ModelTokenize.canonicalJSON(ids: ids, tokens: tokens)))
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

    /// `{"ids":[…],"tokens":[…]}` and a newline, byte for byte what `CanonicalJSON.data` gives
    /// for the same object, written directly: a megabyte of text has ~300k ids, and the generic
    /// encoder's tree of values took longer than encoding the text. Same escaping rules.
    static func canonicalJSON(ids: [Int], tokens: [String]) -> [UInt8] {
      var out: [UInt8] = []
      out.reserveCapacity(ids.count * 12 + 32)
      out.append(contentsOf: #"{"ids":["#.utf8)
      var digits = [UInt8](repeating: 0, count: 20)
      for (index, id) in ids.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        // Token ids are non-negative; write their decimal digits without a String per id.
        var value = id.magnitude
        var count = 0
        repeat {
          digits[count] = UInt8(ascii: "0") + UInt8(value % 10)
          value /= 10
          count += 1
        } while value > 0
        for digit in digits[0..<count].reversed() { out.append(digit) }
      }
      out.append(contentsOf: #"],"tokens":["#.utf8)
      let hex = Array("0123456789abcdef".utf8)
      for (index, token) in tokens.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        for byte in token.utf8 {
          switch byte {
          case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
          case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
          case 0x0A: out.append(contentsOf: #"\n"#.utf8)
          case 0x0D: out.append(contentsOf: #"\r"#.utf8)
          case 0x09: out.append(contentsOf: #"\t"#.utf8)
          case 0x08: out.append(contentsOf: #"\b"#.utf8)
          case 0x0C: out.append(contentsOf: #"\f"#.utf8)
          case 0x00..<0x20:
            out.append(contentsOf: #"\u00"#.utf8)
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
          default: out.append(byte)
          }
        }
        out.append(UInt8(ascii: "\""))
      }
      out.append(contentsOf: "]}\n".utf8)
      return out
    }
  }
}
