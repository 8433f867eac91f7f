import VouchCore
import VouchLineage

/// What `vouch report` wrote: where, and what the site holds.
public struct ReportSummary: Sendable, Codable, Hashable {
  /// How many claims (or outputs) show each verdict.
  public struct Counts: Sendable, Codable, Hashable {
    /// Reproduced bit for bit (or re-read equal, by `verify`).
    public var identical = 0
    /// Within tolerance.
    public var equivalent = 0
    /// Outside tolerance, or not re-read.
    public var mismatch = 0
    /// No check of the current run is recorded.
    public var notChecked = 0

    /// Adds one verdict.
    mutating func add(_ verdict: ShownVerdict) {
      switch verdict {
      case .identical: identical += 1
      case .equivalent: equivalent += 1
      case .mismatch: mismatch += 1
      case .notChecked: notChecked += 1
      }
    }

    /// Adds all of `other`.
    mutating func add(_ other: Counts) {
      identical += other.identical
      equivalent += other.equivalent
      mismatch += other.mismatch
      notChecked += other.notChecked
    }
  }

  /// The site's folder (absolute).
  public var path: String
  /// Its overview page (absolute).
  public var index: String
  /// The manifests commit it describes; `nil` outside git.
  public var commit: String?
  /// Pipelines described.
  public var pipelines: Int
  /// Stage pages.
  public var stages: Int
  /// Figures shown.
  public var figures: Int
  /// Claims shown.
  public var claims: Int
  /// The claims' verdicts.
  public var claimVerdicts: Counts
  /// The outputs' verdicts.
  public var outputVerdicts: Counts
}

/// A verdict as the report shows it: a check's verdict, or that no check of the current run is
/// recorded.
enum ShownVerdict: String, Sendable, Hashable {
  case identical, equivalent, mismatch
  case notChecked = "not checked"

  init(_ verdict: Reproducer.Verdict) {
    switch verdict {
    case .identical: self = .identical
    case .equivalent: self = .equivalent
    case .mismatch: self = .mismatch
    }
  }

  /// The CSS class of its badge.
  var css: String { self == .notChecked ? "v-unchecked" : "v-\(rawValue)" }

  /// A symbol shown before the word, so the verdict never rests on colour alone.
  var symbol: String {
    switch self {
    case .identical: "✓"
    case .equivalent: "≈"
    case .mismatch: "✗"
    case .notChecked: "?"
    }
  }
}

/// One pipeline of the report.
struct ReportPipeline {
  var name: String
  var description: String?
  var stages: [ReportStage]
  /// The last check, when one is recorded.
  var check: VerdictRecord?
  /// Whether the lock in the working tree differs from the one at the described commit.
  var lockChanged: Bool

  var claimCounts: ReportSummary.Counts {
    stages.reduce(into: ReportSummary.Counts()) { counts, stage in
      for claim in stage.claims { counts.add(claim.verdict) }
    }
  }

  var outputCounts: ReportSummary.Counts {
    stages.reduce(into: ReportSummary.Counts()) { counts, stage in
      for output in stage.outputs { counts.add(output.verdict) }
    }
  }
}

/// One stage page.
struct ReportStage {
  var pipeline: String
  var name: String
  var record: RunRecord
  /// The check of this run, when its verdicts are recorded.
  var check: VerdictRecord.Stage?
  /// Why there is no check: never checked, or checked before the stage ran again.
  var uncheckedReason: String?
  var outputs: [ReportOutput]
  var figures: [ReportFigure]
  var claims: [ReportClaim]

  /// The page's path in the site.
  var page: [String] { ["stages", pipeline, "\(name).html"] }

  /// The worst verdict on the page (mismatch, then not checked, equivalent, identical).
  var worst: ShownVerdict {
    let all = claims.map(\.verdict) + outputs.map(\.verdict)
    for verdict in [ShownVerdict.mismatch, .notChecked, .equivalent] where all.contains(verdict) {
      return verdict
    }
    return .identical
  }
}

/// One output of a stage.
struct ReportOutput {
  var path: String
  var digest: Digest
  var kind: String?
  /// The site path of its manifest's copy, when it has a manifest.
  var manifest: [String]?
  var verdict: ShownVerdict
  var reproduced: Digest?
  /// Whether the store holds it.
  var stored: Bool
}

/// One figure: an SVG from the store, with its data and its manifest.
struct ReportFigure {
  /// Its path in the workspace (the output, or the file inside a folder output).
  var path: String
  var digest: Digest
  /// The site path of its copy.
  var image: [String]
  /// The site path of its data (a CSV beside it in the same output), if any.
  var data: [String]?
  var dataPath: String?
  /// The site path of its output's manifest, if any.
  var manifest: [String]?
  /// The output it belongs to.
  var output: String
  /// Its `<title>`, when the SVG has one.
  var title: String?
}

/// One claim row.
struct ReportClaim {
  var record: ClaimRecord
  var verdict: ShownVerdict
  var check: VerdictRecord.Claim?
}
