// Variable: a tensor recorded on a tape.

/// A tensor recorded on a ``Tape``: the handle that operations take and return.
///
/// Operations on variables compute their value at once and record how to differentiate it.
public struct Variable {
    /// The tape this variable belongs to.
    public let tape: Tape
    /// Its entry on the tape.
    public let id: Int

    /// The tensor this variable holds.
    public var value: Tensor { self.tape.value(of: self.id) }

    /// The shape of ``value``.
    public var shape: [Int] { self.value.shape }
}
