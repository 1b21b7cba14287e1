// swift-tools-version:6.0
import Foundation
import PackageDescription

// libFuzzer targets for every reader of outside bytes (docs/reliability.md). Build and run them
// with scripts/fuzz/run.sh, which passes `-sanitize=fuzzer,address` on the command line (the main
// package has no unsafe flags). Each executable defines `LLVMFuzzerTestOneInput` and a
// `<Target>_main` (the name SwiftPM links as `main`) that hands it to libFuzzer's driver.
//
// The main package is a path dependency, and SwiftPM names a path dependency after its folder,
// which differs between checkouts (main, a worktree, CI), so the name is read from this file's path.
let lyricsPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

func fuzzTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: lyricsPackage) })
}

let package = Package(
    name: "LyricsFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver", .product(name: "LyricsCore", package: lyricsPackage)]),
        fuzzTarget("FuzzSafeTensors", ["NeuralNet", "CharModel", "WordModel"]),
        fuzzTarget("FuzzVectors", ["WordVectors", "WordModel"]),
        fuzzTarget("FuzzTables", ["LyricsCore"]),
        fuzzTarget("FuzzCorpus", ["LyricsCore"]),
        fuzzTarget("FuzzSongSpec", ["Songwriting"]),
        fuzzTarget("FuzzRequest", ["LyricsServer", "Songwriting"]),
    ],
    swiftLanguageModes: [.v5]
)
