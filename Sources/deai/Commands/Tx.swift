// `deai tx`: sign and submit transactions.

import ArgumentParser
import DeAICore
import Ledger

/// `deai tx …`: every transaction kind, each signed locally by a named key and submitted to the node.
struct TxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tx",
        abstract: "Sign a transaction with a local key and submit it to the node.",
        subcommands: [
            TransferCommand.self, StakeCommand.self, UnstakeCommand.self, DelegateCommand.self,
            UndelegateCommand.self, CreateValidatorCommand.self, ProposeCommand.self, DepositCommand.self,
            VoteCommand.self,
        ]
    )
}

/// `deai tx transfer --from NAME --to ADDRESS --amount N`.
struct TransferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer", abstract: "Send tokens to an address.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "Recipient address (deai1…)", transform: ArgumentParsing.address) var to: Address
    @Option(help: "Tokens to send") var amount: UInt64

    func run() async throws {
        try await TransactionSender(global: self.global, options: self.transaction)
            .send(.transfer(to: self.to, amount: self.amount))
    }
}
