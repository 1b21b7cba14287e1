import ArgumentParser

@main
struct Lyrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lyrics",
        abstract: "Learn word vectors and write lyrics with word- and character-level LSTMs.",
        subcommands: [CorpusCommand.self, VectorsCommand.self, CharCommand.self, WordCommand.self, CompareCommand.self, BlendCommand.self, BlendReport.self, ServeCommand.self, CheckCommand.self, RhymeCommand.self]
    )
}
