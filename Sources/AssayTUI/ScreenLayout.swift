/// Where the fixed parts of the screen go. Pure: a function of the size.
///
///     row 0        title bar: app name, pane tabs, file
///     rows 1...    body: the active pane or an overlay
///     row h-2      status bar: record i/N, filter, search, indexing
///     row h-1      message, prompt or key hints
public struct ScreenLayout: Hashable, Sendable {
    /// Below this the app shows "terminal too small" instead of a squashed screen.
    public static let minimumSize = Size(width: 40, height: 10)

    public var size: Size
    public var titleBar: Rect
    public var body: Rect
    public var statusBar: Rect
    public var bottomLine: Rect

    public init(size: Size) {
        self.size = size
        let all = Rect(size: size)
        let (title, rest) = all.splitTop(1)
        let (body, bottom) = rest.splitBottom(2)
        titleBar = title
        self.body = body
        statusBar = bottom.row(0)
        bottomLine = bottom.row(1)
    }

    public var isTooSmall: Bool {
        size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
    }

    /// Data rows in the browse table (the body minus its header row).
    public var tableRows: Int { max(1, body.height - 1) }

    /// Content rows of an overlay (the body minus its title row).
    public var overlayRows: Int { max(1, body.height - 1) }
}
