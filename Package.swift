// swift-tools-version:6.0
import PackageDescription

/// One settings list for every target (STYLE.md §20).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "folkbok",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "folkbok", targets: ["folkbok"]),
        .executable(name: "folkbok-bench", targets: ["folkbok-bench"]),
        // Libraries for the fuzz package (Fuzz/Package.swift), which depends on this one by path.
        .library(name: "FolkbokJSON", targets: ["FolkbokJSON"]),
        .library(name: "FolkbokModel", targets: ["FolkbokModel"]),
        .library(name: "FolkbokStorage", targets: ["FolkbokStorage"]),
        .library(name: "FolkbokIndex", targets: ["FolkbokIndex"]),
        .library(name: "FolkbokAudit", targets: ["FolkbokAudit"]),
        .library(name: "FolkbokStats", targets: ["FolkbokStats"]),
        .library(name: "FolkbokEngine", targets: ["FolkbokEngine"]),
        .library(name: "FolkbokProtocol", targets: ["FolkbokProtocol"]),
        .library(name: "FolkbokDemo", targets: ["FolkbokDemo"]),
        .library(name: "FolkbokXML", targets: ["FolkbokXML"]),
        .library(name: "FolkbokNavet", targets: ["FolkbokNavet"]),
    ],
    targets: [
        .target(name: "CFolkbokSys"),
        .target(name: "CAllocCount", path: "Benchmarks/CAllocCount"),
        .target(name: "FolkbokSync", swiftSettings: settings),
        .target(name: "FolkbokModel", swiftSettings: settings),
        .target(name: "FolkbokJSON", dependencies: ["FolkbokModel"], swiftSettings: settings),
        .target(name: "FolkbokXML", swiftSettings: settings),
        .target(name: "FolkbokNavet", dependencies: ["FolkbokXML", "FolkbokModel"], swiftSettings: settings),
        .target(name: "FolkbokIndex", dependencies: ["FolkbokModel", "CFolkbokSys"], swiftSettings: settings),
        .target(
            name: "FolkbokDemo", dependencies: ["FolkbokModel", "FolkbokNavet"],
            resources: [.copy("Resources/testpersonnummer.txt")], swiftSettings: settings),
        .target(name: "FolkbokStorage", dependencies: ["FolkbokSync", "FolkbokModel", "CFolkbokSys"], swiftSettings: settings),
        .target(name: "FolkbokCrypto", dependencies: ["CFolkbokSys"], swiftSettings: settings),
        .target(name: "FolkbokAudit", dependencies: ["FolkbokSync", "FolkbokModel", "FolkbokStorage", "FolkbokCrypto"], swiftSettings: settings),
        .target(
            name: "FolkbokStats", dependencies: ["FolkbokSync", "FolkbokModel", "FolkbokStorage", "FolkbokCrypto", "FolkbokAudit"],
            swiftSettings: settings),
        .target(name: "FolkbokEngine", dependencies: ["FolkbokModel", "FolkbokIndex", "FolkbokStorage", "FolkbokSync", "CFolkbokSys"], swiftSettings: settings),
        .target(
            name: "FolkbokProtocol", dependencies: ["FolkbokSync", "FolkbokModel", "FolkbokJSON", "FolkbokIndex", "FolkbokEngine", "FolkbokStorage", "FolkbokAudit", "FolkbokStats", "CFolkbokSys", "FolkbokXML", "FolkbokNavet"],
            swiftSettings: settings),
        .target(
            name: "FolkbokServer", dependencies: ["FolkbokSync", "CFolkbokSys", "FolkbokProtocol", "FolkbokAudit", "FolkbokJSON", "FolkbokModel"],
            swiftSettings: settings),
        .target(
            name: "FolkbokApp",
            dependencies: ["CFolkbokSys", "FolkbokModel", "FolkbokJSON", "FolkbokStorage", "FolkbokAudit", "FolkbokStats", "FolkbokEngine", "FolkbokProtocol", "FolkbokDemo", "FolkbokServer", "FolkbokCrypto"],
            swiftSettings: settings),
        .executableTarget(
            name: "folkbok",
            dependencies: ["FolkbokApp", "FolkbokServer", "FolkbokProtocol", "FolkbokDemo", "FolkbokEngine", "FolkbokStorage", "FolkbokAudit", "FolkbokStats", "FolkbokJSON", "FolkbokModel", "FolkbokNavet"],
            swiftSettings: settings),
        .executableTarget(
            name: "folkbok-bench",
            dependencies: [
                "FolkbokServer", "FolkbokProtocol", "FolkbokDemo", "FolkbokEngine", "FolkbokJSON", "FolkbokIndex", "FolkbokStorage", "FolkbokStats",
                "FolkbokAudit", "FolkbokModel", "CFolkbokSys", "CAllocCount", "FolkbokXML", "FolkbokNavet",
            ],
            path: "Benchmarks/folkbok-bench", swiftSettings: settings),
        .testTarget(name: "FolkbokModelTests", dependencies: ["FolkbokModel"], swiftSettings: settings),
        .testTarget(name: "FolkbokJSONTests", dependencies: ["FolkbokJSON"], swiftSettings: settings),
        .testTarget(name: "FolkbokXMLTests", dependencies: ["FolkbokXML"], swiftSettings: settings),
        .testTarget(name: "FolkbokNavetTests", dependencies: ["FolkbokNavet", "FolkbokXML", "FolkbokModel"], swiftSettings: settings),
        .testTarget(name: "FolkbokIndexTests", dependencies: ["FolkbokIndex", "FolkbokModel", "FolkbokDemo"], swiftSettings: settings),
        .testTarget(name: "FolkbokDemoTests", dependencies: ["FolkbokDemo", "FolkbokModel", "FolkbokNavet"], swiftSettings: settings),
        .testTarget(name: "FolkbokEngineTests", dependencies: ["FolkbokSync", "FolkbokEngine", "FolkbokIndex", "FolkbokStorage", "FolkbokModel"], swiftSettings: settings),
        .testTarget(name: "FolkbokCryptoTests", dependencies: ["FolkbokCrypto"], swiftSettings: settings),
        .testTarget(
            name: "FolkbokAuditTests", dependencies: ["FolkbokAudit", "FolkbokStorage", "FolkbokModel", "FolkbokCrypto", "FolkbokSync"],
            swiftSettings: settings),
        .testTarget(
            name: "FolkbokStatsTests", dependencies: ["FolkbokStats", "FolkbokModel", "FolkbokAudit", "FolkbokStorage", "FolkbokCrypto"],
            swiftSettings: settings),
        .testTarget(name: "FolkbokSyncTests", dependencies: ["FolkbokSync"], swiftSettings: settings),
        .testTarget(name: "FolkbokStorageTests", dependencies: ["FolkbokSync", "FolkbokStorage", "FolkbokModel", "FolkbokDemo"], swiftSettings: settings),
        .testTarget(
            name: "FolkbokProtocolTests",
            dependencies: [
                "FolkbokSync", "FolkbokProtocol", "FolkbokDemo", "FolkbokIndex", "FolkbokEngine", "FolkbokAudit", "FolkbokJSON", "FolkbokModel",
                "FolkbokStats", "FolkbokNavet",
            ],
            swiftSettings: settings),
        .testTarget(
            name: "FolkbokBlackBoxTests", dependencies: ["folkbok", "FolkbokApp", "CFolkbokSys", "FolkbokJSON", "FolkbokServer", "FolkbokSync", "FolkbokModel", "FolkbokNavet"],
            swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
