/// A pipeline, as declared by hand in `manifests/<name>.pipeline.toml`.
///
/// ```toml
/// schemaVersion = 1
///
/// [stages.make-data]
/// command = "python3 make_data.py"
/// inputs = ["make_data.py"]
/// parameters = { rows = 1000, noise = 0.1 }
/// seed = 7
/// outputs = ["data/points.csv"]
///
/// [stages.metric]
/// command = "python3 metric.py"
/// inputs = ["metric.py", "data/points.csv"]
/// outputs = ["results/metric.json"]
///
/// [[stages.metric.claims]]
/// name = "mean"
/// source = "results/metric.json"
/// path = "$.mean"
/// unit = ""
/// tolerance = { abs = 1e-9 }
/// ```
///
/// A stage depends on another when one of its inputs is (or lies inside) the other's output.
public struct PipelineDefinition: Hashable, Sendable {
  /// The pipeline's name: the file name without `.pipeline.toml`.
  public var name: String
  /// Always ``LineageSchema/pipelineVersion`` once decoded.
  public var schemaVersion: Int
  /// Optional prose.
  public var description: String?
  /// The stages, sorted by name (execution order comes from ``executionOrder()``).
  public var stages: [StageDefinition]

  /// The suffix of pipeline files under `manifests/`.
  public static let fileSuffix = ".pipeline.toml"

  /// The stage called `name`, if any.
  public func stage(named name: String) -> StageDefinition? {
    stages.first { $0.name == name }
  }

  /// Every claim with the stage that reports it.
  public var claims: [(stage: String, claim: ClaimDefinition)] {
    stages.flatMap { stage in stage.claims.map { (stage.name, $0) } }
  }

  /// Whether `name` is a valid pipeline or stage name: 1–64 letters, digits, `-` and `_`.
  public static func isValidName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 64
      && name.utf8.allSatisfy { byte in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
          || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
          || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
          || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
      }
  }
}
