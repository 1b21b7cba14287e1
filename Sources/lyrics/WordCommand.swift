import ArgumentParser

/// `lyrics word`: the word-level LSTM over pretrained word vectors.
struct WordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "word",
        abstract: "Train, sample and evaluate word-level LSTMs that predict the next word's vector.",
        subcommands: [WordTrain.self, WordGenerate.self, WordEvaluate.self, WordFineTune.self]
    )
}
