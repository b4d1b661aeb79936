// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "apisix-sync-exporter",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "apisix-sync-exporter", targets: ["apisix-sync-exporter"]),
        .executable(name: "apisix-sync-bench", targets: ["apisix-sync-bench"]),
        .library(name: "APISIXSyncExporter", targets: ["APISIXSyncExporter"]),
        .library(name: "SimulatedCluster", targets: ["SimulatedCluster"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    ],
    targets: [
        .target(
            name: "APISIXSyncExporter",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        .target(
            name: "SimulatedCluster",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "APISIXSyncDemo",
            dependencies: [
                "APISIXSyncExporter",
                "SimulatedCluster",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "apisix-sync-bench",
            dependencies: [
                "APISIXSyncDemo",
                "APISIXSyncExporter",
                "SimulatedCluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(name: "CMallocTuning"),
        .executableTarget(
            name: "apisix-sync-exporter",
            dependencies: [
                "CMallocTuning",
                "APISIXSyncDemo",
                "APISIXSyncExporter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Tests, one target per layer (see README, Development). Helpers more than one layer uses live in TestSupport.
        .target(
            name: "TestSupport",
            dependencies: ["APISIXSyncExporter", "SimulatedCluster"],
            path: "Tests/TestSupport"
        ),
        // Pure library tests: no sockets, no child processes; seconds to run.
        .testTarget(
            name: "APISIXSyncExporterTests",
            dependencies: [
                "APISIXSyncExporter",
                "SimulatedCluster",
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            resources: [.copy("Kubernetes/Fixtures")]
        ),
        // The simulated cluster's fakes over real HTTP, and kubectl against them.
        .testTarget(
            name: "SimulatedClusterTests",
            dependencies: [
                "SimulatedCluster",
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The exporter against fakes over sockets, the binary's command line, web config and TLS, a real etcd.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "APISIXSyncExporter",
                "APISIXSyncDemo",
                "SimulatedCluster",
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Operations: promtool, a live Prometheus, the dashboard and the alert rules.
        .testTarget(
            name: "OperationsTests",
            dependencies: [
                "APISIXSyncExporter",
                "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)
