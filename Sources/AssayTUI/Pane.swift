/// Identifies a pane (Browse, later Labels, Duplicates, Audit).
public struct PaneID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public let title: String

    public init(_ rawValue: String, title: String) {
        self.rawValue = rawValue
        self.title = title
    }

    public var description: String { rawValue }

    public static let browse = PaneID("browse", title: "Browse")
    public static let labels = PaneID("labels", title: "Labels")
}

/// A top-level screen. A pane registers itself by being listed in a
/// `PaneRegistry`: it brings its commands (scope `.pane(id)`), which drive key
/// handling, help and hints, and it draws its body area.
public protocol Pane: Sendable {
    var id: PaneID { get }
    /// Commands active while this pane is shown, all with scope `.pane(id)`.
    var commands: [Command] { get }
    /// Draws the pane into `area` (the screen minus title and status lines).
    func render(_ ctx: RenderContext, into buffer: inout ScreenBuffer, area: Rect)
}

/// The panes of the app, in number-key order, and the command table they make
/// together with the global and overlay commands.
public struct PaneRegistry: Sendable {
    public private(set) var panes: [any Pane]

    public init(_ panes: [any Pane]) {
        self.panes = panes
    }

    /// The panes that exist today.
    public static var standard: PaneRegistry { PaneRegistry([BrowsePane(), LabelsPane()]) }

    public mutating func register(_ pane: any Pane) {
        panes.append(pane)
    }

    public var ids: [PaneID] { panes.map(\.id) }

    public func pane(_ id: PaneID) -> (any Pane)? {
        panes.first { $0.id == id }
    }

    /// Global commands (including one number key per pane), then each pane's,
    /// then the overlays' and the prompt's.
    public var commandTable: CommandTable {
        var table = CommandTable(StandardCommands.global(panes: ids))
        for p in panes { table.register(p.commands) }
        table.register(StandardCommands.detail)
        table.register(StandardCommands.malformedList)
        table.register(StandardCommands.help)
        table.register(StandardCommands.prompt)
        return table
    }
}
