/// One of the eight standard terminal colours, or the terminal's default.
public enum Color: Int, Hashable, Sendable, CaseIterable {
    case `default` = -1
    case black = 0, red, green, yellow, blue, magenta, cyan, white
}

/// Text attributes, combinable.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)
}

/// How a cell looks: foreground, background and attributes.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var foreground: Color
    public var background: Color
    public var attributes: TextAttributes

    public init(_ foreground: Color = .default, on background: Color = .default, _ attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    public static let plain = Style()

    /// This style with `other`'s non-default colours and its attributes added.
    public func layered(_ other: Style) -> Style {
        Style(
            other.foreground == .default ? foreground : other.foreground,
            on: other.background == .default ? background : other.background,
            attributes.union(other.attributes))
    }

    public func adding(_ a: TextAttributes) -> Style {
        var s = self
        s.attributes.formUnion(a)
        return s
    }

    /// Compact form used in style dumps: `red/default+bold`.
    public var description: String {
        var out = "\(foreground)/\(background)"
        let names: [(TextAttributes, String)] = [(.bold, "bold"), (.dim, "dim"), (.reverse, "reverse"), (.underline, "underline"), (.italic, "italic")]
        for (a, n) in names where attributes.contains(a) { out += "+" + n }
        return out
    }
}
