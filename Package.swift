// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Moderato",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "moderato", targets: ["moderato"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "ModeratoCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto")
            ]
        ),
        .target(
            name: "ModeratoStore",
            dependencies: [
                "ModeratoCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Each engine's whole folder (links to Schema/sqlite and Schema/postgresql) is embedded,
            // file by file, so a new migration is a new file plus its line in SchemaMigrations.swift
            // or PostgreSQLMigrations.swift, nothing here. Embedded files are named after their
            // file names alone, so PostgreSQL's say "postgresql" in theirs.
            resources: [.embedInCode("SQLite/Schema"), .embedInCode("PostgreSQL/Schema")]
        ),
        .target(
            name: "ModeratoServer",
            dependencies: [
                "ModeratoCore",
                "ModeratoStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // The message catalogues are embedded by the EmbedCatalogues plugin, which also lists
            // them, so a new language is one new file in Resources/Localization and nothing else.
            exclude: ["Resources/Localization"],
            resources: [
                .embedInCode("Resources/openapi.json"),
                .embedInCode("Resources/embed.js"),
                .embedInCode("Resources/moderato.css"),
            ],
            plugins: ["EmbedCatalogues"]
        ),
        // Readers of other systems' exports and the WXR writer: pure, streaming, no HTTP. GRDB only
        // to open an Isso database read-only.
        .target(
            name: "ModeratoImport",
            dependencies: [
                "ModeratoCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .plugin(name: "EmbedCatalogues", capability: .buildTool(), dependencies: ["EmbedCataloguesTool"]),
        .executableTarget(name: "EmbedCataloguesTool", path: "Plugins/EmbedCataloguesTool"),
        .target(
            // The terminal layer of `moderato review`: raw keys, styled lines, termios and ANSI.
            name: "ModeratoTerminal",
            dependencies: ["ModeratoCore"]
        ),
        .executableTarget(
            name: "moderato",
            dependencies: [
                "ModeratoServer",
                "ModeratoStore",
                "ModeratoImport",
                "ModeratoTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The tests' throwaway PostgreSQL databases (psql against MODERATO_TEST_POSTGRES_URL).
        .target(name: "PostgreSQLTestSupport", path: "Tests/PostgreSQLTestSupport"),
        .testTarget(name: "ModeratoCoreTests", dependencies: ["ModeratoCore"]),
        .testTarget(
            name: "ModeratoStoreTests",
            dependencies: [
                "ModeratoStore", "ModeratoCore", "PostgreSQLTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "ModeratoServerTests",
            dependencies: [
                "ModeratoServer",
                "ModeratoStore",
                "ModeratoCore",
                "PostgreSQLTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ModeratoTerminalTests", dependencies: ["ModeratoTerminal", "ModeratoCore"]),
        .testTarget(
            name: "ModeratoImportTests",
            dependencies: ["ModeratoImport", "ModeratoCore", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "moderatoTests",
            dependencies: ["moderato", "PostgreSQLTestSupport"]
        ),
    ]
)

// The libFuzzer target exists only when Tests/Fuzz/run.sh asks for it: it has no `main` of its
// own (libFuzzer provides one) and must be built with -sanitize=fuzzer, in its own build folder.
if Context.environment["MODERATO_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "SubmissionFuzzer",
            dependencies: ["ModeratoCore"],
            path: "Tests/Fuzz/SubmissionFuzzer",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    )
    package.products.append(.executable(name: "submission-fuzzer", targets: ["SubmissionFuzzer"]))
}

// The reader benchmark exists only when Benchmarks/import/README.md's command asks for it, so the
// normal build and test never compile it.
if Context.environment["MODERATO_IMPORT_BENCH"] == "1" {
    package.targets.append(
        .executableTarget(name: "ImportBench", dependencies: ["ModeratoImport", "ModeratoCore"], path: "Benchmarks/import/ImportBench")
    )
    package.products.append(.executable(name: "import-bench", targets: ["ImportBench"]))
}
