import Foundation
import LyricsCore

/// What char and word checkpoints share, in the safetensors layout. Tensors: every parameter
/// under its `ParameterSet` name, and for training checkpoints the Adam moments
/// (`optimizer.adam.m/v`), the best weights so far (`best.parameters`) and the carried recurrent
/// state of every stream (`state.N`). `__metadata__` holds, beside the model's own entries, the
/// training options and state as JSON (`options`, `state`), Adam's step count (`adam_t`), the
/// dropout RNG state (`rng`) and a fingerprint of the training ids (`train_fingerprint`): with
/// the weights, everything a resumed run needs to continue bit for bit.
public enum SequenceCheckpoint {
    /// Writes a training checkpoint atomically: `modelMetadata` (format, config, vocabulary...)
    /// plus the trainer's weights, optimizer, carried state and progress. In a distributed run
    /// every rank calls this at the same step: the carried state of all ranks' streams is
    /// gathered (so the file holds `options.batch` streams, whatever the rank count) and rank 0
    /// alone writes. Weights, optimizer and counters are the same on every rank.
    public static func save<Model>(_ trainer: SequenceTrainer<Model>, modelMetadata: [String: String], to path: String) throws {
        let model = trainer.model
        let streams = carriedState(of: trainer)
        guard trainer.communicator.isRoot else { return }
        var meta = modelMetadata
        meta["options"] = try json(trainer.options)
        meta["state"] = try json(trainer.state)
        meta["adam_t"] = String(trainer.adam.t)
        meta["rng"] = model.random.rng.stateWords.map(String.init).joined(separator: ",")
        meta["train_fingerprint"] = fingerprint(trainer.trainIDs)
        if let inputs = trainer.inputs { meta["inputs"] = try json(inputs) }
        var tensors = parameterTensors(model.parameters)
        let n = model.parameters.count
        tensors.append(.init(name: "optimizer.adam.m", shape: [n], values: UnsafeBufferPointer(trainer.adam.m.buffer)))
        tensors.append(.init(name: "optimizer.adam.v", shape: [n], values: UnsafeBufferPointer(trainer.adam.v.buffer)))
        tensors.append(.init(name: "best.parameters", shape: [n], values: UnsafeBufferPointer(trainer.bestParameters.buffer)))
        let all = trainer.options.batch
        for (i, s) in streams.enumerated() {
            tensors.append(.init(name: "state.\(i)", shape: [all, s.count / all], values: s))
        }
        try SafeTensors.write(tensors, metadata: meta, to: path)
        for s in streams where trainer.communicator.isDistributed { s.deallocate() }
    }

    /// The carried state of every stream of the job, rank order (= stream order); one process
    /// views its own buffers. Streams are the leading dimension of every state buffer.
    private static func carriedState<Model>(of trainer: SequenceTrainer<Model>) -> [UnsafeBufferPointer<Float>] {
        let world = trainer.communicator
        return trainer.model.stack.stateBuffers.map { s in
            guard world.isDistributed else { return UnsafeBufferPointer(s.buffer) }
            let all = UnsafeMutableBufferPointer<Float>.allocate(capacity: s.count * world.size)
            world.allgather(UnsafeRawPointer(s.pointer), count: s.count * 4, into: UnsafeMutableRawPointer(all.baseAddress!))
            return UnsafeBufferPointer(all)
        }
    }

    /// Opens a checkpoint and checks its format name and version; `kind` names the model in the
    /// error ("char", "word").
    public static func open(_ path: String, format: String, version: Int, kind: String) throws -> SafeTensors.File {
        let file = try SafeTensors.File(path: path)
        try check(file, format: format, version: version, kind: kind)
        return file
    }

