import Foundation
import LyricsCore
import CharModel
import NeuralNet
import WordModel
import Generation
import Songwriting

/// Opens a char or word checkpoint as a `TokenModel`, telling the kinds apart by the format
/// recorded in the file, so every command (and the server) takes any checkpoint and explains a mismatch.
public enum ModelLoader {
    /// The kind a checkpoint holds (one-line error naming the file when it is neither).
    public static func kind(of path: String) throws -> ModelKind {
        let format = try SafeTensors.File(path: path).metadata["format"]
        switch format {
        case CharCheckpoint.format: return .char
        case WordCheckpoint.format: return .word
        default:
            throw LyricsError(file: path, "not a lyrics char or word model checkpoint (format '\(format ?? "none")')")
        }
    }

    /// `vectors` overrides the vector file a word checkpoint names and `retrieval` its rule
    /// (both ignored for char models); `precision` is generation's (nil: the fastest the CPU has).
    public static func load(_ path: String, vectors: String? = nil, retrieval: Retrieval? = nil, precision: Precision? = nil) throws -> TokenModel {
        switch try kind(of: path) {
        case .char: return try CharTokenModel(checkpoint: path, precision: precision)
        case .word: return try WordTokenModel(checkpoint: path, vectors: vectors, retrieval: retrieval, precision: precision)
        }
    }

    /// A checkpoint opened once to be copied per writer (`OpenedModel`). `expecting` a kind: a
    /// checkpoint of the other kind is refused with one line (the server's `--char-model` and
    /// `--word-model` aliases).
    public static func open(_ path: String, vectors: String? = nil, expecting expected: ModelKind? = nil,
                            precision: Precision? = nil) throws -> OpenedModel {
        let kind = try kind(of: path)
        if let expected, kind != expected {
            throw LyricsError(file: path, "not a lyrics \(expected.rawValue) model checkpoint (it holds a \(kind.rawValue) model; --model takes either)")
        }
        switch kind {
        case .char:
            let master = try CharTokenModel(checkpoint: path, precision: precision)
            let c = master.model.config
            return OpenedModel(kind: .char, path: path, model: master,
                               summary: "char \(c.cell.rawValue) \(c.layers)x\(c.hiddenSize), \(master.tokens.count) symbols",
                               copy: { _ in try master.copy() })
        case .word:
            let master = try WordTokenModel(checkpoint: path, vectors: vectors, precision: precision)
            let m = master.model
            return OpenedModel(kind: .word, path: path, model: master,
                               summary: "word \(m.config.loss.rawValue) \(m.config.layers)x\(m.config.hiddenSize), \(m.table.count) words × \(m.table.dimension), retrieval \(master.retrieval.rawValue)",
                               copy: { rule in
                                   let copy = try master.copy()
                                   guard let rule else { return copy }
                                   return try copy.with(retrieval: rule)
                               })
        }
    }

    /// A song theme ("sea storm"), its words weighted (`VectorTable.neighbourhood`) from the
    /// first word model's vectors, else the shipped vectors (read once per process). The CLI and
    /// the server both make themes here.
    public static func theme(_ text: String, models: [TokenModel]) throws -> Theme {
        let words = try Theme.words(of: text)
        if let table = models.lazy.compactMap({ ($0 as? WordTokenModel)?.table }).first {
            return Theme(text: text, weights: try table.neighbourhood(of: words))
        }
        return Theme(text: text, weights: try shippedVectors.get().neighbourhood(of: words))
    }

    private static let shippedVectors = Result { try VectorTable.load(BundledData.path("models/word-vectors.bin")) }

    /// The models the tool ships (models/), found wherever it runs (`BundledData`).
    public static let shipped = ["word": "models/word.safetensors", "char": "models/char.safetensors"]

    /// `name` is "word" or "char" (a shipped model) or a checkpoint path.
    public static func resolve(_ name: String) -> String {
        shipped[name].map(BundledData.path) ?? name
    }
}

/// A checkpoint loaded once, from which every concurrent writer takes its own copy: the weights
/// are loaded once and shared by every copy (read only), each copy has its own recurrent state.
public struct OpenedModel {
    public let kind: ModelKind
    public let path: String
    /// The loaded model itself (its defaults: `defaultTopK`, tokens).
    public let model: TokenModel
    /// One line for a model list: kind, architecture, vocabulary (and rule), then the file name.
    public var summary: String { "\(description) (\((path as NSString).lastPathComponent))" }
    private let description: String
    private let makeCopy: (Retrieval?) throws -> TokenModel

    init(kind: ModelKind, path: String, model: TokenModel, summary: String, copy: @escaping (Retrieval?) throws -> TokenModel) {
        self.kind = kind
        self.path = path
        self.model = model
        description = summary
        makeCopy = copy
    }

    /// A fresh copy; `retrieval` picks a word model's rule (nil: the model's own; char models
    /// have none and ignore it).
    public func copy(retrieval: Retrieval? = nil) throws -> TokenModel { try makeCopy(retrieval) }
}
