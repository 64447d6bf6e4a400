// `deai task`: post, join and leave federated training tasks.

import API
import ArgumentParser
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

/// `deai task join --from NAME --task ID --role trainer|evaluator [--stake N]`.
struct TaskJoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join a task as a trainer (data owner) or an evaluator, staking tokens with it."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var transaction: TransactionOptions
    @Option(help: "The task's identifier") var task: UInt64
    @Option(help: "trainer or evaluator", transform: ArgumentParsing.taskRole) var role: TaskRole
    @Option(help: "Tokens staked with the task (default: the task's minimum stake)") var stake: UInt64?

    func run() async throws {
        let taskID = self.task
        let stake: Amount
        if let given = self.stake {
            stake = given
        } else {
            stake = try await self.transaction.node.call { try await $0.task(taskID).spec.minimumStake }
        }
        try await TransactionSender(global: self.global, options: self.transaction)
            .send(.joinTask(taskID: taskID, role: self.role, stake: stake))
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
