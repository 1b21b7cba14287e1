import ArgumentParser
import CharModel

struct CharCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "char",
        abstract: "Train, sample and evaluate character-level LSTM/GRU models.",
        subcommands: [CharTrain.self, CharGenerate.self, CharEvaluate.self, CharFineTune.self]
    )
}
