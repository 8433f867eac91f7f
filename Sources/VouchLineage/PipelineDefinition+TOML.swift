import Foundation

extension PipelineDefinition {
  /// Reads and validates a pipeline file.
  ///
  /// Strict: an unknown key, a wrong type, an unknown schema version, an unknown stage kind or
  /// metric, an unsafe path, a duplicate output or claim name is an error naming the file, the
  /// line and the key.
  /// - Parameters:
  ///   - text: The file's content.
  ///   - name: The pipeline name (the file name without `.pipeline.toml`).
  ///   - file: How to name the file in messages (`manifests/metric.pipeline.toml`).
  ///   - root: The workspace root, so absolute paths inside it can be accepted.
  ///   - vocabulary: The stage kinds and metrics this build knows.
  /// - Returns: The validated definition, stages sorted by name.
  /// - Throws: `LineageError` (usage) describing the first problem found.
  public static func parse(
    _ text: String, name: String, file: String, root: URL? = nil,
    vocabulary: PipelineVocabulary = .standard
  ) throws -> PipelineDefinition {
    guard isValidName(name) else {
      throw LineageError.invalidDocument(
        file, "pipeline name '\(name)' may only use letters, digits, '-' and '_'; rename the file")
    }
    let top = TOMLTableReader(document: try TOMLDocument(text: text, file: file))
    guard let version = try top.integer("schemaVersion") else {
      throw top.missing("schemaVersion", "an integer; this vouch reads version 1")
    }
    try LineageSchema.check(
      Int(version), supported: LineageSchema.pipelineVersion, document: "pipeline",
      location: top.location("schemaVersion"))
    try top.rejectUnknownKeys(["schemaVersion", "description", "stages"])
    guard let stagesTable = try top.table("stages"), !stagesTable.members.isEmpty else {
      throw top.missing("stages", "a table with at least one [stages.<name>]")
    }
    var stages: [StageDefinition] = []
    for stageName in stagesTable.members.keys.sorted() {
      guard let reader = try stagesTable.table(stageName) else { continue }
      stages.append(try parseStage(reader, name: stageName, root: root, vocabulary: vocabulary))
    }
    let definition = PipelineDefinition(
      name: name, schemaVersion: Int(version), description: try top.string("description"),
      stages: stages)
    try definition.checkUniqueness(stagesTable)
    return definition
  }

  private static func parseStage(
    _ stage: TOMLTableReader, name: String, root: URL?, vocabulary: PipelineVocabulary
  ) throws -> StageDefinition {
    guard isValidName(name) else {
      throw stage.error(nil, "stage name '\(name)' may only use letters, digits, '-' and '_'")
    }
    try stage.rejectUnknownKeys([
      "kind", "command", "description", "inputs", "parameters", "seed", "outputs", "claims",
    ])
    let kind = StageKind(rawValue: try stage.string("kind") ?? StageKind.command.rawValue)
    guard vocabulary.kinds.contains(kind) else {
      let known = vocabulary.kinds.map(\.rawValue).sorted().joined(separator: ", ")
      throw stage.error("kind", "unknown stage kind '\(kind)'; known kinds: \(known)")
    }
    let command = try stage.string("command")
    if kind == .command, command == nil {
      throw stage.missing("command", "the shell command this stage runs")
    }
    if kind == .command, command?.allSatisfy(\.isWhitespace) == true {
      throw stage.error("command", "the command is empty; write the shell command this stage runs")
    }
    if kind != .command, command != nil {
      throw stage.error("command", "only 'command' stages take a command; remove it")
    }
    let inputs = try paths(stage, "inputs", root: root)
    let outputs = try paths(stage, "outputs", root: root)
    if kind == .command, outputs.isEmpty {
      throw stage.missing("outputs", "the files this stage writes, e.g. [\"results/out.json\"]")
    }
    for input in inputs where outputs.contains(where: { input.isWithin($0) || $0.isWithin(input) })
    {
      throw stage.error("inputs", "'\(input)' is both an input and an output of this stage")
    }
    var seed: UInt64? = nil
    if let value = try stage.integer("seed") {
      guard value >= 0 else { throw stage.error("seed", "a seed must be a non-negative integer") }
      seed = UInt64(value)
    }
    var parameters: [String: ParameterValue] = [:]
    if let table = try stage.table("parameters") {
      for key in table.members.keys.sorted() {
        guard isValidName(key) else {
          throw table.error(key, "parameter names may only use letters, digits, '-' and '_'")
        }
        parameters[key] = try parameter(table.members[key] ?? .bool(false), table, [key])
      }
    }
    let claims = try stage.tables("claims").map {
      try ClaimDefinition.parse($0, outputs: outputs, root: root, vocabulary: vocabulary)
    }
    return StageDefinition(
      name: name, kind: kind, command: command, inputs: inputs, parameters: parameters, seed: seed,
      outputs: outputs, claims: claims)
  }

