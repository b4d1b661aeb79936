// swift-tools-version:6.2
import PackageDescription

// libFuzzer targets for the exporter's decoders. Build and run them with `.ci/fuzz` (see docs/fuzzing.md): it passes
// the sanitizer flags and links libFuzzer without its `main`, because SwiftPM renames an executable's entry point.
let package = Package(
    name: "apisix-sync-exporter-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "apisix-sync-exporter", path: "..")
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzDriver", dependencies: ["CLibFuzzer"]),
        .executableTarget(
            name: "fuzz-watch-event",
            dependencies: [
                "FuzzDriver",
                .product(name: "APISIXSyncExporter", package: "apisix-sync-exporter"),
            ]
        ),
        .executableTarget(
            name: "fuzz-apisix-response",
            dependencies: [
                "FuzzDriver",
                .product(name: "APISIXSyncExporter", package: "apisix-sync-exporter"),
            ]
        ),
        .executableTarget(
            name: "fuzz-kubeconfig",
            dependencies: [
                "FuzzDriver",
                .product(name: "APISIXSyncExporter", package: "apisix-sync-exporter"),
            ]
        ),
        .executableTarget(
            name: "fuzz-go-duration",
            dependencies: [
                "FuzzDriver",
                .product(name: "APISIXSyncExporter", package: "apisix-sync-exporter"),
            ]
        ),
    ]
)
