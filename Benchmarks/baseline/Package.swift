// swift-tools-version:6.2
// The framework's own ceiling on this machine: a bare Hummingbird 2 server with no middleware that
// answers Moderato's two benchmark routes with fixed bytes. Benchmarks/run.sh --with-peers runs the
// same wrk shapes against it, so "near the framework's limit" is a measured figure, not a guess.
import PackageDescription

let package = Package(
    name: "BareHummingbird",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1")
    ],
    targets: [
        .executableTarget(
            name: "BareHummingbird",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
