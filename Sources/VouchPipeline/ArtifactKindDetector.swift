import Foundation
import VouchLineage

/// Guesses an artifact's kind from its name and contents when `--kind` is not given.
///
/// Rules, first match wins:
/// - A folder with `adapter_config.json` (PEFT) or whose name mentions `adapter`, `lora` or
///   `transcoder` and that holds weights is an `adapter`; a folder with `config.json` and at least
///   one `*.safetensors` (a Hugging Face model folder) is a `model`.
/// - Weights files (`.safetensors`, `.bin`, `.pt`, `.pth`, `.ckpt`, `.gguf`, `.onnx`, `.npz`) are an
///   `adapter` when the file name mentions `adapter`, `lora` or `transcoder`, else a `model`.
/// - Images and documents (`.svg`, `.png`, `.jpg`, `.jpeg`, `.gif`, `.pdf`) are a `figure`.
/// - Tabular and text data (`.json`, `.jsonl`, `.csv`, `.tsv`, `.parquet`, `.arrow`, `.txt`,
///   `.npy`) are `labels` when the name mentions `label`, `results` when it mentions `result`,
///   `metric`, `eval` or `score`, else a `dataset`.
/// - A folder whose files all have one kind by the rules above has that kind; otherwise `other`.
/// - Anything else is `other`.
public enum ArtifactKindDetector {
  static let weightExtensions: Set<String> = [
    "safetensors", "bin", "pt", "pth", "ckpt", "gguf", "onnx", "npz",
  ]
  static let figureExtensions: Set<String> = ["svg", "png", "jpg", "jpeg", "gif", "pdf"]
  static let dataExtensions: Set<String> = [
    "json", "jsonl", "csv", "tsv", "parquet", "arrow", "txt", "npy",
  ]

  /// The kind of a single file called `name`.
  public static func kind(ofFileNamed name: String) -> ArtifactKind {
    let lower = name.lowercased()
    let ext = (lower as NSString).pathExtension
    if weightExtensions.contains(ext) {
      return mentionsAdapter(lower) ? .adapter : .model
    }
    if figureExtensions.contains(ext) { return .figure }
    if dataExtensions.contains(ext) {
      if lower.contains("label") { return .labels }
      if ["result", "metric", "eval", "score"].contains(where: lower.contains) { return .results }
      return .dataset
    }
    return .other
  }

  /// The kind of a folder called `name` holding `files` (paths relative to the folder).
  public static func kind(ofDirectoryNamed name: String, files: [String]) -> ArtifactKind {
    let topLevel = Set(files.filter { !$0.contains("/") })
    let hasWeights = files.contains {
      weightExtensions.contains(($0.lowercased() as NSString).pathExtension)
    }
    if hasWeights, topLevel.contains("adapter_config.json") || mentionsAdapter(name.lowercased()) {
      return .adapter
    }
    if topLevel.contains("config.json"), files.contains(where: { $0.hasSuffix(".safetensors") }) {
      return .model
    }
    let kinds = Set(files.map { kind(ofFileNamed: ($0 as NSString).lastPathComponent) })
    if kinds.count == 1, let only = kinds.first { return only }
    return .other
  }

  private static func mentionsAdapter(_ lowercased: String) -> Bool {
    ["adapter", "lora", "transcoder"].contains(where: lowercased.contains)
  }
}
