import VouchCore

extension ClaimRecord {
  /// The claim's definition as it was recorded, or `nil` when the recorded JSON path does not
  /// parse (only a hand-edited record has one).
  public var definition: ClaimDefinition? {
    let how: ClaimSource
    switch (jsonPath, metric) {
    case (let text?, nil):
      guard let path = JSONPath(text) else { return nil }
      how = .jsonPath(path)
    case (nil, let builtIn?): how = .metric(builtIn)
    default: return nil
    }
    return ClaimDefinition(
      name: name, unit: unit, artifact: source, source: how, tolerance: tolerance,
      direction: direction)
  }
}

extension RunRecord {
  /// The stage as this run recorded it: kind, command, inputs, parameters, seed, outputs and
  /// claim definitions (what `vouch reproduce --as-recorded` reruns).
  /// - Throws: `LineageError` (integrity) when a recorded claim's JSON path does not parse.
  public func recordedStage() throws -> StageDefinition {
    let definitions = try claims.map { claim in
      guard let definition = claim.definition else {
        throw LineageError.integrity(
          "run \(runKey.short): claim '\(claim.name)' records no readable JSON path or metric; "
            + "restore the record from git")
      }
      return definition
    }
    return StageDefinition(
      name: stage, kind: kind, command: command,
      inputs: try inputs.keys.sorted().map { try WorkspacePath(decoding: $0, location: "inputs") },
      parameters: parameters, seed: seed,
      outputs: try outputs.keys.sorted().map {
        try WorkspacePath(decoding: $0, location: "outputs")
      },
      claims: definitions)
  }

  /// How `stage`, the pipeline file's current definition, differs from what this run recorded:
  /// one short phrase per difference (`command`, `parameter 'rows'`, `claim 'kl' tolerance`),
  /// empty when the run matches the definition. Input digests, code and engine are not compared
  /// (they describe the workspace, not the definition).
  public func differences(from stage: StageDefinition) -> [String] {
    var found: [String] = []
    if kind != stage.kind { found.append("kind") }
    if command != stage.command { found.append("command") }
    if seed != stage.seed { found.append("seed") }
    let names = Set(parameters.keys).union(stage.parameters.keys).sorted()
    for name in names where parameters[name]?.canonicalJSON != stage.parameters[name]?.canonicalJSON
    {
      found.append("parameter '\(name)'")
    }
    if Set(inputs.keys) != Set(stage.inputs.map(\.rawValue)) { found.append("inputs") }
    if Set(outputs.keys) != Set(stage.outputs.map(\.rawValue)) { found.append("outputs") }
    let recorded = Dictionary(claims.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    for claim in stage.claims {
      guard let old = recorded[claim.name] else {
        found.append("claim '\(claim.name)' is new")
        continue
      }
      let parts = Self.claimDifferences(old, claim)
      if !parts.isEmpty {
        found.append("claim '\(claim.name)' \(parts.joined(separator: ", "))")
      }
    }
    for claim in claims where !stage.claims.contains(where: { $0.name == claim.name }) {
      found.append("claim '\(claim.name)' was removed")
    }
    return found
  }

  private static func claimDifferences(_ old: ClaimRecord, _ new: ClaimDefinition) -> [String] {
    var parts: [String] = []
    if old.source != new.artifact { parts.append("source") }
    switch new.source {
    case .jsonPath(let path):
      if old.jsonPath != path.description || old.metric != nil { parts.append("path") }
    case .metric(let metric):
      if old.metric != metric || old.jsonPath != nil { parts.append("metric") }
    }
    if old.unit != new.unit { parts.append("unit") }
    if old.tolerance != new.tolerance { parts.append("tolerance") }
    if old.direction != new.direction { parts.append("direction") }
    return parts
  }
}
