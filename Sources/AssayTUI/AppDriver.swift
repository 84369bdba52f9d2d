#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AssayCore

/// The runtime: reads events from a backend, maps keys through the command
/// table to actions, applies them to the state, performs the effects, and
/// presents frames (only the changed cells). Everything here runs on one thread;
/// scans report back through `ScanRunner`'s inbox.
public final class AppDriver {
    public private(set) var state: AppState
    public let source: any RecordSource
    public let registry: PaneRegistry
    public let commands: CommandTable
    public var theme: Theme
    public let backend: any TerminalBackend

    let scans: ScanRunner
    let cache = RenderCache()
    let malformedProvider: @Sendable () -> [MalformedRecord]?
    var usesProvider = false
    var providerCount = -1
    var lastFrame: ScreenBuffer?
    var fullRedraw = true
    var dirty = true
    var exitCode: Int32 = 0
    /// Time spent drawing frames and taking in stats-scan updates (for ASSAY_TIMING).
    public private(set) var timing = DriverTiming()

    /// - Parameters:
    ///   - malformed: the engine's list of malformed lines, or nil to have the
    ///     app scan the records for them in the background.
    ///   - runScansInline: run scans synchronously (tests).
    public init(source: any RecordSource, backend: any TerminalBackend, theme: Theme = .standard,
                registry: PaneRegistry = .standard,
                malformed: @escaping @Sendable () -> [MalformedRecord]? = { nil },
                runScansInline: Bool = false) {
        self.source = source
        self.backend = backend
        self.theme = theme
        self.registry = registry
        commands = registry.commandTable
        malformedProvider = malformed
        scans = ScanRunner(inline: runScansInline)
        state = AppState(source: source, size: backend.size, panes: registry.ids)
    }

    /// Starts background work (the malformed-line scan). `run()` calls it.
    public func start() {
        let known = malformedProvider()
        usesProvider = known != nil
        providerCount = known?.count ?? -1
        perform(state.start(knownMalformed: known, stats: source is StatsSource, notices: source.allNotices, skipped: source.skippedFiles))
        update()
    }

    /// The event loop. Returns the exit status: 0, or 128 + the signal that
    /// ended it (130 Ctrl-C, 143 SIGTERM, 129 hang-up).
    public func run() -> Int32 {
        start()
        while !state.shouldQuit {
            let t0 = DispatchTimeShim.nanoseconds()
            let labelsScanning = state.labels.scanID != nil && state.activePane == .labels
            update()
            if dirty {
                draw()
                if labelsScanning { timing.redrawWhileScanning.add(DispatchTimeShim.nanoseconds() - t0) }
            }
            // Poll so progress (indexing, scans) redraws without a key press.
            let busy = scans.isBusy || !state.indexProgress.isComplete
            guard let event = backend.nextEvent(timeoutMilliseconds: busy ? 16 : 100) else { continue }
            handle(event)
            takeWaitingEvents()
        }
        scans.cancelAll()
        return exitCode
    }

    /// Handles the events already waiting before the next frame is drawn: a paste arrives as
    /// one key per character, and a frame drawn after each made a few KB take seconds. After
    /// `budgetMilliseconds` a frame is drawn anyway, so a long paste shows its progress.
    func takeWaitingEvents(budgetMilliseconds: Int = 50) {
        let deadline = DispatchTimeShim.nanoseconds() + budgetMilliseconds * 1_000_000
        while !state.shouldQuit, DispatchTimeShim.nanoseconds() < deadline,
              let event = backend.nextEvent(timeoutMilliseconds: 0) {
            handle(event)
        }
    }

    /// Handles one event (a key goes through the command table).
    public func handle(_ event: TerminalEvent) {
        dirty = true
        switch event {
        case .key(let key):
            if let command = commands.command(for: key, in: state.activeScopes) {
                if Self.browsesPastTheIndex(command.action) { source.wantWholeIndex() }
                apply(command.action)
            } else if state.prompt != nil, case .char(let c) = key {
                apply(.promptInsert(c))
            } else if case .char(let c) = key {
                state.message = StatusMessage("\(Sanitizer.plain(String(c))) does nothing here; ? shows the keys")
            }
        case .resize(let size):
            apply(.resize(size))
            fullRedraw = true
        case .interrupt:
            exitCode = 130
            apply(.quit)
        case .terminate:
            exitCode = 143
            apply(.quit)
        case .hangup:
            exitCode = 129
            apply(.quit)
        }
        update()
    }

    /// Moving through records, jumping, filtering and searching may go past the records
    /// indexed so far: the index then stops deferring to the Labels pane's scan.
    static func browsesPastTheIndex(_ action: Action) -> Bool {
        switch action {
        case .move, .page, .halfPage, .bottom, .openPrompt, .searchNext, .showMalformed, .malformedJump,
             .labels(.drill):
            true
        default:
            false
        }
    }

    /// Handles keys written as in `Key.sequence` (tests).
    public func send(_ script: String) {
        for k in Key.sequence(script) { handle(.key(k)) }
    }

    public func apply(_ action: Action) {
        perform(state.apply(action))
        dirty = true
    }

