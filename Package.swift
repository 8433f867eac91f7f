// swift-tools-version:6.0
//
// vouch — a reproducibility-first data and artifact manager for ML interpretability research.
//
// Two islands, joined only by VouchPipeline (see ../shared/design/ARCHITECTURE.md):
//   compute: COpenBLAS → VouchEngine → VouchModels
//   storage: VouchCore → VouchStore, VouchLineage (+ CGit2)
// VouchPipeline imports both; VouchCommands imports VouchPipeline; `vouch` imports VouchCommands.
// scripts/check-imports.sh enforces the direction in CI.
import PackageDescription

let package = Package(
  name: "vouch",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "vouch", targets: ["vouch"]),
    .library(name: "VouchPipeline", targets: ["VouchPipeline"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
  ],
  targets: [
    // C views: one system-library target per C library, each reached through one seam file.
    .systemLibrary(
      name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),

    // Compute island.
    .target(name: "VouchEngine", dependencies: ["COpenBLAS"]),
    .target(name: "VouchModels", dependencies: ["VouchEngine"]),

    // Storage island.
    .target(name: "VouchCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
    .target(
      name: "VouchStore",
      dependencies: [
        "VouchCore", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .target(
      name: "VouchLineage",
      dependencies: ["VouchCore", "CGit2", .product(name: "TOMLKit", package: "TOMLKit")]),

    // The bridge and the CLI.
    .target(
      name: "VouchPipeline",
      dependencies: ["VouchCore", "VouchStore", "VouchLineage", "VouchEngine", "VouchModels"]),
    .target(
      name: "VouchCommands",
      dependencies: [
        "VouchPipeline", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "vouch", dependencies: ["VouchCommands"]),

    // Benchmarks (run by Benchmarks/*.sh in release; never by the tests).
    .executableTarget(
      name: "vouch-engine-benchmark", dependencies: ["VouchEngine", "VouchModels", "COpenBLAS"],
      path: "Benchmarks/EngineBenchmark"),

    // Tests.
    .target(name: "VouchTestSupport", path: "Sources/VouchTestSupport"),
    .target(name: "VouchEngineTestSupport", dependencies: ["VouchEngine", "VouchTestSupport"]),
    .testTarget(name: "VouchCoreTests", dependencies: ["VouchCore", "VouchTestSupport"]),
    .testTarget(
      name: "VouchEngineTests",
      dependencies: ["VouchEngine", "VouchTestSupport", "VouchEngineTestSupport"]),
    .testTarget(
      name: "VouchModelsTests",
      dependencies: ["VouchModels", "VouchEngine", "VouchTestSupport", "VouchEngineTestSupport"]),
    .testTarget(name: "VouchStoreTests", dependencies: ["VouchStore", "VouchTestSupport"]),
    .testTarget(name: "VouchLineageTests", dependencies: ["VouchLineage", "VouchTestSupport"]),
    .testTarget(name: "VouchPipelineTests", dependencies: ["VouchPipeline", "VouchTestSupport"]),
    .testTarget(
      name: "VouchEndToEndTests", dependencies: ["VouchTestSupport", "VouchCore"],
      exclude: []),
  ]
)