    /// The format and version checks of `open`.
    public static func check(_ file: SafeTensors.File, format: String, version: Int, kind: String) throws {
        let path = file.path
        guard file.metadata["format"] == format else {
            throw LyricsError(file: path, "not a lyrics \(kind) model checkpoint (format '\(file.metadata["format"] ?? "none")')")
        }
        guard file.metadata["version"] == String(version) else {
            throw LyricsError(file: path, "checkpoint format version \(file.metadata["version"] ?? "?") is not supported (this build reads version \(version))")
        }
    }

    /// Rebuilds a trainer exactly as it was saved. The stored options, after `adjust` (e.g. a new
    /// budget), go to `makeTrainer`; `train` must be the ids it was trained on (`sameDataHint`
    /// says what to keep the same when they are not). The caller checks the file is a training
    /// checkpoint and restores what only its model has.
    public static func resume<Model>(
        _ file: SafeTensors.File, train: [Int32], sameDataHint: String, adjust: (inout SequenceTrainingOptions) -> Void,
        makeTrainer: (SequenceTrainingOptions) throws -> SequenceTrainer<Model>
    ) throws -> SequenceTrainer<Model> {
        let path = file.path
        var options: SequenceTrainingOptions = try decode(file.meta("options"), key: "options", path: path)
        adjust(&options)
        guard options.batch >= 1, options.sequenceLength >= 1, options.batch * options.sequenceLength <= 1 << 24,
              options.evalBatch >= 1, options.evalBatch <= 1 << 16 else {
            throw LyricsError(file: path, "checkpoint has invalid training options")
        }
        guard try file.meta("train_fingerprint") == fingerprint(train) else {
            throw LyricsError(file: path, "was trained on a different text; resume with \(sameDataHint)")
        }
        let trainer = try makeTrainer(options)
        trainer.inputs = try inputs(file)
        trainer.state = try decode(file.meta("state"), key: "state", path: path)
        try readParameters(file, into: trainer.model.parameters)
        try file.read("optimizer.adam.m", into: trainer.adam.m.buffer)
        try file.read("optimizer.adam.v", into: trainer.adam.v.buffer)
        try file.read("best.parameters", into: trainer.bestParameters.buffer)
        try readCarriedState(file, into: trainer)
        guard let t = Int(try file.meta("adam_t")) else { throw LyricsError(file: path, "bad adam_t metadata") }
        trainer.adam.t = t
        let words = try file.meta("rng").split(separator: ",").compactMap { UInt64($0) }
        guard words.count == 4 else { throw LyricsError(file: path, "bad rng metadata") }
        trainer.model.random.rng = SeededRandom(state: words)
        if trainer.communicator.rank > 0 {
            // Rank 0's stored stream, branched per rank (a distributed run with dropout is
            // reproducible from its checkpoint, not bit-identical to an uninterrupted one).
            trainer.model.random.rng = SeededRandom(seed: words.reduce(UInt64(trainer.communicator.rank)) { $0 &* 0x100_0000_01B3 ^ $1 })
        }
        return trainer
    }

    /// Puts this rank's streams back: rows rank·B ..< (rank+1)·B of each stored `state.N`
    /// (`options.batch` rows), so a run saved by any number of ranks resumes on any number that
    /// divides its streams, one process included.
    private static func readCarriedState<Model>(_ file: SafeTensors.File, into trainer: SequenceTrainer<Model>) throws {
        let B = trainer.model.batch, first = trainer.communicator.rank * B
        for (i, s) in trainer.model.stack.stateBuffers.enumerated() {
            let name = "state.\(i)", per = s.count / B
            guard file.shapes[name] == [trainer.options.batch, per] else {
                throw LyricsError(file: file.path, "carried state '\(name)' has shape \(file.shapes[name] ?? []), expected [\(trainer.options.batch), \(per)]")
            }
            var all = [Float](repeating: 0, count: trainer.options.batch * per)
            try all.withUnsafeMutableBufferPointer { try file.read(name, into: $0) }
            all.withUnsafeBufferPointer { s.pointer.update(from: $0.baseAddress! + first * per, count: B * per) }
        }
    }

