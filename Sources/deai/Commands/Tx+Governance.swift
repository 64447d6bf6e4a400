// `deai tx propose | deposit | vote`.

import ArgumentParser
import DeAICore
import Ledger

/// `deai tx propose --from NAME (--text TITLE --description D | --param NAME=VALUE … --title T |
/// --spend ADDRESS --amount N --title T) --deposit N`.
struct ProposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Submit a governance proposal: text, parameter change or treasury spend.",
        discussion: """
            Exactly one kind: --text TITLE --description D; --param NAME=VALUE (repeatable) --title T; or \
            --spend ADDRESS --amount N --title T. The proposal enters its voting period once its deposit reaches \
            the chain's proposal_minimum_deposit.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "A text proposal with this title") var text: String?
    @Option(help: "The text proposal's description") var description: String?
    @Option(help: "A parameter change NAME=VALUE (repeat for several)", transform: ArgumentParsing.parameterChange)
    var param: [ParameterChange] = []
    @Option(help: "Pay this address from the treasury", transform: ArgumentParsing.address) var spend: Address?
    @Option(help: "The treasury spend's amount") var amount: UInt64?
    @Option(help: "Title of a parameter change or treasury spend") var title: String?
    @Option(help: "Initial deposit") var deposit: UInt64

    func validate() throws {
        let kinds = [self.text != nil, !self.param.isEmpty, self.spend != nil].filter { $0 }.count
        guard kinds == 1 else {
            throw ValidationError("give exactly one of --text, --param or --spend")
        }
        if self.text != nil, self.description == nil {
            throw ValidationError("a text proposal needs --description")
        }
        if self.text == nil, self.title == nil {
            throw ValidationError("a parameter change or treasury spend needs --title")
        }
        if self.spend != nil, self.amount == nil {
            throw ValidationError("a treasury spend needs --amount")
        }
    }

    func run() async throws {
        try await TransactionSender(global: self.global, options: self.transaction)
            .send(.submitProposal(content: try self.content(), deposit: self.deposit))
    }

    private func content() throws -> ProposalContent {
        if let text = self.text {
            return .text(title: text, description: self.description ?? "")
        }
        if let recipient = self.spend, let amount = self.amount {
            return .treasurySpend(title: self.title ?? "", recipient: recipient, amount: amount)
        }
        return .parameterChange(title: self.title ?? "", changes: self.param)
    }
}

/// `deai tx deposit --from NAME --proposal ID --amount N`.
struct DepositCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deposit", abstract: "Add to a proposal's deposit.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "Proposal ID") var proposal: UInt64
    @Option(help: "Tokens to deposit") var amount: UInt64

    func run() async throws {
        try await TransactionSender(global: self.global, options: self.transaction)
            .send(.deposit(proposalID: self.proposal, amount: self.amount))
    }
}

/// `deai tx vote --from NAME --proposal ID --option yes|no|abstain|veto`.
struct VoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vote",
        abstract: "Vote on a proposal in its voting period, weighted by your bonded stake."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "Proposal ID") var proposal: UInt64
    @Option(help: "yes, no, abstain or veto", transform: ArgumentParsing.voteOption) var option: VoteOption

    func run() async throws {
        try await TransactionSender(global: self.global, options: self.transaction)
            .send(.vote(proposalID: self.proposal, option: self.option))
    }
}
