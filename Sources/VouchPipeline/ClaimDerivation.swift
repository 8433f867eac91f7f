import Foundation
import VouchCore
import VouchLineage
import VouchStore

/// Re-derives a run's claims from the bytes the store holds for its outputs, so a claim is
/// believed only when its number is really in its recorded output — not because the record
/// agrees with itself (a value and its own digest can be forged together).
struct ClaimDerivation {
  /// A claim whose recorded value is not what its recorded output says.
  struct Disagreement: Error {
    /// One line: what differs and how to fix it.
    var message: String
  }

  let workspace: Workspace
  private var store: Store { workspace.store }

  /// The digest of the bytes `claim` must be read from, given the run's `outputs`: the output
  /// itself, or the file inside a folder output, found in the folder's stored listing.
  /// - Throws: `Disagreement` when the source is no output of the run or not in its folder;
  ///   `StoreError` (integrity) when the listing is missing or damaged.
  func sourceDigest(of source: WorkspacePath, outputs: [String: Digest]) throws -> Digest {
    if let digest = outputs[source.rawValue] { return digest }
    guard
      let (folder, digest) = outputs.first(where: { source.rawValue.hasPrefix($0.key + "/") })
    else {
      throw Disagreement(message: "its source \(source) is not an output of the run")
    }
    let inner = String(source.rawValue.dropFirst(folder.count + 1))
    guard let listing = try StoredContent(workspace: workspace).listing(digest) else {
      throw Disagreement(
        message: "its source \(source) lies in output \(folder), whose stored content "
          + "\(digest.short) is not a folder listing")
    }
    guard let file = listing.files.first(where: { $0.path == inner }) else {
      throw Disagreement(message: "its source \(source) is not in output \(folder)")
    }
    return file.digest
  }

  /// The value `definition` reads from the stored content `digest` (every byte re-hashed).
  /// - Throws: `StoreError` (integrity) when the content is missing or damaged; `LineageError`
  ///   when the number cannot be read from it.
  func value(of definition: ClaimDefinition, storedAt digest: Digest, context: String) throws
    -> ExactFloat
  {
    guard let info = try store.info(digest) else {
      throw StoreError(
        category: .integrity,
        message: "\(digest) is not in the store; fetch it from a remote that has it")
    }
    if case .metric(let metric) = definition.source, metric == .sizeBytes {
      // Any size: re-hashed in streaming, never held in memory.
      try store.verify(digest)
      guard let exact = ExactFloat(Double(info.size.value)) else {
        throw LineageError.invalidDocument(context, "the size is not a finite number")
      }
      return exact
    }
    guard info.size.value <= Int64(ClaimReader.maximumSourceBytes) else {
      throw LineageError.invalidDocument(
        context, "is \(info.size), more than a claim source may be; claims read JSON results")
    }
    return try ClaimReader.value(of: definition, in: store.data(for: digest), context: context)
  }

  /// What re-deriving one claim found.
  struct Outcome {
    /// The claim.
    var claim: ClaimRecord
    /// The value re-read from the stored output, when it could be read.
    var value: ExactFloat?
    /// One line, prefixed by the record's key, when the claim fails; `nil` when it holds.
    var problem: String?
  }

  /// Checks every claim of `record` against its stored output: the source digest must be the
  /// output's (or the file's inside a folder output) and the value re-read from those bytes must
  /// equal the recorded one, as text.
  /// - Returns: one line per claim that fails, prefixed by `key` (empty when all hold).
  func check(_ record: RunRecord, at key: String) -> [String] {
    outcomes(record, at: key).compactMap(\.problem)
  }

  /// Checks every claim of `record` as ``check(_:at:)`` does, and says what each one found.
  func outcomes(_ record: RunRecord, at key: String) -> [Outcome] {
    record.claims.map { claim in
      let prefix = "\(key): claim '\(claim.name)'"
      var found: ExactFloat?
      do {
        guard let definition = claim.definition else {
          throw Disagreement(message: "records no readable JSON path or metric")
        }
        guard claim.isConsistent else {
          throw Disagreement(message: "value \(claim.value) does not match its value digest")
        }
        let source = try sourceDigest(of: claim.source, outputs: record.outputs)
        guard source == claim.sourceDigest else {
          throw Disagreement(
            message: "was read from \(claim.sourceDigest.short) but the run's output "
              + "\(claim.source) is \(source.short)")
        }
        let value = try self.value(of: definition, storedAt: source, context: prefix)
        found = value
        guard value.text == claim.value.text else {
          throw Disagreement(
            message: "records \(claim.value) but its stored output \(claim.source) "
              + "(\(source.short)) says \(value)")
        }
        return Outcome(claim: claim, value: value, problem: nil)
      } catch let error as Disagreement {
        return Outcome(
          claim: claim, value: found,
          problem:
            "\(prefix) \(error.message); the record was edited or forged, restore it from git")
      } catch let error as any VouchError {
        return Outcome(claim: claim, value: found, problem: "\(prefix): \(error.message)")
      } catch {
        return Outcome(claim: claim, value: found, problem: "\(prefix): \(error)")
      }
    }
  }
}
