// swift-tools-version:6.0
import PackageDescription

// Modules, from the bottom up (docs/architecture.md draws the graph):
//   LyricsCore   text, corpora and splits, vocabularies, errors, files, progress, random, BLAS;
//                Distributed/ holds the collectives (one process, or Open MPI)
//   WordVectors  skip-gram word2vec, vector files, nearest words, analogies, evaluation
//   CKernels     bf16 matrix-product kernels in C (AVX512-BF16), chosen at run time
//   NeuralNet    layers (dense, LSTM, GRU) as forward/backward pairs, Adam, safetensors, the
//                one training loop and checkpoint layout every sequence model uses
//   Generation   the next-token protocol every model speaks, the sampler, the generation loop
//   CharModel    the character-level LSTM/GRU: model, checkpoints, training, fine-tuning
//   WordModel    the word LSTM over word vectors (vMF and cosine heads), same parts
//   Models       opens any checkpoint as a generating model (the CLI and the server alike)
//   Blending     two models writing one song (a mixture as one model; turns via the song writer)
//   Evaluation   the comparison of models, reports (Markdown, notebook, SVG plots)
//   Songwriting  pronunciations (rhyme, syllables), rhyme density, the originality index, the
//                song writer (rhyme schemes, syllables, structure) over the generation loop
//   LyricsServer the web page and JSON API
let package = Package(
    name: "Lyrics",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lyrics", targets: ["lyrics"]),
        .library(name: "WordVectors", targets: ["WordVectors"]),
        .library(name: "CharModel", targets: ["CharModel"]),
        .library(name: "WordModel", targets: ["WordModel"]),
        .library(name: "Songwriting", targets: ["Songwriting"]),
        // For the libFuzzer package in fuzz/, which depends on this one by path.
        .library(name: "LyricsCore", targets: ["LyricsCore"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "LyricsServer", targets: ["LyricsServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // OpenBLAS (CBLAS) and LAPACKE from Debian's libopenblas-dev and liblapacke-dev; only
        // LyricsCore's BLAS.swift calls them.
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(name: "LyricsCore", dependencies: ["CBLAS"]),
        // bf16 matrix products (AVX512-BF16), picked at run time by NeuralNet's MatMul.
        .target(name: "CKernels"),
        .target(name: "WordVectors", dependencies: ["LyricsCore"]),
        .target(name: "NeuralNet", dependencies: ["LyricsCore", "CKernels"]),
        .target(name: "Generation", dependencies: ["LyricsCore"]),
        .target(name: "CharModel", dependencies: ["LyricsCore", "NeuralNet", "Generation"]),
        .target(name: "WordModel", dependencies: ["LyricsCore", "NeuralNet", "Generation", "WordVectors"]),
        .target(name: "Models", dependencies: ["LyricsCore", "NeuralNet", "Generation", "CharModel", "WordModel", "Songwriting"]),
        .target(name: "Blending", dependencies: ["LyricsCore", "Generation", "Models"]),
        .target(name: "Evaluation", dependencies: ["LyricsCore", "NeuralNet", "Generation", "CharModel", "WordModel"]),
        .target(
            name: "LyricsServer",
            dependencies: ["LyricsCore", "Generation", "WordModel", "Models", "Songwriting",
                           .product(name: "Hummingbird", package: "hummingbird")],
            // The page: HTML, CSS, JavaScript and the OpenAPI document as files (StaticFiles.swift).
            resources: [.copy("Resources")]
        ),
        // Rhyme, syllables, rhyme density and the originality check; the CMU Pronouncing
        // Dictionary ships as a resource (Bundle.module), see Sources/Songwriting/Resources/README.md.
        .target(name: "Songwriting", dependencies: ["LyricsCore", "Generation"], resources: [.copy("Resources")]),
        .executableTarget(
            name: "lyrics",
            dependencies: [
                "LyricsCore", "WordVectors", "NeuralNet", "Generation", "CharModel", "WordModel", "Models", "Blending",
                "Evaluation", "LyricsServer", "Songwriting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // What several test targets share (sample text, the Python runner); in no product.
        .target(name: "TestSupport", dependencies: ["LyricsCore", "WordVectors", "WordModel", "Generation"], path: "Tests/TestSupport"),
        .testTarget(name: "LyricsCoreTests", dependencies: ["LyricsCore", "TestSupport"]),
        .testTarget(name: "WordVectorsTests", dependencies: ["WordVectors", "LyricsCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "LyricsCore", "CKernels"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "LyricsCore"]),
        .testTarget(name: "ShippedModelTests", dependencies: ["Models", "Generation", "LyricsCore", "TestSupport"]),
        .testTarget(name: "CharModelTests", dependencies: ["CharModel", "NeuralNet", "Generation", "LyricsCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WordModelTests", dependencies: ["WordModel", "NeuralNet", "Generation", "WordVectors", "LyricsCore", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "WordModel", "WordVectors", "CharModel", "NeuralNet", "LyricsCore", "TestSupport"]),
        .testTarget(name: "BlendingTests", dependencies: ["Blending", "Generation", "Models", "CharModel", "NeuralNet", "WordModel", "WordVectors", "LyricsCore", "TestSupport"]),
        .testTarget(name: "SongwritingTests", dependencies: ["Songwriting", "Generation", "LyricsCore", "TestSupport"]),
        .testTarget(
            name: "LyricsServerTests",
            dependencies: ["LyricsServer", "Models", "CharModel", "NeuralNet", "LyricsCore", "Generation", "Songwriting", "TestSupport",
                           .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        // Every `lyrics` subcommand end to end: the built binary on tiny inputs in a temporary folder
        // (the binary-running tests live here; the distributed runs stay with what they train).
        .testTarget(name: "CommandLineTests", dependencies: ["TestSupport", "LyricsCore", "Songwriting", "CharModel", "NeuralNet"]),
    ],
    swiftLanguageModes: [.v5]
)
