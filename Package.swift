// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lyrics",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lyrics", targets: ["lyrics"]),
        .library(name: "LyricsCore", targets: ["LyricsCore"]),
        .library(name: "WordVectors", targets: ["WordVectors"]),
        .library(name: "Recurrent", targets: ["Recurrent"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "WordModel", targets: ["WordModel"]),
        .library(name: "Blending", targets: ["Blending"]),
        .library(name: "LyricsServer", targets: ["LyricsServer"]),
        .library(name: "Songwriting", targets: ["Songwriting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // OpenBLAS (CBLAS) and LAPACKE from Debian's libopenblas-dev and liblapacke-dev.
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(name: "LyricsCore", dependencies: ["CBLAS"]),
        .target(name: "WordVectors", dependencies: ["LyricsCore", "CBLAS"]),
        .target(name: "Recurrent", dependencies: ["LyricsCore", "CBLAS"]),
        .target(name: "Reports", dependencies: ["LyricsCore", "CBLAS"]),
        .target(name: "WordModel", dependencies: ["LyricsCore", "CBLAS", "Recurrent", "WordVectors", "Reports"]),
        .target(name: "Blending", dependencies: ["LyricsCore", "CBLAS", "Recurrent", "WordModel"]),
        .target(
            name: "LyricsServer",
            dependencies: ["LyricsCore", "Recurrent", "WordModel", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        // Rhyme, syllables, rhyme density and the originality check; the CMU Pronouncing
        // Dictionary ships as a resource (Bundle.module), see Sources/Songwriting/Resources/README.md.
        .target(name: "Songwriting", dependencies: ["LyricsCore"], resources: [.copy("Resources")]),
        .executableTarget(
            name: "lyrics",
            dependencies: [
                "LyricsCore", "WordVectors", "Recurrent", "Reports", "WordModel", "Blending", "LyricsServer", "Songwriting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What several test targets share (sample text, the Python runner); in no product.
        .target(name: "TestSupport", dependencies: ["LyricsCore"], path: "Tests/TestSupport"),
        .testTarget(name: "LyricsCoreTests", dependencies: ["LyricsCore"]),
        .testTarget(name: "WordVectorsTests", dependencies: ["WordVectors", "LyricsCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RecurrentTests", dependencies: ["Recurrent", "LyricsCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "LyricsCore", "TestSupport"]),
        .testTarget(name: "WordModelTests", dependencies: ["WordModel", "Recurrent", "WordVectors", "LyricsCore", "Reports", "TestSupport"]),
        .testTarget(name: "BlendingTests", dependencies: ["Blending", "Recurrent", "WordModel", "WordVectors", "LyricsCore"]),
        .testTarget(name: "SongwritingTests", dependencies: ["Songwriting", "LyricsCore", "TestSupport"]),
        .testTarget(
            name: "LyricsServerTests",
            dependencies: ["LyricsServer", "Recurrent", "LyricsCore", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
