// `deai tx stake | unstake | delegate | undelegate | create-validator`.

import ArgumentParser
import DeAICore
import Ledger
import Node

/// `deai tx stake --from NAME --amount N`: adds to the sender's own validator's self-stake.
struct StakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stake",
        abstract: "Add to your validator's self-stake."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "Tokens to bond") var amount: UInt64

    func run() async throws {
        try await TransactionSender(global: self.global, options: self.transaction).send(.stake(amount: self.amount))
    }
}

/// `deai tx unstake --from NAME --amount N`: starts unbonding self-stake.
struct UnstakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unstake",
        abstract: "Unbond self-stake; it returns after the unbonding period."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "Tokens to unbond") var amount: UInt64

    func run() async throws {
        try await TransactionSender(global: self.global, options: self.transaction).send(.unstake(amount: self.amount))
    }
}

/// `deai tx delegate --from NAME --validator ADDRESS --amount N`.
struct DelegateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delegate", abstract: "Bond tokens to a validator.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "Validator operator address", transform: ArgumentParsing.address) var validator: Address
    @Option(help: "Tokens to delegate") var amount: UInt64

    func run() async throws {
        try await TransactionSender(global: self.global, options: self.transaction)
            .send(.delegate(validator: self.validator, amount: self.amount))
    }
}

/// `deai tx undelegate --from NAME --validator ADDRESS --amount N`.
struct UndelegateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undelegate",
        abstract: "Unbond tokens delegated to a validator."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "Validator operator address", transform: ArgumentParsing.address) var validator: Address
    @Option(help: "Tokens to undelegate") var amount: UInt64

    func run() async throws {
        try await TransactionSender(global: self.global, options: self.transaction)
            .send(.undelegate(validator: self.validator, amount: self.amount))
    }
}

/// `deai tx create-validator --from NAME --stake N [--consensus-key HEX] [--commission-bp N] [--moniker S]`.
struct CreateValidatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-validator",
        abstract: "Make the sender a validator, bonding part of its balance."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "Self-stake to bond") var stake: UInt64
    @Option(
        help: "Consensus public key in hex (default: the home's validator_key.json)",
        transform: ArgumentParsing.verifyingKey
    )
    var consensusKey: VerifyingKey?
    @Option(name: .customLong("commission-bp"), help: "Commission on delegators' rewards, in basis points")
    var commissionBasisPoints: UInt16 = 500
    @Option(help: "A name for the validator (at most 64 bytes)") var moniker: String = "validator"

    func run() async throws {
        let home = self.global.nodeHome
        let consensusKey = try self.consensusKey ?? KeyFile.read(from: home.validatorKeyFile).publicKey
        try await TransactionSender(global: self.global, options: self.transaction).send(
            .createValidator(
                consensusKey: consensusKey,
                stake: self.stake,
                commissionBasisPoints: self.commissionBasisPoints,
                moniker: self.moniker
            )
        )
    }
}
