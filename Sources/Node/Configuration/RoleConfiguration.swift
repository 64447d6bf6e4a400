// A training role the node runs beside itself: a trainer or an evaluator of one task, with a local key and data.

public import Ledger

/// One entry of `config.json`'s `roles`: a trainer (data owner) or an evaluator of one task, run by `deai start`
/// beside the node, signing with a key of the home's keystore and working on a CSV file that never leaves the
/// machine.
///
/// ```json
/// "roles": [
///   { "kind": "trainer", "task": 1, "key": "alice", "data": "data/alice.csv", "stake": 1000 },
///   { "kind": "evaluator", "task": 1, "key": "bob", "data": "/srv/held-out.csv", "target": "label" }
/// ]
/// ```
///
/// These are plain values: reading the data and unlocking the key happen when the node starts (the
/// `Participants` target does it), so that a bad file or a missing key refuses the start, naming the entry.
public struct RoleConfiguration: Sendable, Hashable {
    /// Whether the node trains on its data (`trainer`) or scores and attests with it (`evaluator`).
    public var kind: TaskRole
    /// The task's identifier on the chain. The role waits for the task when it does not exist yet.
    public var taskID: UInt64
    /// The name of the signing key in the home's keystore (`deai keys list`).
    public var keyName: String
    /// The CSV file (header row, numeric values): the trainer's private data or the evaluator's held-out data.
    /// Absolute; a relative path in `config.json` is taken from the directory of `config.json`.
    public var dataFile: String
    /// The target column of the CSV; `nil` takes the last column.
    public var targetColumn: String?
    /// When set, the role joins the task with this stake if the key is not a member yet; when `nil`, the role
    /// waits until the key has joined (`deai task join`).
    public var stake: Amount?

    /// A role with every field given.
    public init(
        kind: TaskRole, taskID: UInt64, keyName: String, dataFile: String, targetColumn: String? = nil,
        stake: Amount? = nil
    ) {
        self.kind = kind
        self.taskID = taskID
        self.keyName = keyName
        self.dataFile = dataFile
        self.targetColumn = targetColumn
        self.stake = stake
    }
}

// MARK: - Description

extension RoleConfiguration: CustomStringConvertible {
    /// `trainer of task 1 (key alice)`, for logs.
    public var description: String { "\(self.kind.rawValue) of task \(self.taskID) (key \(self.keyName))" }
}
