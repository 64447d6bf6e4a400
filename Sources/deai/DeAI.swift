// The `deai` command: the root of the command tree.

import ArgumentParser

/// `deai`: run and use a DeAI node from the command line.
@main
struct DeAI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deai",
        abstract: """
            DeAI: decentralized AI on a chain of its own. Tokens, stakes, votes, training tasks, contributions and \
            models are recorded on the chain; this command runs a node and talks to it.
            """,
        version: "0.1.0",
        subcommands: [
            DevnetCommand.self, InitCommand.self, StartCommand.self, KeysCommand.self, TxCommand.self, TaskCommand.self,
            QueryCommand.self, ReplayCommand.self, TrainCommand.self, PredictCommand.self, ServeCommand.self,
            InferCommand.self, PrivacyCommand.self, BenchCommand.self,
            SimulateCommand.self, TestnetCommand.self,
        ]
    )
}

/// `deai bench`: measurements of this machine, side by side with the peers in `../shared/peers`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure DeAI on this machine, beside the peer systems when they are present.",
        subcommands: [
            BenchChainCommand.self, BenchConsensusCommand.self, BenchLearningCommand.self, BenchRoundsCommand.self,
            BenchServeCommand.self, BenchPrivacyCommand.self,
        ]
    )
}
