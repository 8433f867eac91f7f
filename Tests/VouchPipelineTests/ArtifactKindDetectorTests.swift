import Testing
import VouchLineage

@testable import VouchPipeline

@Suite struct ArtifactKindDetectorTests {
  @Test(arguments: [
    ("model.safetensors", ArtifactKind.model),
    ("transcoder_layer3.safetensors", .adapter),
    ("lora-adapter.bin", .adapter),
    ("loss.svg", .figure),
    ("plot.PNG", .figure),
    ("train.csv", .dataset),
    ("prompts.jsonl", .dataset),
    ("feature_labels.json", .labels),
    ("eval_results.json", .results),
    ("metrics.csv", .results),
    ("notes.md", .other),
  ])
  func fileKinds(name: String, kind: ArtifactKind) {
    #expect(ArtifactKindDetector.kind(ofFileNamed: name) == kind)
  }

  @Test func huggingFaceFolderIsAModel() {
    let files = ["config.json", "model.safetensors", "tokenizer.json"]
    #expect(ArtifactKindDetector.kind(ofDirectoryNamed: "tiny-qwen", files: files) == .model)
  }

  @Test func peftFolderIsAnAdapter() {
    let files = ["adapter_config.json", "adapter_model.safetensors"]
    #expect(ArtifactKindDetector.kind(ofDirectoryNamed: "ckpt", files: files) == .adapter)
  }

  @Test func uniformFolderTakesItsFilesKindAndMixedIsOther() {
    #expect(
      ArtifactKindDetector.kind(ofDirectoryNamed: "d", files: ["a.csv", "b/c.parquet"]) == .dataset)
    #expect(ArtifactKindDetector.kind(ofDirectoryNamed: "f", files: ["a.svg", "b.png"]) == .figure)
    #expect(ArtifactKindDetector.kind(ofDirectoryNamed: "m", files: ["a.csv", "b.svg"]) == .other)
    #expect(ArtifactKindDetector.kind(ofDirectoryNamed: "e", files: []) == .other)
  }
}
