import ArgumentParser
import Foundation
import Generation
import Hummingbird
import LyricsCore
import LyricsServer
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

    @Option(name: .long, help: "Model to serve, as NAME=PATH or PATH: a char or word checkpoint, or 'word'/'char' for a shipped model (repeatable; default: the shipped word and char models). Word models are listed first: the page opens on the first.")
    var model: [String] = []
    @Option(name: .long, help: "Alias of --model that insists on a char-model checkpoint.")
    var charModel: [String] = []
    @Option(name: .long, help: "Alias of --model that insists on a word-model checkpoint (its vectors file is the one it was trained with).")
    var wordModel: [String] = []
    @Option(name: .long, help: "Address to bind; the default keeps the server private to this machine.")
    var host = "127.0.0.1"
    @Option(name: .long, parsing: .unconditional, help: "Port to listen on (0: one the system picks, printed on stderr).")
    var port = 8080
    @Option(name: .long, help: "Training text (file, folder or table): generated lines that copy it are flagged with their source; enables maxCopy.")
    var corpus: String?
    @Option(name: .long, help: "Folder for the originality index of --corpus (default ~/.cache/lyrics).") var cache: String?

    /// Every model named, with the kind its flag insists on (nil: `--model`, either kind).
    var specs: [(spec: String, kind: ModelKind?)] {
        model.map { ($0, nil) } + wordModel.map { ($0, .word) } + charModel.map { ($0, .char) }
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port: must be between 0 and 65535") }
        let names = specs.map { Self.split($0.spec).name }
        if Set(names).count != names.count { throw ValidationError("model names must be unique: \(names.joined(separator: ", "))") }
    }

    /// NAME=PATH, or PATH named by its file name without extension ("word" and "char" name the
    /// shipped models).
    static func split(_ spec: String) -> (name: String, path: String) {
        if let eq = spec.firstIndex(of: "="), eq != spec.startIndex {
            return (String(spec[..<eq]), String(spec[spec.index(after: eq)...]))
        }
        let file = (spec as NSString).lastPathComponent
        return ((file as NSString).deletingPathExtension, spec)
    }

    func run() async throws {
        ServerMemory.configure()
        // No models named: the shipped ones, the word model first as on the command line.
        let named: [(spec: String, kind: ModelKind?)] = specs.isEmpty ? [("word", nil), ("char", nil)] : specs
        var generators = [TokenModelGenerator]()
        for (spec, kind) in named {
            let (name, path) = Self.split(spec)
            generators.append(TokenModelGenerator(name: name, model: try ModelLoader.open(ModelLoader.resolve(path), expecting: kind)))
        }
        // Word models first (stable): the page opens on the first model.
        generators = generators.filter { $0.kind == .word } + generators.filter { $0.kind == .char }
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

