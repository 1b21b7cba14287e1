import ArgumentParser

struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Train, query and evaluate skip-gram word vectors.",
        subcommands: [VectorsTrainCommand.self, VectorsNeighborsCommand.self, VectorsAnalogyCommand.self, VectorsEvaluateCommand.self]
    )
}
