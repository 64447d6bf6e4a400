// swift-tools-version:6.2
// DeAI: decentralized AI in one Swift program. See docs/ARCHITECTURE.md for what each target does.

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),  // SE-0335
    .enableUpcomingFeature("MemberImportVisibility"),  // SE-0444
    .enableUpcomingFeature("InternalImportsByDefault"),  // SE-0409: dependencies don't leak
]

let package = Package(
    name: "deai",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "deai", targets: ["deai"]),
        // The libraries whose decoders the nested package Fuzz/ feeds with libFuzzer (see Fuzz/README.md).
        .library(name: "DeAICore", targets: ["DeAICore"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "Learning", targets: ["Learning"]),
        .library(name: "Federation", targets: ["Federation"]),
        .library(name: "P2P", targets: ["P2P"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // MARK: - Core

        .target(
            name: "DeAICore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeAICoreTests",
            dependencies: ["DeAICore", "DeAITesting"],
            resources: [.copy("Vectors")],
            swiftSettings: swiftSettings
        ),

        // MARK: - Ledger

        .target(
            name: "Ledger",
            dependencies: ["DeAICore", "Learning", "Federation"],  // the fixed-order answer a forgery proof re-executes
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", "DeAICore", "DeAITesting", "Federation", "Learning"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Storage

        .target(
            name: "Storage",
            dependencies: [
                "DeAICore", "Ledger",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "Ledger", "DeAICore", "DeAITesting",
                .product(name: "GRDB", package: "GRDB.swift"),  // to make a foreign SQLite file
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Consensus

        .target(
            name: "Consensus",
            dependencies: [
                "DeAICore", "Ledger", "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConsensusTests",
            dependencies: [
                "Consensus", "Storage", "Ledger", "DeAICore", "DeAITesting",
                .product(name: "Logging", package: "swift-log"),  // Chain.open takes a Logger
                .product(name: "GRDB", package: "GRDB.swift"),  // to damage a stored block as a disk or a person would
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - API

        .target(
            name: "APITypes",
            dependencies: ["DeAICore", "Ledger"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "API",
            dependencies: [
                "DeAICore", "Ledger", "Storage", "Consensus", "APITypes", "P2P",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),  // the server's child channel (APIServerChannel)
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "APITypes", "Consensus", "Storage", "Ledger", "DeAICore", "DeAITesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),  // raw TCP clients that hold or leave connections
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - P2P

        .target(
            name: "P2P",
            dependencies: [
                "DeAICore", "Consensus",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "P2PTests",
            dependencies: [
                "P2P", "DeAICore", "DeAITesting", "Consensus", "Ledger",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Node

        .target(
            name: "Node",
            dependencies: [
                "DeAICore", "Ledger", "Storage", "Consensus", "APITypes", "P2P",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NodeTests",
            dependencies: [
                "Node", "API", "APITypes", "Consensus", "Storage", "Ledger", "DeAICore", "DeAITesting", "P2P",
                .product(name: "Hummingbird", package: "hummingbird"),  // a lying blob peer for BlobExchange
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Learning

        .target(
            name: "CLearningKernels",
            // Kernels are hot even in debug builds; -O3 is allowed in a root package.
            cSettings: [.unsafeFlags(["-O3"])]
        ),
        .target(
            name: "Learning",
            dependencies: ["CLearningKernels"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LearningTests",
            dependencies: ["Learning"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Federation

        .target(
            name: "Federation",
            dependencies: ["Learning"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ParticipantsTests",
            dependencies: [
                "Participants", "Federation", "Learning", "Ledger", "DeAICore", "DeAITesting",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FederationTests",
            dependencies: ["Federation", "Learning"],
            swiftSettings: swiftSettings
        ),

        // MARK: - Participants

        .target(
            name: "Serving",
            dependencies: [
                "API", "APITypes", "DeAICore", "Learning", "Ledger", "Node",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServingTests",
            dependencies: [
                "Serving", "API", "APITypes", "DeAICore", "Ledger", "Learning", "Federation", "DeAITesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),


        .target(
            name: "Participants",
            dependencies: [
                "DeAICore", "Ledger", "Federation", "Learning", "APITypes", "Storage", "Node",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Devnet

        .target(
            name: "Devnet",
            dependencies: [
                "DeAICore", "Ledger", "Storage", "Consensus", "API", "APITypes", "Node", "Federation", "Learning",
                "Participants",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/Datasets")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DevnetTests",
            dependencies: [
                "Devnet", "Federation", "Learning", "Node", "APITypes", "DeAITesting", "Serving", "Participants", "Ledger",
                "API", "DeAICore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Executable

        .executableTarget(
            name: "deai",
            dependencies: [
                "DeAICore", "Ledger", "Storage", "Consensus", "API", "APITypes", "Node", "P2P", "Learning", "Federation",
                "Participants", "Devnet", "DeAITesting", "Serving",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),  // the event loops of `testnet perturb`'s proxies
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "deaiTests",
            dependencies: [
                "deai", "DeAICore", "Ledger", "APITypes", "Node", "DeAITesting", "Learning", "Participants",
                .product(name: "NIOCore", package: "swift-nio"),  // an echo server behind LinkProxy
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: - Test support

        .target(
            name: "DeAITesting",
            dependencies: [
                "DeAICore", "Ledger", "Consensus", "Learning",
                .product(name: "NIOCore", package: "swift-nio"),  // LinkProxy
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
