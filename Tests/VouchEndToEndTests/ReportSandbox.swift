import Foundation
import Testing
import VouchTestSupport

/// The metric example with a third stage that draws a figure: a folder output holding
/// `figure.svg` and `data.csv`, as a `figure` stage will (any folder of SVGs counts).
extension Sandbox {
  /// The figure stage's script: a one-bar chart of the slope, and its data as CSV.
  static let figureScript = #"""
    #!/bin/sh
    set -eu
    mkdir -p results/figure
    slope=$(sed 's/.*"slope": \([0-9.]*\).*/\1/' results/metric.json)
    printf 'quantity,value\nslope,%s\n' "$slope" > results/figure/data.csv
    awk -v s="$slope" 'BEGIN {
      printf "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 360 120\" width=\"360\" height=\"120\">"
      printf "<title>The fitted slope is %s</title><desc>One bar: the slope.</desc>", s
      printf "<rect x=\"70\" y=\"40\" width=\"%d\" height=\"30\" fill=\"#0072B2\"/>", s * 120
      printf "<text x=\"10\" y=\"60\" font-size=\"14\">slope</text></svg>\n"
    }' > results/figure/figure.svg

    """#

  /// A sandbox with the metric example and the figure stage, run once (`vouch run`).
  static func reportPipeline(run: Bool = true) throws -> Sandbox {
    let sandbox = try Sandbox.pipeline()
    try sandbox.write("figure.sh", figureScript)
    let pipeline = try #require(sandbox.text("manifests/metric.pipeline.toml"))
    try sandbox.write(
      "manifests/metric.pipeline.toml",
      pipeline + """

        [stages.figure]
        command = "sh figure.sh"
        inputs = ["figure.sh", "results/metric.json"]
        outputs = ["results/figure"]

        """)
    if run {
      let result = try sandbox.vouch(["run"])
      try #require(result.status == 0, "\(result.stdout)\(result.stderr)")
    }
    return sandbox
  }

  /// The digest hex of `path` in the lock of the metric pipeline (an output's, for example).
  func lockedHex(_ path: String) throws -> String {
    let lock = try #require(text("manifests/metric.lock.json"))
    let escaped = NSRegularExpression.escapedPattern(for: path)
    let range = try #require(
      lock.range(of: "\"\(escaped)\": \"sha256:[0-9a-f]{64}\"", options: .regularExpression))
    return String(lock[range].suffix(65).prefix(64))
  }
}
