import Foundation
import Generation
import LyricsCore
import Songwriting

/// What the web server needs from a model: a name, a kind, and a way to write text from a prompt.
/// Implementations must be safe to call from many requests at once.
public protocol LyricsGenerator: Sendable {
    /// The name clients select the model by (unique within a server).
    var name: String { get }
    /// What `length` counts: words or characters.
    var kind: ModelKind { get }
    /// One line shown in the page's model list (what the model is, its training, ...).
    var summary: String { get }
    func generate(_ request: GenerateRequest) throws -> String
    /// A song under `spec` (rhyme scheme, syllables, structure, max copy); `index` flags copies.
    func writeSong(_ request: GenerateRequest, spec: SongSpec, index: OriginalityIndex?) throws -> Song
    /// Runs `body` with the studio's co-writer over a model copy of this generator's own (its
    /// state is the body's until it returns).
    func coWrite<T>(_ request: GenerateRequest, index: OriginalityIndex?, _ body: (CoWriter) throws -> T) throws -> T
}

extension LyricsGenerator {
    public func writeSong(_ request: GenerateRequest, spec: SongSpec, index: OriginalityIndex?) throws -> Song {
        throw GenerationInputError("model '\(name)' cannot write songs with a rhyme scheme, syllables or structure")
    }

    public func coWrite<T>(_ request: GenerateRequest, index: OriginalityIndex?, _ body: (CoWriter) throws -> T) throws -> T {
        throw GenerationInputError("model '\(name)' cannot co-write in the studio")
    }
}

/// What /api/generate answers.
public struct GenerateResponse: Codable, Sendable, Equatable {
    public var model: String
    public var kind: ModelKind
    public var text: String
    public var seed: UInt64
    /// Per line (songs, and any text when the server has a training text's index): rhyme word,
    /// missed constraints, copied runs with their source line.
    public var lines: [SongLine]?
    /// Lines that missed a constraint (best effort), one note each.
    public var notes: [String]?
}

public struct ModelInfo: Codable, Sendable, Equatable {
    public var name: String
    public var kind: ModelKind
    public var summary: String
}

/// A generator failure that is the caller's fault (e.g. a prompt with no known word), reported
/// as 422 rather than 500.
public struct GenerationInputError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
