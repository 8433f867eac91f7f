import Foundation
import VouchCore

/// A one-line progress bar on standard error, drawn only when standard error is a terminal:
/// `adding  [=========>          ]  48%  512 MiB / 1.00 GiB  1.81 GiB/s  ETA 0:01`.
///
/// Redraws at most ten times a second; safe to update from any thread.
final class ProgressBar: @unchecked Sendable {
  private let label: String
  private let lock = NSLock()
  private let start = Date()
  private var lastDraw = Date.distantPast
  private var drawn = false

  /// A bar labelled `label`, or `nil` when standard error is not a terminal.
  static func make(_ label: String) -> ProgressBar? {
    Diagnostics.stderrIsTerminal ? ProgressBar(label: label) : nil
  }

  private init(label: String) { self.label = label }

  /// Records `done` of `total` bytes and redraws if enough time has passed.
  func update(done: Int64, total: Int64) {
    lock.withLock {
      let now = Date()
      guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
      lastDraw = now
      drawn = true
      Diagnostics.write("\r\u{1B}[2K" + Self.line(label, done, total, now.timeIntervalSince(start)))
    }
  }

  /// Clears the bar so the summary starts on a clean line.
  func finish() {
    lock.withLock {
      if drawn { Diagnostics.write("\r\u{1B}[2K") }
      drawn = false
    }
  }

  /// The text of the bar (exposed for tests of its layout).
  static func line(_ label: String, _ done: Int64, _ total: Int64, _ elapsed: Double) -> String {
    let width = 24
    let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
    let filled = Int(fraction * Double(width))
    let bar =
      String(repeating: "=", count: filled) + (filled < width ? ">" : "")
      + String(repeating: " ", count: max(0, width - filled - 1))
    let rate = elapsed > 0 ? Double(done) / elapsed : 0
    let remaining = rate > 0 ? Double(total - done) / rate : 0
    let eta = String(format: "%d:%02d", Int(remaining) / 60, Int(remaining) % 60)
    return
      "\(label) [\(bar)] \(Int(fraction * 100))%  \(ByteCount(done)) / \(ByteCount(total))  \(ByteCount(Int64(rate)))/s  ETA \(eta)"
  }
}
