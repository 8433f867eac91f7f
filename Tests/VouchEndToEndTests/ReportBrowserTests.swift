import Foundation
import Testing
import VouchTestSupport

/// Where the browser check of the report runs from: `scripts/check_report.py` with a Python that
/// has Selenium, and Debian's chromium and chromium-driver.
enum BrowserCheck {
  /// `VOUCH_BROWSER_PYTHON` (exported by `scripts/setup-browser.sh`), else `.build-venv`'s python.
  static var python: URL? {
    let environment = ProcessInfo.processInfo.environment
    let candidates: [String?] = [
      environment["VOUCH_BROWSER_PYTHON"],
      Sandbox.packageRoot.appendingPathComponent(".build-venv/bin/python").path,
    ]
    return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
      .map { URL(fileURLWithPath: $0) }
  }

  /// Whether chromium and its driver are installed.
  static var hasBrowser: Bool {
    ["/usr/bin/chromium", "/usr/bin/chromedriver"].allSatisfy {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// Set by `scripts/run-tests.sh`: then a missing browser fails the test instead of skipping it.
  static var required: Bool { ProcessInfo.processInfo.environment["VOUCH_BROWSER_REQUIRED"] == "1" }

  /// Whether the test runs: the browser is there, or it is required (and its absence fails).
  static var enabled: Bool { required || (python != nil && hasBrowser) }

  /// Where the screenshots go: `.build-screenshots/report/<name>/` in the package (git-ignored).
  static func screenshots(_ name: String) -> URL {
    Sandbox.packageRoot.appendingPathComponent(".build-screenshots/report/\(name)")
  }

  /// A copy of `sandbox`'s workspace in a folder named `metric-example` (the overview's title
  /// names the workspace folder, and the README shows a screenshot of it).
  static func namedCopy(of sandbox: Sandbox) throws -> (TemporaryDirectory, URL) {
    let directory = try TemporaryDirectory(prefix: "report")
    let copy = directory.url.resolvingSymlinksInPath().appendingPathComponent("metric-example")
    let result = try sandbox.shell("cp -a . '\(copy.path)'")
    try #require(result.status == 0, "\(result.stderr)")
    return (directory, copy)
  }

  /// Runs the check on `report`; returns its JSON summary.
  static func check(_ report: URL, claims: [String: String], screenshots name: String) throws
    -> String
  {
    let python = try #require(
      python, "no Python with Selenium: run scripts/setup-browser.sh (VOUCH_BROWSER_PYTHON)")
    try #require(hasBrowser, "chromium and chromium-driver are not installed")
    let script = Sandbox.packageRoot.appendingPathComponent("scripts/check_report.py")
    let arguments =
      [script.path, report.path, "--screenshots", screenshots(name).path]
      + claims.sorted(by: { $0.key < $1.key }).flatMap { ["--claim", "\($0.key)=\($0.value)"] }
    let result = try VouchProcess.run(python, arguments, in: report)
    #expect(result.status == 0, "check_report.py: \(result.stdout)\(result.stderr)")
    return result.stdout
  }
}

/// Opens the report in headless Chromium: every page loads without a console error, every SVG
/// and image has a box, every link resolves, every claim shows its verdict.
@Suite(
  .enabled(
    if: BrowserCheck.enabled,
    "needs chromium, chromium-driver and Selenium: scripts/setup-browser.sh installs them"),
  .serialized)
struct ReportBrowserTests {
  @Test func reproducedReportPassesInABrowser() throws {
    let sandbox = try Sandbox.reportPipeline()
    let reproduce = try sandbox.vouch(["reproduce"])
    try #require(reproduce.status == 0, "\(reproduce.stdout)\(reproduce.stderr)")
    let (directory, workspace) = try BrowserCheck.namedCopy(of: sandbox)
    defer { withExtendedLifetime(directory) {} }
    let report = try VouchProcess.vouch(["report"], in: workspace)
    try #require(report.status == 0, "\(report.stderr)")
    let summary = try BrowserCheck.check(
      workspace.appendingPathComponent("report"),
      claims: ["slope": "identical", "rows": "identical"], screenshots: "reproduced")
    #expect(summary.contains("\"ok\": true"), "\(summary)")
    #expect(summary.contains("overview.png"))
    #expect(summary.contains("stage.png"))
  }

  @Test func mismatchShowsInABrowser() throws {
    let sandbox = try Sandbox.reportPipeline()
    try sandbox.edit("metric.sh", replacing: "sxy / sxx", with: "sxy / sxx * 1.01")
    #expect(try sandbox.vouch(["reproduce"]).status == 13)
    let (directory, workspace) = try BrowserCheck.namedCopy(of: sandbox)
    defer { withExtendedLifetime(directory) {} }
    let report = try VouchProcess.vouch(["report"], in: workspace)
    try #require(report.status == 0, "\(report.stderr)")
    let summary = try BrowserCheck.check(
      workspace.appendingPathComponent("report"),
      claims: ["slope": "mismatch", "rows": "identical"], screenshots: "mismatch")
    #expect(summary.contains("\"ok\": true"), "\(summary)")
  }
}
