// APITypes: the chain parameters in JSON.

public import Ledger

/// The chain parameters at a height, by their snake_case names (``Ledger/ChainParameters/names``).
public struct ParametersView: Codable, Sendable, Hashable {
    /// The committed height.
    public var height: Height
    /// The parameters.
    public var parameters: ChainParameters

    /// The parameters `parameters` in force at `height`.
    public init(parameters: ChainParameters, height: Height) {
        self.height = height
        self.parameters = parameters
    }
}
