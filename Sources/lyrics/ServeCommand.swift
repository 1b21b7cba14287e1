import ArgumentParser
import Foundation
import Hummingbird
import LyricsCore
import LyricsServer
import CharModel
import Models
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
    @Option(name: .long, parsing: .unconditional, help: "Port to listen on (0: one the system picks, printed on stderr).")
    var port = 8080
    @Option(name: .long, help: "Training text (file, folder or table): generated lines that copy it are flagged with their source; enables maxCopy.")
    var corpus: String?
    @Option(name: .long, help: "Folder for the originality index of --corpus (default ~/.cache/lyrics).") var cache: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port: must be between 0 and 65535") }
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
        var charModel = charModel, wordModel = wordModel
        if charModel.isEmpty && wordModel.isEmpty {
            // No models named: serve the shipped ones.
            wordModel = ["word=" + ModelLoader.resolve("word")]
            charModel = ["char=" + ModelLoader.resolve("char")]
        }
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
        let names = generators.map(\.name).joined(separator: ", ")
        let app = LyricsServer.makeApplication(generators: generators, host: host, port: port, index: index) { [host] listening in
            ProgressReporter.write("serving \(names) on http://\(host):\(listening)/\n")
        }
        do {
            try await app.runService()
        } catch {
            // A host that does not resolve or a port in use: one line naming the address.
            let reason = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
            throw LyricsError(file: "\(host):\(port)", "cannot listen: \(reason)")
        }
    }
}

