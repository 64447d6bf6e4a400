// `deai tx propose | deposit | vote`.

import APITypes
import ArgumentParser
import DeAICore
import Ledger
import Node

/// `deai tx propose --from NAME (--text TITLE --description D | --param NAME=VALUE … --title T |
/// --spend ADDRESS --amount N --title T) --deposit N`.
struct ProposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "Submit a governance proposal: text, parameter change or treasury spend.",
        discussion: """
            Exactly one kind: --text TITLE --description D; --param NAME=VALUE (repeatable) --title T; or \
            --spend ADDRESS --amount N --title T. The proposal enters its voting period once its deposit reaches \
            the chain's proposal_minimum_deposit. The transaction is always waited for (--wait is implied): the             proposal's ID is known only then.
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
        let content = try self.content()
        let submission = try await TransactionSender(global: self.global, options: self.transaction)
            .submit(.submitProposal(content: content, deposit: self.deposit), wait: true)
        guard let receipt = submission.result.receipt else {
            throw CLIError("submit_proposal \(submission.hash) was not committed in time; check later with "
                + "`deai query tx \(submission.hash)` and `deai query proposals`")
        }
        guard receipt.success else {
            throw CLIError("submit_proposal \(submission.hash) failed in block \(receipt.height): code \(receipt.code): "
                + receipt.message)
        }
        let node = self.transaction.node
        let proposals = try await node.call { try await $0.proposals() }.proposals
        guard let proposal = proposals.last(where: {
            $0.proposer == submission.sender && $0.submitHeight == receipt.height && $0.content.title == content.title
        }) else {
            throw CLIError("the proposal was submitted in block \(receipt.height) but is not listed; see `deai query proposals`")
        }
        let submitted = SubmittedProposal(
            proposalID: proposal.id, hash: submission.hash, height: receipt.height, status: proposal.status.rawValue)
        try Output.emit(submitted, json: self.global.json) { submitted in
            ["proposal \(submitted.proposalID) submitted in block \(submitted.height) (submit_proposal \(submitted.hash)), "
                + "status \(submitted.status)"]
        }
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

/// What `deai tx propose` prints.
struct SubmittedProposal: Encodable {
    var proposalID: UInt64
    var hash: SHA256Digest
    var height: Height
    var status: String

    private enum CodingKeys: String, CodingKey {
        case proposalID = "proposal_id", hash, height, status
    }
}
