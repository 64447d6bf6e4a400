// `deai task`: post, join and leave federated training tasks.

import APITypes
import ArgumentParser
import DeAICore
import Foundation
import Ledger
import Node

/// `deai task create | join | leave`: the sponsor's and the members' transactions of a training task, each signed
/// locally by a named key (see ``TransactionSender``).
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Post a federated training task, or join or leave one.",
        subcommands: [TaskCreateCommand.self, TaskJoinCommand.self, TaskLeaveCommand.self]
    )
}

/// `deai task join --from NAME --task ID --role trainer|evaluator [--stake N] [--data FILE | --data-commitment HEX]`.
struct TaskJoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join a task as a trainer (data owner) or an evaluator, staking tokens with it.",
        discussion: """
            An evaluator commits to its held-out data when it joins, so that what it measured on can be audited \
            later: --data FILE commits to the SHA-256 of the file's bytes (give the CSV file its node's evaluator \
            role reads), --data-commitment HEX to a hash computed elsewhere. A trainer may commit too.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "The task's identifier") var task: UInt64
    @Option(help: "trainer or evaluator", transform: ArgumentParsing.taskRole) var role: TaskRole
    @Option(help: "Tokens staked with the task (default: the task's minimum stake)") var stake: UInt64?
    @Option(help: ArgumentHelp("The held-out data file: commits to the SHA-256 of its bytes", valueName: "file"))
    var data: String?
    @Option(
        help: ArgumentHelp("The data commitment as 64 hex digits, instead of --data", valueName: "hex"),
        transform: ArgumentParsing.digest)
    var dataCommitment: SHA256Digest?

    func validate() throws {
        guard self.data == nil || self.dataCommitment == nil else {
            throw ValidationError("give --data or --data-commitment, not both")
        }
        guard self.role == .trainer || self.data != nil || self.dataCommitment != nil else {
            throw ValidationError(
                "an evaluator commits to its held-out data: give --data FILE or --data-commitment HEX")
        }
    }

    func run() async throws {
        let taskID = self.task
        let commitment = try self.commitment()
        let stake: Amount
        if let given = self.stake {
            stake = given
        } else {
            stake = try await self.transaction.node.call { try await $0.task(taskID).spec.minimumStake }
        }
        let sender = TransactionSender(global: self.global, options: self.transaction)
        // An evaluator registers the key sealed updates open with: the one its node's evaluator role derives.
        let key = try sender.signingKey()
        let sealingKey = self.role == .evaluator ? key.sealingKey.publicKey : nil
        try await sender.send(
            .joinTask(taskID: taskID, role: self.role, stake: stake, dataCommitment: commitment, sealingKey: sealingKey),
            signedWith: key)
    }

    /// The data commitment given, or the SHA-256 of the `--data` file; `nil` without either.
    private func commitment() throws -> SHA256Digest? {
        guard let data = self.data else { return self.dataCommitment }
        let path = (data as NSString).expandingTildeInPath
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read the data file \(path)")
        }
        return SHA256Digest(hashing: contents)
    }
}

/// `deai task leave --from NAME --task ID`: takes the stake back, when the member has no duty in the current round.
struct TaskLeaveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leave",
        abstract: "Leave a task and take the stake back (not while a duty in the current round is pending)."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "The task's identifier") var task: UInt64

    func run() async throws {
        try await TransactionSender(global: self.global, options: self.transaction).send(.leaveTask(taskID: self.task))
    }
}
