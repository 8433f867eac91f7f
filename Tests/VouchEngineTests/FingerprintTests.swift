import Foundation
import Testing
import VouchEngine

@Suite("Engine fingerprint")
struct FingerprintTests {
  @Test func reportsTheBLASInUse() {
    let fingerprint = EngineFingerprint(context: ComputeContext(profile: .exact, threads: 2))
    #expect(fingerprint.engineVersion == EngineVersion.current)
    #expect(fingerprint.blasConfiguration.contains("OpenBLAS"))
    #expect(!fingerprint.blasCoreType.isEmpty)
    #expect(fingerprint.threadPolicy.contains("on 2 thread"))
  }

  /// scripts/run-tests.sh exports OPENBLAS_CORETYPE=Haswell before the test process starts;
  /// OpenBLAS must then have loaded the Haswell kernels (the exact profile's requirement).
  @Test func coreTypeFollowsTheEnvironment() {
    guard let wanted = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] else { return }
    let fingerprint = EngineFingerprint(context: .reference)
    #expect(fingerprint.blasCoreType.lowercased() == wanted.lowercased())
    #expect(fingerprint.isProfileSatisfied == (wanted.lowercased() == "haswell"))
  }
}
