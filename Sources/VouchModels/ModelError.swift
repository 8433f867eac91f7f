import Foundation

/// The one error type of `VouchModels`: what went wrong with a model file, a configuration or a
/// tokenizer, in one line that names the file (and tensor) and says how to fix it.
///
/// `VouchModels` may not import `VouchCore`; `VouchPipeline` maps ``Code`` to an exit category.
public struct ModelError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
  /// The kind of failure, for callers and tests that branch on it.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Kind: String, Hashable, Sendable {
      case malformed, missing, unsupported, io, mismatch
    }
    private let kind: Kind

    /// A file's bytes break its format (bad header, bad offsets, bad JSON, inconsistent shapes).
    public static let malformed = Code(kind: .malformed)
    /// A file, tensor, key or token that should be there is not.
    public static let missing = Code(kind: .missing)
    /// Well-formed input that vouch does not handle (a dtype, an architecture, a tokenizer model).
    public static let unsupported = Code(kind: .unsupported)
    /// The operating system refused a read, a map or a write.
    public static let io = Code(kind: .io)
    /// Two inputs disagree (an index and its shards, a config and its weights).
    public static let mismatch = Code(kind: .mismatch)

    public var description: String { kind.rawValue }
  }

  /// What kind of failure this is.
  public let code: Code
  /// One line: what is wrong (naming the file and tensor) and how to fix it.
  public let message: String

  /// Creates an error of kind `code` with a one-line `message`.
  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  public var errorDescription: String? { message }
  public var description: String { message }

  /// A malformed file: `<file>: <detail>`.
  static func malformed(_ file: String, _ detail: String) -> ModelError {
    ModelError(.malformed, "\(file): \(detail)")
  }
}
