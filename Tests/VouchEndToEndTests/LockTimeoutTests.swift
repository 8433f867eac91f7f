import Foundation
import Testing
import VouchTestSupport

/// `VOUCH_LOCK_TIMEOUT` is parsed once, strictly (findings row 6.5: `abc` was silently ignored).
@Suite struct LockTimeoutTests {
  @Test(arguments: ["abc", "-1", "inf", "nan", "5s"])
  func aValueThatIsNotSecondsIsAUsageError(value: String) throws {
    let sandbox = try Sandbox()
    for command in [["status"], ["gc", "--dry-run"]] {
      let result = try VouchProcess.vouch(
        command, in: sandbox.root, environment: ["VOUCH_LOCK_TIMEOUT": value])
      #expect(result.status == 64)
      #expect(
        result.stderr
          == "vouch: error: VOUCH_LOCK_TIMEOUT='\(value)' is not a number of seconds; set it to a number ≥ 0 (e.g. 120) or unset it\n"
      )
    }
  }

  @Test(arguments: ["0", "0.5", "120", ""])
  func secondsAreAccepted(value: String) throws {
    let sandbox = try Sandbox()
    let result = try VouchProcess.vouch(
      ["status"], in: sandbox.root, environment: ["VOUCH_LOCK_TIMEOUT": value])
    #expect(result.status == 0, "\(result.stderr)")
  }
}
