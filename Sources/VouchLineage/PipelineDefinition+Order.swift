extension PipelineDefinition {
  /// The stages each stage depends on: those producing one of its inputs (or a folder holding
  /// it, or a file inside an input folder).
  public func dependencies(of stage: StageDefinition) -> [String] {
    stages.filter { producer in
      producer.name != stage.name
        && stage.inputs.contains { input in
          producer.outputs.contains { input.isWithin($0) || $0.isWithin(input) }
        }
    }.map(\.name).sorted()
  }

  /// The stage that produces `path`, if any.
  public func producer(of path: WorkspacePath) -> StageDefinition? {
    stages.first { $0.outputs.contains { path.isWithin($0) } }
  }

  /// Every stage in dependency order; ties are broken by name so the order is deterministic.
  /// - Throws: `LineageError` (usage) naming the stages of a cycle, in order.
  public func executionOrder() throws -> [StageDefinition] {
    var state: [String: Bool] = [:]  // false: on the current path, true: done
    var order: [StageDefinition] = []
    var path: [String] = []
    func visit(_ stage: StageDefinition) throws {
      if let done = state[stage.name] {
        if done { return }
        let start = path.firstIndex(of: stage.name) ?? 0
        let cycle = (path[start...] + [stage.name]).joined(separator: " → ")
        throw LineageError(
          category: .usage,
          message: "pipeline '\(name)' has a cycle: \(cycle); "
            + "break it by removing one of these inputs")
      }
      state[stage.name] = false
      path.append(stage.name)
      for dependency in dependencies(of: stage) {
        if let next = self.stage(named: dependency) { try visit(next) }
      }
      path.removeLast()
      state[stage.name] = true
      order.append(stage)
    }
    for stage in stages { try visit(stage) }
    return order
  }

  /// `names` and every stage they depend on (transitively), in dependency order.
  /// - Throws: `LineageError` for an unknown stage name or a cycle.
  public func stagesNeeded(for names: [String]) throws -> [StageDefinition] {
    var needed: Set<String> = []
    var pending: [String] = []
    for name in names {
      guard stage(named: name) != nil else {
        let known = stages.map(\.name).joined(separator: ", ")
        throw LineageError(
          category: .usage,
          message: "pipeline '\(self.name)' has no stage '\(name)'; its stages: \(known)")
      }
      pending.append(name)
    }
    while let name = pending.popLast() {
      guard needed.insert(name).inserted, let stage = stage(named: name) else { continue }
      pending += dependencies(of: stage)
    }
    return try executionOrder().filter { needed.contains($0.name) }
  }

  /// `name` and every stage downstream of it, in dependency order (for `reproduce --from`).
  /// - Throws: `LineageError` for an unknown stage name or a cycle.
  public func stagesDownstream(from name: String) throws -> [StageDefinition] {
    guard stage(named: name) != nil else {
      throw LineageError(
        category: .usage, message: "pipeline '\(self.name)' has no stage '\(name)'")
    }
    var reached: Set<String> = [name]
    for stage in try executionOrder() where !reached.contains(stage.name) {
      if dependencies(of: stage).contains(where: reached.contains) { reached.insert(stage.name) }
    }
    return try executionOrder().filter { reached.contains($0.name) }
  }
}
