// swift-tools-version:6.0
import PackageDescription

/// libFuzzer targets for the code that meets outside bytes (RELIABILITY.md). A package of its
/// own so the root package's `swift build`/`swift test` never see them; build and run them with
/// `Fuzz/run.sh TARGET SECONDS`, which builds every module with AddressSanitizer and libFuzzer's
/// coverage (`--sanitize address -Xswiftc -sanitize=fuzzer`).
///
/// Each fuzz target is one `main.swift` that hands its per-input body to `FuzzDriver.fuzzMain`.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// A fuzz target using the root package's `products`.
func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name, dependencies: ["FuzzDriver"] + products.map { .product(name: $0, package: "folkbok") },
        swiftSettings: settings)
}

let package = Package(
    name: "folkbok-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "folkbok", path: ".."),
    ],
    targets: [
        .target(name: "FuzzDriver", swiftSettings: settings),
        fuzzTarget("fuzz-request", ["FolkbokProtocol", "FolkbokEngine", "FolkbokModel", "FolkbokJSON", "FolkbokDemo"]),
        fuzzTarget("fuzz-json", ["FolkbokJSON"]),
        fuzzTarget("fuzz-framer", ["FolkbokJSON"]),
        fuzzTarget("fuzz-identity", ["FolkbokModel"]),
        fuzzTarget("fuzz-record-codec", ["FolkbokStorage"]),
        fuzzTarget("fuzz-audit-codec", ["FolkbokAudit"]),
        fuzzTarget("fuzz-snapshot", ["FolkbokStorage"]),
        fuzzTarget("fuzz-store-image", ["FolkbokIndex"]),
        fuzzTarget("fuzz-wal", ["FolkbokStorage"]),
        fuzzTarget("fuzz-stats", ["FolkbokStats", "FolkbokStorage"]),
        fuzzTarget("fuzz-customers", ["FolkbokProtocol", "FolkbokModel"]),
        fuzzTarget("fuzz-xml", ["FolkbokXML"]),
        fuzzTarget("fuzz-navet", ["FolkbokNavet", "FolkbokXML", "FolkbokModel"]),
    ],
    swiftLanguageModes: [.v6]
)
