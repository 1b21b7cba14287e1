import Foundation
import LyricsCore

/// Character-model checkpoints in the safetensors layout. Tensors: every parameter under its
/// `ParameterSet` name, and for training checkpoints the Adam moments (`optimizer.adam.m/v`),
/// the carried recurrent state of every stream (`state.N`) and the best weights so far
/// (`best.parameters`). `__metadata__` holds the format name and version, the model config,
/// vocabulary, training options and state as JSON, Adam's step count, the dropout RNG state and
/// a fingerprint of the training text, which is everything a resumed run needs to continue
/// bit for bit.
public enum CharCheckpoint {
    public static let format = "lyrics-char-model"
    public static let version = 1

    /// Writes a training checkpoint atomically.
    public static func save(_ trainer: CharTrainer, to path: String) throws {
        let model = trainer.model
        var meta = modelMetadata(model)
        meta["options"] = try json(trainer.options)
        meta["state"] = try json(trainer.state)
        meta["adam_t"] = String(trainer.adam.t)
        meta["rng"] = model.random.rng.stateWords.map(String.init).joined(separator: ",")
        meta["train_fingerprint"] = fingerprint(trainer.trainIDs)
        var tensors = parameterTensors(model)
        let n = model.parameters.count
        tensors.append(.init(name: "optimizer.adam.m", shape: [n], values: UnsafeBufferPointer(trainer.adam.m.buffer)))
        tensors.append(.init(name: "optimizer.adam.v", shape: [n], values: UnsafeBufferPointer(trainer.adam.v.buffer)))
        tensors.append(.init(name: "best.parameters", shape: [n], values: UnsafeBufferPointer(trainer.bestParameters.buffer)))
        for (i, s) in model.stack.stateBuffers.enumerated() {
            tensors.append(.init(name: "state.\(i)", shape: [model.batch, s.count / model.batch], values: UnsafeBufferPointer(s.buffer)))
        }
        try SafeTensors.write(tensors, metadata: meta, to: path)
    }

    /// A checked checkpoint: its architecture and vocabulary, and the file to read tensors from.
    public struct Loaded {
        public let file: SafeTensors.File
        public let config: CharModelConfig
        public let vocabulary: CharVocabulary
        public var path: String { file.path }
        public var isTraining: Bool { file.metadata["options"] != nil }
    }

    public static func load(_ path: String) throws -> Loaded {
        let file = try SafeTensors.File(path: path)
        guard file.metadata["format"] == format else {
            throw LyricsError(file: path, "not a lyrics char model checkpoint (format '\(file.metadata["format"] ?? "none")')")
        }
        guard file.metadata["version"] == String(version) else {
            throw LyricsError(file: path, "checkpoint format version \(file.metadata["version"] ?? "?") is not supported (this build reads version \(version))")
        }
        let config: CharModelConfig = try decode(file.meta("config"), key: "config", path: path)
        guard config.layers >= 1, config.hiddenSize >= 1, config.embeddingSize >= 1, config.dropout >= 0, config.dropout < 1 else {
            throw LyricsError(file: path, "checkpoint has an invalid model configuration")
        }
        let vocabulary = try CharVocabulary(string: file.meta("vocabulary"), file: path)
        for (name, shape) in CharModel.parameterShapes(config: config, vocabularySize: vocabulary.count) {
            guard let found = file.shapes[name] else { throw LyricsError(file: path, "tensor '\(name)' is missing") }
            guard found == shape else {
                throw LyricsError(file: path, "tensor '\(name)' has shape \(found), but the stored configuration needs \(shape)")
            }
        }
        return Loaded(file: file, config: config, vocabulary: vocabulary)
    }

    /// A model with the checkpoint's weights, built for the given batch and chunk length.
    public static func model(_ loaded: Loaded, batch: Int, maxSteps: Int) throws -> CharModel {
        let model = CharModel(config: loaded.config, vocabulary: loaded.vocabulary, batch: batch, maxSteps: maxSteps, seed: 0)
        try readParameters(loaded.file, into: model.parameters)
        return model
    }

    /// Rebuilds a trainer exactly as it was saved; `train` must be the same text.
    public static func trainer(_ loaded: Loaded, train: [Int32], valid: [Int32],
                               adjust: (inout CharTrainingOptions) -> Void = { _ in }) throws -> CharTrainer {
        let f = loaded.file, path = loaded.path
        guard loaded.isTraining else { throw LyricsError(file: path, "holds weights only, no training state to resume") }
        var options: CharTrainingOptions = try decode(f.meta("options"), key: "options", path: path)
        adjust(&options)
        guard options.batch >= 1, options.sequenceLength >= 1, options.batch * options.sequenceLength <= 1 << 24,
              options.evalBatch >= 1, options.evalBatch <= 1 << 16 else {
            throw LyricsError(file: path, "checkpoint has invalid training options")
        }
        guard try f.meta("train_fingerprint") == fingerprint(train) else {
            throw LyricsError(file: path, "was trained on a different text; resume with the same corpus and split")
        }
        let trainer = try CharTrainer(config: loaded.config, vocabulary: loaded.vocabulary, options: options, train: train, valid: valid)
        trainer.state = try decode(f.meta("state"), key: "state", path: path)
        try readParameters(f, into: trainer.model.parameters)
        try f.read("optimizer.adam.m", into: trainer.adam.m.buffer)
        try f.read("optimizer.adam.v", into: trainer.adam.v.buffer)
        try f.read("best.parameters", into: trainer.bestParameters.buffer)
        for (i, s) in trainer.model.stack.stateBuffers.enumerated() { try f.read("state.\(i)", into: s.buffer) }
        guard let t = Int(try f.meta("adam_t")) else { throw LyricsError(file: path, "bad adam_t metadata") }
        trainer.adam.t = t
        let words = try f.meta("rng").split(separator: ",").compactMap { UInt64($0) }
        guard words.count == 4 else { throw LyricsError(file: path, "bad rng metadata") }
        trainer.model.random.rng = SeededRandom(state: words)
        return trainer
    }

    static func modelMetadata(_ model: CharModel) -> [String: String] {
        ["format": format, "version": String(version),
         "config": (try? json(model.config)) ?? "{}", "vocabulary": model.vocabulary.string]
    }

    static func parameterTensors(_ model: CharModel) -> [SafeTensors.Tensor] {
        model.parameters.entries.map {
            .init(name: $0.name, shape: $0.shape,
                  values: UnsafeBufferPointer(start: model.parameters.values.pointer + $0.offset, count: $0.count))
        }
    }

    public static func readParameters(_ f: SafeTensors.File, into params: ParameterSet) throws {
        for e in params.entries {
            try f.read(e.name, into: UnsafeMutableBufferPointer(start: params.values.pointer + e.offset, count: e.count), shape: e.shape)
        }
    }

    public static func json<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ text: String, key: String, path: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
            throw LyricsError(file: path, "unreadable '\(key)' metadata in checkpoint")
        }
    }

    /// FNV-1a over the training ids and their count: cheap, and enough to catch a different text.
    public static func fingerprint(_ ids: [Int32]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for id in ids { h = (h ^ UInt64(UInt32(bitPattern: id))) &* 0x100_0000_01B3 }
        return "\(ids.count):\(String(h, radix: 16))"
    }
}
