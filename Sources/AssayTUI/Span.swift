import AssayCore

/// What a piece of text is, so the theme can style it.
public enum SpanRole: Hashable, Sendable {
    case normal
    /// A visibly escaped control or invisible character (`\x1b`, `\u202e`, `↵`).
    case escape
    case key
    case number
    case literal
    case dim
    case error
    case match
    case emphasis
    /// Worth a look but not an error (a thin cross-tab cell).
    case warning
}

/// A run of display-safe text with one role. Produced by `Sanitizer`, so it
/// never holds control characters.
public struct Span: Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var role: SpanRole

    public init(_ text: String, _ role: SpanRole = .normal) {
        self.text = text
        self.role = role
    }

    public var width: Int { TextWidth.of(text) }
    public var description: String { role == .normal ? text : "[\(role):\(text)]" }
}

extension Array where Element == Span {
    /// Total display width.
    public var width: Int { reduce(0) { $0 + $1.width } }
    /// The text without roles.
    public var plainText: String { map(\.text).joined() }

    /// Appends, merging with the last span when the roles agree.
    mutating func appendMerging(_ s: Span) {
        if s.text.isEmpty { return }
        if let last = self.last, last.role == s.role {
            self[count - 1].text += s.text
        } else {
            append(s)
        }
    }
}
