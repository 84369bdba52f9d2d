/// Input the runtime reacts to.
public enum TerminalEvent: Hashable, Sendable {
    case key(Key)
    case resize(Size)
    /// Ctrl-C (SIGINT): quit, restoring the terminal (status 130).
    case interrupt
    /// SIGTERM: the same, status 143.
    case terminate
    /// The terminal went away (SIGHUP, input closed).
    case hangup
}

/// A terminal: where frames go and keys come from. `AssayCurses` implements it
/// with ncurses; `MemoryBackend` keeps everything in memory for tests.
public protocol TerminalBackend: AnyObject {
    /// The current size in cells.
    var size: Size { get }
    /// Waits up to `timeoutMilliseconds` for input; nil when nothing came.
    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent?
    /// Shows `frame`. `changes` are the cells that differ from the frame presented
    /// before (all cells when `fullRedraw`), so a backend writes only those.
    func present(_ frame: ScreenBuffer, changes: [ScreenChange], fullRedraw: Bool)
}

/// A terminal in memory, for tests: queued events in, frames out. It applies
/// each frame's changes onto `screen`, the way a real terminal would, so tests
/// can check that writing only the changes gives the full frame.
public final class MemoryBackend: TerminalBackend {
    public var size: Size
    public var events: [TerminalEvent]
    /// What `nextEvent` returns once `events` is empty (`.hangup` ends `run()`).
    public var whenEmpty: TerminalEvent?
    public private(set) var frames: [ScreenBuffer] = []
    public private(set) var screen: ScreenBuffer
    /// Cells written by the last `present`.
    public private(set) var lastWriteCount = 0

    public init(size: Size, events: [TerminalEvent] = [], whenEmpty: TerminalEvent? = .hangup) {
        self.size = size
        self.events = events
        self.whenEmpty = whenEmpty
        screen = ScreenBuffer(size: size)
    }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        if events.isEmpty { return whenEmpty }
        return events.removeFirst()
    }

    public func present(_ frame: ScreenBuffer, changes: [ScreenChange], fullRedraw: Bool) {
        if fullRedraw || screen.size != frame.size { screen = ScreenBuffer(size: frame.size) }
        var written = 0
        for c in changes {
            for (i, cell) in c.cells.enumerated() {
                screen.set(c.x + i, c.y, cell)
                written += 1
            }
        }
        lastWriteCount = written
        frames.append(frame)
    }
}