    func perform(_ effects: [Effect]) {
        for e in effects {
            if case .redraw = e {
                fullRedraw = true
                continue
            }
            scans.perform(e, source: source, roles: state.roles)
        }
        if scans.inline { drainInbox() }
    }

    private func drainInbox() {
        var actions = scans.drain()
        while !actions.isEmpty {
            for a in actions {
                if case .statsUpdate(_, _, _, _, let complete) = a {
                    let t0 = DispatchTimeShim.nanoseconds()
                    perform(state.apply(a))
                    timing.statsUpdates.add(DispatchTimeShim.nanoseconds() - t0)
                    if complete { timing.statsExactAfter = DispatchTimeShim.nanoseconds() - timing.startedAt }
                } else {
                    perform(state.apply(a))
                }
            }
            dirty = true
            actions = scans.inline ? scans.drain() : []
        }
    }

    /// Takes in scan results and the dataset's growth.
    public func update() {
        drainInbox()
        let count = source.recordCount
        let progress = source.indexProgress
        if count != state.recordCount || progress != state.indexProgress {
            perform(state.apply(.tick(recordCount: count, progress: progress)))
            dirty = true
        }
        if usesProvider && !state.malformed.isComplete, let list = malformedProvider() {
            let complete = progress.isComplete
            if list.count != providerCount || complete {
                providerCount = list.count
                perform(state.apply(.malformedLoaded(list, complete: complete)))
                dirty = true
            }
        }
    }

    /// Renders the current state, presents the changes, and returns the frame.
    @discardableResult
    public func draw() -> ScreenBuffer {
        let t0 = DispatchTimeShim.nanoseconds()
        let frame = render()
        let t1 = DispatchTimeShim.nanoseconds()
        let full = fullRedraw || lastFrame?.size != frame.size
        backend.present(frame, changes: frame.changes(from: full ? nil : lastFrame), fullRedraw: full)
        let t2 = DispatchTimeShim.nanoseconds()
        timing.render.add(t1 - t0)
        timing.present.add(t2 - t1)
        if state.labels.scanID != nil && state.activePane == .labels { timing.renderWhileScanning.add(t1 - t0) }
        lastFrame = frame
        fullRedraw = false
        dirty = false
        if cache.overlayLineCount != state.overlayLineCount {
            perform(state.apply(.overlayMeasured(lineCount: cache.overlayLineCount)))
        }
        return frame
    }

    /// The frame for the current state, without presenting it.
    public func render() -> ScreenBuffer {
        let ctx = RenderContext(state: state, source: source, theme: theme, commands: commands, cache: cache)
        return Renderer.render(ctx, registry: registry)
    }

    /// Waits (up to `timeout` seconds) for background scans to finish, taking in
    /// their results. For tests and scripted runs.
    public func waitForScans(timeout: Double = 10) {
        let deadline = DispatchTimeShim.now() + timeout
        while scans.isBusy && DispatchTimeShim.now() < deadline {
            sleepMilliseconds(5)
        }
        update()
    }
}

enum DispatchTimeShim {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func nanoseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1_000_000_000 + ts.tv_nsec
    }
}

/// Counts and durations of one kind of work on the UI thread.
public struct TimingStat: Sendable {
    public private(set) var count = 0
    public private(set) var totalNanoseconds = 0
    public private(set) var maxNanoseconds = 0

    mutating func add(_ ns: Int) {
        count += 1
        totalNanoseconds += ns
        maxNanoseconds = max(maxNanoseconds, ns)
    }

    /// `12 × mean 0.41 ms, max 1.20 ms`.
    public var summary: String {
        guard count > 0 else { return "none" }
        func ms(_ ns: Int) -> String { LabelsModel.fixed(Double(ns) / 1e6, 2) + " ms" }
        return "\(count) × mean \(ms(totalNanoseconds / count)), max \(ms(maxNanoseconds))"
    }
}

/// What the UI thread spent its time on, printed after the session with ASSAY_TIMING set.
public struct DriverTiming: Sendable {
    public var render = TimingStat()
    public var present = TimingStat()
    /// Frames of the Labels pane drawn while the stats scan was running.
    public var renderWhileScanning = TimingStat()
    /// Taking in a stats update (rebuilding the Labels pane's model).
    public var statsUpdates = TimingStat()
    /// Whole redraws of the Labels pane while its scan runs: taking in what arrived, the
    /// render, and writing the changes to the terminal.
    public var redrawWhileScanning = TimingStat()
    /// When the driver was made, and how long after that the exact stats were taken in.
    public var startedAt = DispatchTimeShim.nanoseconds()
    public var statsExactAfter: Int?

    public var report: String {
        "timing: frames render \(render.summary); present \(present.summary)\n"
            + "timing: Labels frames while scanning: render \(renderWhileScanning.summary)\n"
            + "timing: stats updates taken in (model rebuilt): \(statsUpdates.summary)\n"
            + "timing: Labels redraws while scanning (take in + render + write): \(redrawWhileScanning.summary)\n"
            + (statsExactAfter.map { "timing: exact stats taken in \(LabelsModel.fixed(Double($0) / 1e6, 1)) ms after start\n" } ?? "")
    }
}
