// DevnetValidators: the validators a devnet's participants talk to — one in this process, or several processes.

public import Ledger

/// The validators a devnet's participants talk to, and how to stop them.
public struct DevnetValidators: Sendable {
    /// Starts the validators of chain `chainID` whose genesis funds `accounts` (the sponsor, owners and
    /// evaluators) besides the validators' own; returns once every API answers.
    public typealias Launcher = @Sendable (_ chainID: String, _ accounts: [Genesis.FundedAccount]) async throws -> DevnetValidators

    /// One validator, by name, and where its API answers.
    public struct Validator: Sendable, Hashable {
        /// Its moniker.
        public var name: String
        /// Its API's URL.
        public var apiURL: String

        /// A validator with every field given.
        public init(name: String, apiURL: String) {
            self.name = name
            self.apiURL = apiURL
        }
    }

    /// The validators, the first the one whose API the report names.
    public var validators: [Validator]
    /// Stops them all.
    public var stop: @Sendable () async throws -> Void
    /// Kills validator `index` at once, as a crash would; `nil` where validators cannot be killed alone.
    public var crash: (@Sendable (_ index: Int) -> Void)?

    /// Validators with every field given.
    public init(
        validators: [Validator], stop: @escaping @Sendable () async throws -> Void,
        crash: (@Sendable (_ index: Int) -> Void)? = nil
    ) {
        self.validators = validators
        self.stop = stop
        self.crash = crash
    }
}
