/// The styles every screen draws with. `monochrome` is used when `NO_COLOR` is
/// set or the terminal has no colours: it relies on attributes alone, so every
/// distinction still shows (selection is reverse video, errors bold, escapes dim).
public struct Theme: Sendable, Hashable {
    public var normal = Style.plain
    public var titleBar = Style(.black, on: .cyan)
    public var titleActiveTab = Style(.white, on: .blue, [.bold])
    public var header = Style(.default, on: .default, [.bold, .underline])
    public var headerSelected = Style(.black, on: .yellow, [.bold])
    public var selectedRow = Style(.black, on: .cyan)
    public var errorRow = Style(.red)
    public var escape = Style(.magenta, on: .default, [.dim])
    public var statusBar = Style(.black, on: .white)
    public var statusAccent = Style(.blue, on: .white, [.bold])
    public var message = Style.plain
    public var error = Style(.red, on: .default, [.bold])
    public var hintKey = Style(.cyan, on: .default, [.bold])
    public var hint = Style(.default, on: .default, [.dim])
    public var dim = Style(.default, on: .default, [.dim])
    public var key = Style(.cyan)
    public var number = Style(.yellow)
    public var literal = Style(.magenta)
    public var match = Style(.black, on: .yellow)
    public var promptLabel = Style(.yellow, on: .default, [.bold])
    public var cursor = Style(.default, on: .default, [.reverse])
    public var sectionTitle = Style(.yellow, on: .default, [.bold])
    public var progress = Style(.green, on: .white, [.bold])
    public var warning = Style(.yellow, on: .default, [.bold])
    /// The selected cell of a table with a cell cursor (Labels pane).
    public var selectedCell = Style(.black, on: .yellow, [.bold])

    public init() {}

    /// The colour theme.
    public static let standard = Theme()

    /// Attributes only, no colours (for `NO_COLOR` and monochrome terminals).
    public static let monochrome: Theme = {
        var t = Theme()
        t.titleBar = Style(.default, on: .default, [.reverse])
        t.titleActiveTab = Style(.default, on: .default, [.bold])
        t.header = Style(.default, on: .default, [.bold, .underline])
        t.headerSelected = Style(.default, on: .default, [.bold, .reverse])
        t.selectedRow = Style(.default, on: .default, [.reverse])
        t.errorRow = Style(.default, on: .default, [.bold])
        t.escape = Style(.default, on: .default, [.dim])
        t.statusBar = Style(.default, on: .default, [.reverse])
        t.statusAccent = Style(.default, on: .default, [.reverse, .bold])
        t.error = Style(.default, on: .default, [.bold])
        t.hintKey = Style(.default, on: .default, [.bold])
        t.key = Style(.default, on: .default, [.bold])
        t.number = .plain
        t.literal = Style(.default, on: .default, [.italic])
        t.match = Style(.default, on: .default, [.underline, .bold])
        t.promptLabel = Style(.default, on: .default, [.bold])
        t.sectionTitle = Style(.default, on: .default, [.bold, .underline])
        t.progress = Style(.default, on: .default, [.reverse, .bold])
        t.warning = Style(.default, on: .default, [.underline])
        t.selectedCell = Style(.default, on: .default, [.bold, .underline])
        return t
    }()

    /// `NO_COLOR` (any non-empty value, see no-color.org) selects `monochrome`.
    public static func forEnvironment(_ env: [String: String]) -> Theme {
        if let v = env["NO_COLOR"], !v.isEmpty { return .monochrome }
        return .standard
    }

    /// The style of a span drawn on top of `base` (for example a selected row).
    public func style(for role: SpanRole, on base: Style) -> Style {
        switch role {
        case .normal: base
        case .escape: base.layered(Style(base.background == .default && !base.attributes.contains(.reverse) ? escape.foreground : .default, on: .default, escape.attributes))
        case .key: base.layered(key)
        case .number: base.layered(number)
        case .literal: base.layered(literal)
        case .dim: base.layered(dim)
        case .error: base.layered(error)
        case .match: base.layered(match)
        case .emphasis: base.adding(.bold)
        case .warning: base.layered(warning)
        }
    }
}
