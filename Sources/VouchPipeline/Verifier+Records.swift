import Foundation
import VouchCore
import VouchLineage
import VouchStore

extension Verifier {
  /// Checks one pipeline's lock against its pipeline file, its run records and the store.
  func checkLock(
    of name: String, tracked: [String: Digest], definitions: inout [PipelineDefinition],
    into state: inout State
  ) {
    let file = Workspace.lockPath(for: name)
    let definitionFile = "\(Workspace.manifestsFolder)/\(name)\(PipelineDefinition.fileSuffix)"
    var definition: PipelineDefinition?
    do {
      definition = try workspace.pipeline(named: name)
      if let definition { definitions.append(definition) }
    } catch let error as any VouchError {
      state.problem(.pipeline, definitionFile, error.message)
    } catch {
      state.problem(.pipeline, definitionFile, "\(error)")
    }
    let lock: PipelineLock
    do {
      guard let found = try workspace.lock(for: name) else {
        if let definition, !definition.stages.isEmpty {
          state.problem(
            .outOfDate, file,
            "\(file) does not exist: pipeline '\(name)' has never run; run `vouch run`")
        }
        return
      }
      lock = found
    } catch let error as any VouchError {
      state.problem(.integrity, file, error.message)
      return
    } catch {
      state.problem(.integrity, file, "\(file): \(error)")
      return
    }
    state.report.locks += 1
    let outOfDate = "lock out of date with \(definitionFile): run `vouch run`"
    if lock.pipeline != name {
      state.problem(
        .integrity, file, "\(file) names pipeline '\(lock.pipeline)'; restore it from git")
    }
    if lock.predatesRecordDigests {
      state.problem(
        .outOfDate, file,
        "\(file) was written by an older vouch and lists no run record digests; \(outOfDate)")
    }
    for (stage, record) in lock.stages.sorted(by: { $0.key < $1.key }) {
      state.report.stages += 1
      let key = "\(file): stages.\(stage)"
      if let definition {
        if let current = definition.stage(named: stage) {
          let changes = record.differences(from: current)
          if !changes.isEmpty {
            state.problem(
              .outOfDate, file,
              "\(key): \(changes.joined(separator: "; ")) changed since the run; \(outOfDate)")
          }
        } else {
          state.problem(
            .outOfDate, file, "\(key): the pipeline has no stage '\(stage)' any more; \(outOfDate)")
        }
      }
      if record.stage != stage || record.pipeline != name {
        state.problem(
          .integrity, file,
          "\(key): the entry records stage \(record.pipeline):\(record.stage); restore \(file) "
            + "from git")
      }
      if !lock.predatesRecordDigests {
        checkRecordFile(of: record, listed: lock.records[stage], at: key, into: &state)
      }
      var outputs: [String: VerdictRecord.Output] = [:]
      for (path, digest) in record.outputs.sorted(by: { $0.key < $1.key }) {
        let stored = (try? workspace.store.contains(digest)) ?? false
        outputs[path] = VerdictRecord.Output(
          verdict: tracked[path] == digest && stored ? .identical : .mismatch, recorded: digest,
          reproduced: nil)
        guard let artifact = tracked[path] else {
          state.problem(
            .integrity, file,
            "\(key): output \(path) has no artifact manifest "
              + "(manifests/artifacts/\(path).json); restore it from git or run `vouch run`")
          continue
        }
        if artifact != digest {
          state.problem(
            .integrity, file,
            "\(key): output \(path) is \(digest.short) here but \(artifact.short) in its artifact "
              + "manifest; run `vouch run` to record the current state")
        }
      }
      let outcomes = check(record, at: key, file: file, into: &state)
      var claims: [String: VerdictRecord.Claim] = [:]
      for outcome in outcomes {
        claims[outcome.claim.name] = VerdictRecord.Claim(
          verdict: outcome.problem == nil ? .identical : .mismatch,
          recorded: outcome.claim.value, reproduced: outcome.value,
          tolerance: outcome.claim.tolerance.summary, problem: outcome.problem)
      }
      state.stageVerdicts[name, default: [:]][stage] = VerdictRecord.Stage(
        command: .verify, commit: nil, runKey: record.runKey, outputs: outputs, claims: claims)
    }
    for stage in definition?.stages ?? [] where lock.stages[stage.name] == nil {
      state.problem(
        .outOfDate, file, "\(file): stage '\(stage.name)' has never run; \(outOfDate)")
    }
  }

  /// The run record file of a lock entry must exist, hash to the digest the lock lists, and hold
  /// the entry itself (plus its times).
  private func checkRecordFile(
    of record: RunRecord, listed: Digest?, at key: String, into state: inout State
  ) {
    let path = Workspace.runRecordPath(for: record.runKey)
    guard let listed else {
      state.problem(
        .integrity, key, "\(key): the lock lists no digest for its run record; restore it from git")
      return
    }
    do {
      if try workspace.recordFileDigest(of: record, listed: listed) == nil {
        state.problem(
          .integrity, key, "\(key): its run record \(path) is missing; restore it from git")
      }
    } catch let error as any VouchError {
      state.problem(.integrity, key, "\(key): \(error.message)")
    } catch {
      state.problem(.integrity, key, "\(key): \(error)")
    }
  }

  /// Every run record under `manifests/runs/`: named by its key, and its claims re-derived.
  func checkRunRecords(into state: inout State) {
    let names: [String]
    do { names = try workspace.names(in: Workspace.runsFolder) } catch let error as any VouchError {
      state.problem(.integrity, Workspace.runsFolder, error.message)
      return
    } catch {
      state.problem(.integrity, Workspace.runsFolder, "\(error)")
      return
    }
    for name in names.sorted() where name.hasSuffix(".json") {
      let path = "\(Workspace.runsFolder)/\(name)"
      state.report.runs += 1
      do {
        guard let bytes = try workspace.read(path) else { continue }
        let record = try RunRecord.decode(bytes, file: path)
        if "\(record.runKey.digest.hex).json" != name {
          state.problem(
            .integrity, path,
            "\(path) holds run \(record.runKey.short), whose record belongs in "
              + "\(Workspace.runRecordPath(for: record.runKey)); restore it from git")
        }
        check(record, at: path, file: path, into: &state)
      } catch let error as any VouchError {
        state.problem(.integrity, path, error.message)
      } catch {
        state.problem(.integrity, path, "\(path): \(error)")
      }
    }
  }

  /// A record's key must match its fields, its claims must be in its stored outputs, and every
  /// digest it names is needed.
  /// - Returns: what re-deriving each claim found (empty when this run's claims were already
  ///   re-derived under another key).
  @discardableResult
  private func check(_ record: RunRecord, at key: String, file: String, into state: inout State)
    -> [ClaimDerivation.Outcome]
  {
    for digest in record.inputs.values.sorted() + record.outputs.values.sorted() {
      state.need(digest, by: key)
    }
    if (try? record.computedRunKey()) != record.runKey {
      state.problem(
        .integrity, file, "\(key): the run key does not match the record's fields (edited?)")
    }
    guard state.derived.insert(record.withoutTimes).inserted else { return [] }
    state.report.claims += record.claims.count
    let outcomes = ClaimDerivation(workspace: workspace).outcomes(record, at: key)
    for message in outcomes.compactMap(\.problem) {
      state.problem(.integrity, file, message)
    }
    return outcomes
  }
}
