// DeAITesting: a small test chain — a genesis with funded test keys and one validator, and signed transactions.

public import DeAICore
public import Ledger

/// A test chain everyone can rebuild: chain ID `deai-test`, accounts 0 to ``accountCount`` − 1 funded from
/// ``TestKeys``, and one validator whose operator is account 0 and whose consensus key is ``consensusKey``.
///
/// ```swift
/// var state = try ChainFixtures.genesis().makeState()
/// let tx = ChainFixtures.transfer(from: 1, to: ChainFixtures.address(2), amount: 10, nonce: 0)
/// ```
/// Keys are public knowledge: never use them outside tests.
public enum ChainFixtures {
    /// The test chain's identifier.
    public static let chainID = "deai-test"
    /// The genesis time, in milliseconds since 1970.
    public static let genesisTime: UInt64 = 1_764_000_000_000
    /// How many accounts the default genesis funds.
    public static let accountCount = 8
    /// The balance of each funded account.
    public static let balance: Amount = 1_000_000
    /// The self-stake of the genesis validator.
    public static let validatorStake: Amount = 100_000
    /// The commission of the genesis validator, in basis points.
    public static let validatorCommission: UInt16 = 500
    /// The index of the test key that operates the genesis validator.
    public static let validatorIndex = 0

    private static let keys: [SigningKey] = (0..<32).map { TestKeys.signingKey($0) }

    /// Test key `index` (cached for the first 32).
    public static func key(_ index: Int) -> SigningKey {
        index < self.keys.count ? self.keys[index] : TestKeys.signingKey(index)
    }

    /// The address of test key `index`.
    public static func address(_ index: Int) -> Address { self.key(index).verifyingKey.address }

    /// The signing key of the genesis validator's votes (distinct from its operator's account key).
    public static let consensusKey: SigningKey = TestKeys.signingKey(1_000)

    /// The genesis validator's operator address.
    public static var validatorAddress: Address { self.address(self.validatorIndex) }

    /// The test genesis: `accountCount` funded accounts, one validator (operator account 0), `treasury` tokens
    /// in the treasury and `parameters`.
    public static func genesis(
        parameters: ChainParameters = ChainParameters(),
        accountCount: Int = ChainFixtures.accountCount,
        balance: Amount = ChainFixtures.balance,
        treasury: Amount = 0,
        chainID: String = ChainFixtures.chainID
    ) -> Genesis {
        Genesis(
            chainID: chainID,
            genesisTime: self.genesisTime,
            parameters: parameters,
            accounts: (0..<accountCount).map { Genesis.FundedAccount(address: self.address($0), balance: balance) },
            validators: [
                Genesis.GenesisValidator(
                    operatorAddress: self.validatorAddress,
                    consensusKey: self.consensusKey.verifyingKey,
                    stake: self.validatorStake,
                    moniker: "v0",
                    commissionBasisPoints: self.validatorCommission
                )
            ],
            treasury: treasury
        )
    }

    /// The operator key of validator `index` of a ``genesis(validators:chainID:)`` chain.
    public static func operatorKey(ofValidator index: Int) -> SigningKey { TestKeys.signingKey(10_000 + index) }

    /// The consensus key of validator `index` of a ``genesis(validators:chainID:)`` chain.
    public static func consensusKey(ofValidator index: Int) -> SigningKey { TestKeys.signingKey(20_000 + index) }

    /// A genesis with the funded accounts of ``genesis(parameters:accountCount:balance:treasury:chainID:)`` and
    /// `validators` validators of equal stake, named `v0`, `v1`, …, whose keys are ``operatorKey(ofValidator:)``
    /// and ``consensusKey(ofValidator:)``.
    public static func genesis(validators: Int, chainID: String = ChainFixtures.chainID) -> Genesis {
        var genesis = self.genesis(chainID: chainID)
        genesis.validators = (0..<validators).map {
            Genesis.GenesisValidator(
                operatorAddress: self.operatorKey(ofValidator: $0).verifyingKey.address,
                consensusKey: self.consensusKey(ofValidator: $0).verifyingKey, stake: self.validatorStake, moniker: "v\($0)")
        }
        return genesis
    }

    /// A transaction with `payload` from test key `from`, signed.
    public static func signed(
        _ payload: Payload,
        from: Int,
        nonce: UInt64,
        fee: Amount = 1,
        memo: String = "",
        chainID: String = ChainFixtures.chainID
    ) -> Transaction {
        let key = self.key(from)
        let body = TransactionBody(
            chainID: chainID,
            sender: key.verifyingKey,
            nonce: nonce,
            fee: fee,
            payload: payload,
            memo: memo
        )
        do {
            return try Transaction(signing: body, with: key)
        } catch {
            preconditionFailure("ChainFixtures: signing with the sender's own key cannot fail (\(error))")
        }
    }

    /// A signed transfer of `amount` from test key `from` to `to`.
    public static func transfer(
        from: Int,
        to: Address,
        amount: Amount,
        nonce: UInt64,
        fee: Amount = 1,
        memo: String = "",
        chainID: String = ChainFixtures.chainID
    ) -> Transaction {
        self.signed(.transfer(to: to, amount: amount), from: from, nonce: nonce, fee: fee, memo: memo, chainID: chainID)
    }
}
