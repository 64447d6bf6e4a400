// The options every `deai tx` command takes.

import ArgumentParser

/// `--from NAME [--fee N] [--memo S] [--nonce N] [--wait]`, the node URL and the key passphrase.
struct TransactionOptions: ParsableArguments {
    @Option(help: "Name of the key that signs and pays (see `deai keys list`)")
    var from: String

    @Option(help: "Fee offered to the block proposer (default: the chain's minimum_fee)")
    var fee: UInt64?

    @Option(help: "Free text stored with the transaction")
    var memo: String = ""

    @Option(help: "Nonce to use (default: the account's next nonce, read from the node)")
    var nonce: UInt64?

    @Flag(help: "Wait until the transaction is in a block and print its outcome")
    var wait = false

    @OptionGroup var node: NodeOptions
    @OptionGroup var passphrase: PassphraseOptions
}
