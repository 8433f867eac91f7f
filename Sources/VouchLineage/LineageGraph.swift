import VouchCore

/// An artifact version: a workspace path with the digest it had.
public struct ArtifactVersion: Hashable, Sendable, Codable {
  /// The workspace-relative path.
  public var path: String
  /// Its content (or listing) digest.
  public var digest: Digest

  /// Creates a reference.
  public init(path: String, digest: Digest) {
    self.path = path
    self.digest = digest
  }
}

/// One artifact in an upstream tree, with the run that produced it and, recursively, that run's
/// inputs. A raw input (added by hand, or code) has no run.
public struct LineageNode: Hashable, Sendable {
  /// The artifact.
  public var artifact: ArtifactVersion
  /// The run that produced it, if vouch knows one.
  public var run: RunRecord?
  /// The producing run's inputs, each with its own lineage.
  public var inputs: [LineageNode]
}

/// Upstream and downstream relations over a set of run records.
///
/// Artifacts are matched by digest (the same bytes under two paths are the same artifact) and,
/// for folder outputs, by path.
public struct LineageGraph: Sendable {
  /// The records the graph was built from.
  public let records: [RunRecord]
  private let producersByDigest: [Digest: [Int]]
  private let consumersByDigest: [Digest: [Int]]

  /// Builds the graph; later records win when two produced the same digest.
  public init(records: [RunRecord]) {
    self.records = records
    var producers: [Digest: [Int]] = [:]
    var consumers: [Digest: [Int]] = [:]
    for (index, record) in records.enumerated() {
      for digest in Set(record.outputs.values) { producers[digest, default: []].append(index) }
      for digest in Set(record.inputs.values) { consumers[digest, default: []].append(index) }
    }
    producersByDigest = producers
    consumersByDigest = consumers
  }

  /// The run that produced `digest` (the last one recorded), if any.
  public func producer(of digest: Digest) -> RunRecord? {
    producersByDigest[digest]?.last.map { records[$0] }
  }

  /// The runs that read `digest`, in record order.
  public func consumers(of digest: Digest) -> [RunRecord] {
    (consumersByDigest[digest] ?? []).map { records[$0] }
  }

  /// The current version of `path`: the output of the last record that wrote it.
  public func latest(path: String) -> ArtifactVersion? {
    for record in records.reversed() {
      if let digest = record.outputs[path] { return ArtifactVersion(path: path, digest: digest) }
    }
    return nil
  }

  /// The run that produced `artifact`: the last one that wrote its digest at its path, else the
  /// last one that wrote its digest anywhere (the same bytes copied elsewhere).
  public func producer(of artifact: ArtifactVersion) -> RunRecord? {
    let candidates = (producersByDigest[artifact.digest] ?? []).map { records[$0] }
    return candidates.last { $0.outputs[artifact.path] == artifact.digest } ?? candidates.last
  }

  /// The upstream tree of `artifact`, down to raw inputs.
  public func upstream(of artifact: ArtifactVersion) -> LineageNode {
    var onPath: Set<ArtifactVersion> = []
    return upstream(of: artifact, onPath: &onPath)
  }

  private func upstream(of artifact: ArtifactVersion, onPath: inout Set<ArtifactVersion>)
    -> LineageNode
  {
    // A run whose input equals its output would otherwise recurse forever.
    guard onPath.insert(artifact).inserted, let run = producer(of: artifact),
      !run.inputs.contains(where: { $0.key == artifact.path && $0.value == artifact.digest })
    else {
      return LineageNode(artifact: artifact, run: nil, inputs: [])
    }
    defer { onPath.remove(artifact) }
    let inputs = run.inputs.keys.sorted().compactMap { path in
      run.inputs[path].map {
        upstream(of: ArtifactVersion(path: path, digest: $0), onPath: &onPath)
      }
    }
    return LineageNode(artifact: artifact, run: run, inputs: inputs)
  }

  /// Every run derived from `digest`, directly or transitively, in breadth-first order, each
  /// once.
  public func downstream(of digest: Digest) -> [RunRecord] {
    var result: [RunRecord] = []
    var seenRuns: Set<RunKey> = []
    var seenDigests: Set<Digest> = [digest]
    var queue = [digest]
    while !queue.isEmpty {
      let current = queue.removeFirst()
      for run in consumers(of: current) where seenRuns.insert(run.runKey).inserted {
        result.append(run)
        for output in run.outputs.values.sorted() where seenDigests.insert(output).inserted {
          queue.append(output)
        }
      }
    }
    return result
  }
}
