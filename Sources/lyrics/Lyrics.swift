import ArgumentParser
import Foundation
import LyricsCore

@main
struct Lyrics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lyrics",
        abstract: "Learn word vectors and write lyrics with word- and character-level LSTMs.",
        subcommands: [CorpusCommand.self, VectorsCommand.self, CharCommand.self, WordCommand.self, CompareCommand.self,
                      BlendCommand.self, FineTuningReportCommand.self, ServeCommand.self, CheckCommand.self, RhymeCommand.self,
                      SongwritingBenchCommand.self]
    )

    /// The one error path: every failure, from a bad flag to a bad file, prints one line
    /// `error: <file or field>: <problem>` on stderr and exits non-zero; help and explicit exit
    /// codes (130 after Ctrl-C) go through ArgumentParser as usual.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode || error is CleanExit { exit(withError: error) }
            FileHandle.standardError.write(Data("error: \(errorLine(error))\n".utf8))
            Foundation.exit(code == .success ? 1 : code.rawValue)
        }
    }

    /// One line for any error: a `LyricsError` names its file; parser errors keep their message.
    static func errorLine(_ error: Error) -> String {
        if let e = error as? LyricsError { return e.description }
        let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        return message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
    }
}
