/// The tiny organism chain the adapter-stage tests build on: data → B → R (2 steps each),
/// and optionally 3-step adapters with F = 16, as pipeline TOML to which a test appends its
/// own stages.
enum TinyOrganismChain {
  /// `schemaVersion` and the data, base and reasoning stages; `adapters` (the tail of the
  /// adapter stage's parameter table) adds an `adapters` stage unless `nil`.
  static func stages(
    reasoningCount: Int, evaluationCount: Int = 2,
    adapters: String? = ", features = 16, l1 = 0.001, steps = 3"
  ) -> String {
    var text = """
      schemaVersion = 1
      [stages.data]
      kind = "organism-data"
      parameters = { base-count = 12, reasoning-count = \(reasoningCount), \
      evaluation-count = \(evaluationCount) }
      seed = 1
      outputs = ["organism/data"]
      [stages.base]
      kind = "organism-train"
      inputs = ["organism/data"]
      parameters = { mode = "base-from-scratch", preset = "tiny-A", \
      data = "organism/data/base.jsonl", steps = 2, learning-rate = 0.001 }
      seed = 1
      outputs = ["organism/base"]
      [stages.reasoning]
      kind = "organism-train"
      inputs = ["organism/data", "organism/base"]
      parameters = { mode = "fine-tune-full", preset = "tiny-A", model = "organism/base", \
      data = "organism/data/reasoning.jsonl", steps = 2, learning-rate = 0.001 }
      seed = 2
      outputs = ["organism/reasoning"]

      """
    if let adapters {
      text += """
        [stages.adapters]
        kind = "adapter-train"
        inputs = ["organism/data", "organism/base", "organism/reasoning"]
        parameters = { base = "organism/base", target = "organism/reasoning", \
        data = "organism/data/reasoning.jsonl"\(adapters) }
        seed = 3
        outputs = ["organism/adapters"]

        """
    }
    return text
  }
}
