import Foundation
import LyricsCore
import CharModel
import NeuralNet
import WordModel
import Blending
import Generation

/// Opens a char or word checkpoint as a `TokenModel`, telling the kinds apart by the format
/// recorded in the file, so `lyrics blend` takes any two checkpoints and explains a mismatch.
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
    /// (both ignored for char models).
    public static func load(_ path: String, vectors: String? = nil, retrieval: Retrieval? = nil) throws -> TokenModel {
        switch try kind(of: path) {
        case .char: return try CharTokenModel(checkpoint: path)
        case .word: return try WordTokenModel(checkpoint: path, vectors: vectors, retrieval: retrieval)
        }
    }

    /// The models the tool ships (models/), found wherever it runs (`BundledData`).
    public static let shipped = ["word": "models/word.safetensors", "char": "models/char.safetensors"]

    /// `name` is "word" or "char" (a shipped model) or a checkpoint path.
    public static func resolve(_ name: String) -> String {
        shipped[name].map(BundledData.path) ?? name
    }

    /// Both models of a blend, checked to be of one kind before the (larger) weights are read.
    public static func loadPair(_ a: String, _ b: String, vectors: String? = nil) throws -> Blender {
        let ka = try kind(of: a), kb = try kind(of: b)
        guard ka == kb else {
            throw LyricsError(file: b, "is a \(kb.rawValue) model but \(a) is a \(ka.rawValue) model; blend two models of one kind")
        }
        return try Blender(load(a, vectors: vectors), load(b, vectors: vectors))
    }
}
