import Foundation
import Testing
import VouchTestSupport

/// `vouch model inspect` run as a process on real model folders.
@Suite struct ModelInspectTests {
  /// A hand-built safetensors file: two F32 tensors, so every byte is known to the test.
  static func writeTinyModel(in directory: TemporaryDirectory) throws -> (tensorA: Data, file: URL)
  {
    let a = Data(
      (0..<6).flatMap { withUnsafeBytes(of: Float($0).bitPattern.littleEndian, Array.init) })
    let b = Data(
      (0..<2).flatMap { withUnsafeBytes(of: Float(-$0).bitPattern.littleEndian, Array.init) })
    var header = Data(
      (#"{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"#
        + #""b":{"dtype":"F32","shape":[2],"data_offsets":[24,32]}}"#).utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
    var file = Data(withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init))
    file.append(header)
    file.append(a)
    file.append(b)
    let url = try directory.write("model/model.safetensors", file)
    try directory.write(
      "model/config.json",
      #"{"architectures":["Qwen2ForCausalLM"],"model_type":"qwen2","hidden_size":4,"#
        + #""num_attention_heads":2,"num_hidden_layers":1,"rope_theta":500000.0,"#
        + #""tie_word_embeddings":true,"torch_dtype":"float32","vocab_size":3}"#)
    return (a, url)
  }

  /// `sha256sum` of `data`, computed by the system tool rather than by vouch's own code.
  static func sha256sum(_ data: Data, in directory: TemporaryDirectory) throws -> String {
    let url = try directory.write("digest-input-\(UUID().uuidString)", data)
    let result = try VouchProcess.run(
      URL(fileURLWithPath: "/usr/bin/env"), ["sha256sum", url.path], in: directory.url)
    return String(result.stdout.prefix(64))
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func inspectsHandBuiltFolderWithSystemDigests() throws {
    let directory = try TemporaryDirectory()
    let (tensorA, fileURL) = try ModelInspectTests.writeTinyModel(in: directory)
    let result = try VouchProcess.vouch(["model", "inspect", "model", "--json"], in: directory.url)
    #expect(result.status == 0, "\(result.stderr)")
    let report = try ModelInspectTests.json(result.stdout)
    #expect(report["parameters"] as? Int == 8)
    #expect(report["dtypes"] as? [String: Int] == ["F32": 8])
    let config = try #require(report["configuration"] as? [String: Any])
    #expect(config["architecture"] as? String == "Qwen2ForCausalLM")
    #expect(config["headDim"] as? Int == 2)
    #expect(config["kvHeads"] as? Int == 2)
    #expect(config["ropeTheta"] as? Double == 500_000)
    #expect(config["tieWordEmbeddings"] as? Bool == true)
    #expect(config["dtype"] as? String == "float32")
    let tensors = try #require(report["tensors"] as? [[String: Any]])
    #expect(tensors.map { $0["name"] as? String } == ["a", "b"])
    #expect(tensors.first?["shape"] as? [Int] == [2, 3])
    let expectedA = try ModelInspectTests.sha256sum(tensorA, in: directory)
    #expect(tensors.first?["digest"] as? String == "sha256:\(expectedA)")
    let files = try #require(report["files"] as? [[String: Any]])
    let weights = try #require(files.first { $0["name"] as? String == "model.safetensors" })
    let expectedFile = try ModelInspectTests.sha256sum(Data(contentsOf: fileURL), in: directory)
    #expect(weights["digest"] as? String == "sha256:\(expectedFile)")
    #expect(result.stderr.isEmpty)
  }

  @Test func textReportShowsConfigurationAndTensors() throws {
    let directory = try TemporaryDirectory()
    _ = try ModelInspectTests.writeTinyModel(in: directory)
    let result = try VouchProcess.vouch(["model", "inspect", "model"], in: directory.url)
    #expect(result.status == 0)
    #expect(result.stdout.contains("architecture  Qwen2ForCausalLM (qwen2)"))
    #expect(result.stdout.contains("parameters    8 (F32 8)"))
    #expect(result.stdout.contains("F32   a  [2, 3]"))
  }

  /// The parameter count of a Qwen2 model computed from its config, compared with the count
  /// vouch reads from the weights of each committed reference model.
  @Test(arguments: [
    "tied-bf16", "untied-bf16", "tied-f32-gqa", "untied-f32-headdim", "sharded-f32",
  ])
  func qwen2FixtureParameterCountMatchesConfig(_ name: String) throws {
    let folder = Fixtures.url("qwen2/\(name)")
    try #require(
      FileManager.default.fileExists(atPath: folder.appendingPathComponent("config.json").path))
    let directory = try TemporaryDirectory()
    let result = try VouchProcess.vouch(
      ["model", "inspect", folder.path, "--json"], in: directory.url)
    #expect(result.status == 0, "\(result.stderr)")
    let report = try ModelInspectTests.json(result.stdout)
    let config = try #require(report["configuration"] as? [String: Any])
    let hidden = try #require(config["hidden"] as? Int)
    let heads = try #require(config["heads"] as? Int)
    let kvHeads = try #require(config["kvHeads"] as? Int)
    let headDim = try #require(config["headDim"] as? Int)
    let intermediate = try #require(config["intermediate"] as? Int)
    let vocab = try #require(config["vocab"] as? Int)
    let layers = try #require(config["layers"] as? Int)
    let tied = try #require(config["tieWordEmbeddings"] as? Bool)
    let attention =
      hidden * heads * headDim + heads * headDim  // q with bias
      + 2 * (hidden * kvHeads * headDim + kvHeads * headDim)  // k, v with bias
      + heads * headDim * hidden  // o
    let perLayer = attention + 3 * hidden * intermediate + 2 * hidden
    let expected = vocab * hidden * (tied ? 1 : 2) + layers * perLayer + hidden
    #expect(report["parameters"] as? Int == expected)
    #expect((report["tensors"] as? [Any])?.count == 2 + layers * 12 + (tied ? 0 : 1))
  }

  @Test func folderWithoutConfigIsAUsageError() throws {
    let directory = try TemporaryDirectory()
    try FileManager.default.createDirectory(
      at: directory.path("empty"), withIntermediateDirectories: true)
    let result = try VouchProcess.vouch(["model", "inspect", "empty"], in: directory.url)
    #expect(result.status == 64)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains("empty: no config.json; point at a Hugging Face model folder"))
  }

  @Test func folderWithoutWeightsIsAUsageError() throws {
    let directory = try TemporaryDirectory()
    try directory.write("m/config.json", "{}")
    let result = try VouchProcess.vouch(["model", "inspect", "m"], in: directory.url)
    #expect(result.status == 64)
    #expect(
      result.stderr.contains(
        "m: no model.safetensors or model.safetensors.index.json; point at a Hugging Face model folder"
      ))
  }

  @Test func malformedWeightsNameTheFileAndTensor() throws {
    let directory = try TemporaryDirectory()
    let (_, fileURL) = try ModelInspectTests.writeTinyModel(in: directory)
    var bytes = try Data(contentsOf: fileURL)
    bytes.removeLast(4)
    try bytes.write(to: fileURL)
    let result = try VouchProcess.vouch(["model", "inspect", "model"], in: directory.url)
    #expect(result.status == 64)
    #expect(
      result.stderr.contains(
        "model.safetensors: tensor 'b' has data_offsets [24, 32] outside the data section (28 bytes)"
      ))
  }
}
