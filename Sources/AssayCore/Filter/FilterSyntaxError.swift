/// A filter expression that could not be parsed.
///
/// `position` is the 0-based character offset (Swift `Character`s, so a CJK
/// letter or an emoji counts as one) where the problem was found; a UI can put
/// a caret under it.
public struct FilterSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 0-based character offset into the expression text.
    public var position: Int
    /// What is wrong, without the position (`expected ')'`).
    public var message: String

    public init(position: Int, message: String) {
        self.position = position
        self.message = message
    }

    /// `expected ')' at 14`.
    public var description: String { "\(message) at \(position)" }
}