    /// What the run read (corpus, validation text, threads...), when the checkpoint recorded it.
    public static func inputs(_ file: SafeTensors.File) throws -> TrainingInputs? {
        guard let text = file.metadata["inputs"] else { return nil }
        return try decode(text, key: "inputs", path: file.path)
    }

    /// The stored training options (the plan) of a training checkpoint.
    public static func options(_ file: SafeTensors.File) throws -> SequenceTrainingOptions {
        try decode(file.meta("options"), key: "options", path: file.path)
    }

    /// The loss curve of a training checkpoint (empty for weights-only files).
    public static func history(_ file: SafeTensors.File) throws -> [LossPoint] {
        struct Curve: Decodable { var history: [LossPoint]? }
        guard let text = file.metadata["state"] else { return [] }
        let curve: Curve = try decode(text, key: "state", path: file.path)
        return curve.history ?? []
    }

    /// Every parameter tensor under its name, viewing the flat storage (no copy).
    public static func parameterTensors(_ params: ParameterSet) -> [SafeTensors.Tensor] {
        params.entries.map {
            .init(name: $0.name, shape: $0.shape, values: UnsafeBufferPointer(start: params.values.pointer + $0.offset, count: $0.count))
        }
    }

    /// The weights a checkpoint stands for as a model: its best ones (by validation) when it is a
    /// training checkpoint that keeps them, else its parameters. Export, generation, evaluation
    /// and fine-tuning all read a checkpoint this way, so a checkpoint writes and scores as the
    /// file exported from it does.
    public static func readModelWeights(_ f: SafeTensors.File, into params: ParameterSet) throws {
        try readParameters(f, into: params)
        if f.shapes["best.parameters"] == [params.count] {
            try f.read("best.parameters", into: params.values.buffer)
        }
    }

    public static func readParameters(_ f: SafeTensors.File, into params: ParameterSet) throws {
        for e in params.entries {
            try f.read(e.name, into: UnsafeMutableBufferPointer(start: params.values.pointer + e.offset, count: e.count), shape: e.shape)
        }
    }

    /// JSON with sorted keys, so the same value always writes the same bytes.
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
        var h = FNV1a()
        ids.withUnsafeBufferPointer { h.add($0) }
        return "\(ids.count):\(String(h.value, radix: 16))"
    }
}

/// A loaded char or word checkpoint: the file behind it, which may or may not hold a run to resume.
public protocol LoadedCheckpoint {
    var file: SafeTensors.File { get }
}

extension LoadedCheckpoint {
    public var path: String { file.path }
    /// Training checkpoints carry the plan (`options`); weights-only files do not.
    public var isTraining: Bool { file.metadata["options"] != nil }

    /// Refuses a weights-only file where a run is to be resumed.
    public func requireTraining() throws {
        guard isTraining else { throw LyricsError(file: path, "holds weights only, no training state to resume") }
    }
}

extension SequenceCheckpoint {
    /// Metadata keys only a training checkpoint has (the plan, progress, optimizer counters).
    static let trainingKeys: Set<String> = ["options", "state", "adam_t", "rng", "train_fingerprint", "inputs"]

    /// Writes a weights-only copy of a char or word checkpoint: the model's metadata (format,
    /// config, vocabulary, ...; `metadataChanges` replace entries) and its parameter tensors —
    /// the best validated weights (`best.parameters`) of a training checkpoint — without the
    /// optimizer moments, carried state or run progress. `parameterNames` are the model's
    /// tensors in order, as `ParameterSet.entries` lists them.
    public static func exportWeights(_ file: SafeTensors.File, parameters: ParameterSet, metadataChanges: [String: String] = [:],
                                     to path: String) throws {
        try readModelWeights(file, into: parameters)
        var meta = file.metadata.filter { !trainingKeys.contains($0.key) }
        for (k, v) in metadataChanges { meta[k] = v }
        try SafeTensors.write(parameterTensors(parameters), metadata: meta, to: path)
    }
}
