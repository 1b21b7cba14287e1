import ArgumentParser

struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Train, query and evaluate skip-gram word vectors.",
        subcommands: []
    )
}
