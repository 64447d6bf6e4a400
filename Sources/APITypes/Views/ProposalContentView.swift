// APITypes: what a governance proposal would do, in JSON.

public import DeAICore
public import Ledger

/// The content of a proposal: `kind` is `text`, `parameter_change` or `treasury_spend`, with that kind's fields.
///
/// ```json
/// {"kind": "parameter_change", "title": "Cheaper fees", "changes": [{"name": "minimum_fee", "value": 1}]}
/// ```
public struct ProposalContentView: Codable, Sendable, Hashable {
    /// `text`, `parameter_change` or `treasury_spend`.
    public var kind: String
    /// The title.
    public var title: String
    /// A text proposal's description.
    public var description: String?
    /// A parameter change's new values, by snake_case parameter name.
    public var changes: [ParameterChange]?
    /// A treasury spend's recipient.
    public var recipient: Address?
    /// A treasury spend's amount.
    public var amount: Amount?

    /// The view of `content`.
    public init(_ content: ProposalContent) {
        self.kind = content.kind
        self.title = content.title
        switch content {
        case .text(_, let description):
            self.description = description
        case .parameterChange(_, let changes):
            self.changes = changes
        case .treasurySpend(_, let recipient, let amount):
            self.recipient = recipient
            self.amount = amount
        }
    }
}
