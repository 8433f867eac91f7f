import Foundation
import VouchCore
import VouchModels

/// `VouchModels` cannot import `VouchCore`, so its error joins the CLI's exit statuses here.
///
/// A model folder is input the user chose: anything wrong with it (missing, malformed, unsupported
/// or inconsistent files) is a usage error (exit 64); only a refused read or write is a failure.
extension ModelError: VouchError {
  /// The exit category for this error.
  public var category: ErrorCategory {
    code == .io ? .failure : .usage
  }
}
