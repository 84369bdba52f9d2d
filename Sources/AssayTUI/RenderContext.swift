import AssayCore

/// What drawing needs: the state, the dataset (only visible rows are read),
/// the theme and the command table (for help and hints).
public struct RenderContext {
    public let state: AppState
    public let source: any RecordSource
    public let theme: Theme
    public let commands: CommandTable
    let cache: RenderCache

    public init(state: AppState, source: any RecordSource, theme: Theme, commands: CommandTable, cache: RenderCache) {
        self.state = state
        self.source = source
        self.theme = theme
        self.commands = commands
        self.cache = cache
    }
}

/// Layout results worth keeping between frames (wrapped detail text, help lines).
/// Used from the UI thread only.
public final class RenderCache {
    struct DetailKey: Hashable {
        var index: Int
        var width: Int
    }

    var detail: (key: DetailKey, lines: [[Span]])?
    var help: (width: Int, lines: [[Span]])?
    /// Content lines of the overlay drawn last (for scroll limits).
    public internal(set) var overlayLineCount = 0

    public init() {}
}