  private static func paths(_ stage: TOMLTableReader, _ key: String, root: URL?) throws
    -> [WorkspacePath]
  {
    var seen: Set<WorkspacePath> = []
    var result: [WorkspacePath] = []
    for (index, text) in try stage.strings(key).enumerated() {
      let location = stage.document.location(stage.path + [key, "[\(index)]"])
      let path = try WorkspacePath(validating: text, root: root, location: location)
      if path.rawValue.hasPrefix(ManifestRepository.manifestsDirectory + "/")
        || path.rawValue
          == ManifestRepository.manifestsDirectory,
        key == "outputs"
      {
        throw LineageError.unsafePath(location, text, "is inside manifests/, which git tracks")
      }
      guard seen.insert(path).inserted else {
        throw LineageError.invalidDocument(location, "'\(text)' is listed twice")
      }
      result.append(path)
    }
    return result
  }

  private static func parameter(_ node: TOMLNode, _ table: TOMLTableReader, _ path: [String])
    throws -> ParameterValue
  {
    switch node {
    case .string(let text): return .string(text)
    case .integer(let number): return .integer(number)
    case .bool(let flag): return .bool(flag)
    case .float(let number):
      guard let exact = ExactFloat(number) else {
        throw LineageError.invalidDocument(
          table.document.location(table.path + path), "parameters must be finite numbers")
      }
      return .float(exact)
    case .array(let items):
      return .array(
        try items.enumerated().map { try parameter($1, table, path + ["[\($0)]"]) })
    case .table(let members):
      var result: [String: ParameterValue] = [:]
      for (key, value) in members { result[key] = try parameter(value, table, path + [key]) }
      return .table(result)
    case .date:
      throw LineageError.invalidDocument(
        table.document.location(table.path + path),
        "dates are not supported as parameters; write the date as a string")
    }
  }

  /// No path is the output of two stages, and no claim name is used twice.
  private func checkUniqueness(_ stagesTable: TOMLTableReader) throws {
    var owners: [(WorkspacePath, String)] = []
    var claimNames: Set<String> = []
    for stage in stages {
      for output in stage.outputs {
        if let (other, owner) = owners.first(where: {
          output.isWithin($0.0) || $0.0.isWithin(output)
        }) {
          throw LineageError.invalidDocument(
            stagesTable.document.location(stagesTable.path + [stage.name, "outputs"]),
            "output '\(output)' overlaps output '\(other)' of stage '\(owner)'; "
              + "each file must have one producer")
        }
        owners.append((output, stage.name))
      }
      for claim in stage.claims where !claimNames.insert(claim.name).inserted {
        throw LineageError.invalidDocument(
          stagesTable.document.location(stagesTable.path + [stage.name, "claims"]),
          "claim name '\(claim.name)' is used twice in this pipeline; claim names must be unique")
      }
    }
  }
}
