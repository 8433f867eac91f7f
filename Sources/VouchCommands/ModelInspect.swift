import ArgumentParser
import Foundation
import VouchCore
import VouchPipeline

extension VouchCommand.Model {
  /// `vouch model inspect DIR`: configuration, parameter count, dtypes and digests of a folder.
  struct ModelInspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "inspect",
      abstract:
        "Prints a model folder's configuration, parameter count, dtypes and per-tensor digests.",
      discussion: """
        Digests are SHA-256 of each tensor's bytes as stored and of each whole file (the number \
        sha256sum and Hugging Face's LFS pointers give). Every safetensors header is validated; a \
        malformed file, a missing shard or a missing config.json exits with status 64.
        """)

    @Argument(
      help: "The model folder (config.json and model.safetensors or sharded *.safetensors).")
    var directory: String

    @Flag(
      name: .long, help: "Print machine-readable JSON (canonical, sorted keys) instead of text.")
    var json = false

    func run() async throws {
      let inspection = try ModelFolder(path: directory).inspect()
      if json {
        FileHandle.standardOutput.write(try CanonicalJSON.prettyData(for: inspection))
      } else {
        print(ModelInspect.render(inspection), terminator: "")
      }
    }

    /// The human-readable report.
    static func render(_ inspection: ModelInspection) -> String {
      let config = inspection.configuration
      func show<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "?" }
      var out = "model         \(inspection.directory)\n"
      out += "architecture  \(show(config.architecture)) (\(show(config.modelType)))\n"
      out += "shape         layers \(show(config.layers)), hidden \(show(config.hidden)), "
      out += "heads \(show(config.heads)) (kv \(show(config.kvHeads))), "
      out += "head_dim \(show(config.headDim)), intermediate \(show(config.intermediate)), "
      out += "vocab \(show(config.vocab))\n"
      out += "rope_theta    \(show(config.ropeTheta))\n"
      out += "tied          \(show(config.tieWordEmbeddings))\n"
      out += "dtype         \(show(config.dtype))\n"
      let byType = inspection.dtypes.keys.sorted().map {
        "\($0) \(grouped(inspection.dtypes[$0] ?? 0))"
      }
      out += "parameters    \(grouped(inspection.parameters)) (\(byType.joined(separator: ", ")))\n"
      out += "\nfiles\n"
      for file in inspection.files {
        out +=
          "  \(file.digest.short)  \(pad(grouped(file.bytes), 14, right: true))  \(file.name)\n"
      }
      out += "\ntensors (\(inspection.tensors.count))\n"
      let width = min(inspection.tensors.map(\.name.count).max() ?? 0, 60)
      for tensor in inspection.tensors {
        let shape = "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]"
        out +=
          "  \(tensor.digest.short)  \(pad(tensor.dtype, 4))  \(pad(tensor.name, width))  \(shape)\n"
      }
      return out
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ value: Int) -> String {
      let digits = Array(String(value.magnitude))
      var out = ""
      for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
      }
      return value < 0 ? "-" + out : out
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
      let padding = String(repeating: " ", count: max(0, width - text.count))
      return right ? padding + text : text + padding
    }
  }
}
