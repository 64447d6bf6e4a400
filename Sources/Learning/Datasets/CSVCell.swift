// CSVCell: what a CSV cell's text means — missing, a number, a boolean or text.

/// How the text of one CSV cell is read.
///
/// - **Missing**: empty, `NA`, `N/A`, `NaN`, `?`, `null`, `None` (any case).
/// - **Number**: what `Double` parses, finite, and within `Float`'s range (models compute in 32 bits: a cell
///   of `1e308` or `inf` is an error, not a silent infinity).
/// - **Boolean**: `true`/`false`, `yes`/`no` (any case).
/// - Anything else is **text**.
public enum CSVCell {
    /// The spellings of a missing value, lowercased.
    public static let missingTokens: Set<String> = ["", "na", "n/a", "nan", "?", "null", "none"]

    /// Whether `text` stands for a missing value.
    public static func isMissing(_ text: String) -> Bool {
        text.count <= 4 && Self.missingTokens.contains(text.lowercased())
    }

    /// What reading `text` as a number gave.
    public enum Number: Equatable, Sendable {
        /// A finite value within `Float`'s range.
        case value(Double)
        /// Not a number at all.
        case notANumber
        /// A number, but infinite or beyond `Float`'s range.
        case outOfRange
    }

    /// `text` read as a number (a missing token is ``Number/notANumber``).
    public static func number(_ text: String) -> Number {
        guard !Self.isMissing(text), let value = Double(text), !value.isNaN else { return .notANumber }
        guard value.isFinite, abs(value) <= Double(Float.greatestFiniteMagnitude) else { return .outOfRange }
        return .value(value)
    }

    /// `text` read as a boolean, `nil` when it is not one.
    public static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes": true
        case "false", "no": false
        default: nil
        }
    }
}
