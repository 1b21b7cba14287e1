import ArgumentParser
import Foundation
import Hummingbird
import LyricsCore
import LyricsServer
import CharModel
import Songwriting

/// `lyrics serve`: a page and a JSON API to generate lyrics from loaded models.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a web page and a JSON API (/api/models, /api/generate) to write lyrics.",
        discussion: """
        Models load once at start-up and stay in memory; requests run independently and may run \
        concurrently. Name a model with NAME=PATH (default name: the file name without extension).
        """
    )

    @Option(name: .long, help: "Char-model checkpoint to serve, as NAME=PATH or PATH (repeatable).")
    var charModel: [String] = []
    @Option(name: .long, help: "Word-model checkpoint to serve, as NAME=PATH or PATH (repeatable; its vectors file is the one it was trained with).")
    var wordModel: [String] = []
    @Option(name: .long, help: "Address to bind; the default keeps the server private to this machine.")
    var host = "127.0.0.1"
    @Option(name: .long, help: "Port to listen on.")
    var port = 8080
    @Option(name: .long, help: "Training text (file, folder or table): generated lines that copy it are flagged with their source; enables maxCopy.")
    var corpus: String?
    @Option(name: .long, help: "Folder for the originality index of --corpus (default ~/.cache/lyrics).") var cache: String?

    func validate() throws {
        guard !(charModel.isEmpty && wordModel.isEmpty) else {
            throw ValidationError("give at least one model with --char-model or --word-model")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        let names = (charModel + wordModel).map { Self.split($0).name }
        if Set(names).count != names.count { throw ValidationError("model names must be unique: \(names.joined(separator: ", "))") }
    }

    static func split(_ spec: String) -> (name: String, path: String) {
        if let eq = spec.firstIndex(of: "="), eq != spec.startIndex {
            return (String(spec[..<eq]), String(spec[spec.index(after: eq)...]))
        }
        let file = (spec as NSString).lastPathComponent
        return ((file as NSString).deletingPathExtension, spec)
    }

    func run() async throws {
        var generators = [any LyricsGenerator]()
        do {
            for spec in charModel {
                let (name, path) = Self.split(spec)
                generators.append(try TokenModelGenerator.char(name: name, checkpoint: path))
            }
            for spec in wordModel {
                let (name, path) = Self.split(spec)
                generators.append(try TokenModelGenerator.word(name: name, checkpoint: path))
            }
        }
        let index = try corpus.map {
            try OriginalityIndex.cached(corpus: $0, cacheDirectory: cache ?? OriginalityIndex.defaultCacheDirectory).0
        }
        ProgressReporter.write("serving \(generators.map(\.name).joined(separator: ", ")) on http://\(host):\(port)/\n")
        let app = LyricsServer.makeApplication(generators: generators, host: host, port: port, index: index)
        try await app.runService()
    }
}

