// swift-tools-version:6.2
// DeAI fuzzing: one libFuzzer executable per input format a node reads from outside. Built apart from the main
// package so that its normal build is untouched; see README.md, and `scripts/fuzz.sh` to build and run them.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),  // SE-0335
    .enableUpcomingFeature("MemberImportVisibility"),  // SE-0444
    .enableUpcomingFeature("InternalImportsByDefault"),  // SE-0409: dependencies don't leak
]

/// A fuzz target: `Sources/<name>/`, linked with the shared plumbing and the given products of the main package.
func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "deai") },
        swiftSettings: swiftSettings
    )
}

let package = Package(
    name: "DeAIFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "deai", path: "..")
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "DeAICore", package: "deai"), .product(name: "Ledger", package: "deai")],
            swiftSettings: swiftSettings
        ),
        fuzzTarget("FuzzCanonical", ["DeAICore"]),
        fuzzTarget("FuzzTransaction", ["DeAICore", "Ledger"]),
        fuzzTarget("FuzzBlock", ["DeAICore", "Ledger"]),
        fuzzTarget("FuzzStateRecord", ["DeAICore", "Ledger"]),
        fuzzTarget("FuzzUpdateBlob", ["Federation"]),
        fuzzTarget("FuzzSafetensors", ["Learning"]),
        fuzzTarget("FuzzCSV", ["Learning"]),
        fuzzTarget("FuzzPeerFrame", ["DeAICore", "P2P"]),
        fuzzTarget("FuzzSealedBlob", ["DeAICore"]),
    ]
)
