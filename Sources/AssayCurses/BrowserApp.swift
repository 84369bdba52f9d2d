import AssayCore
import AssayTUI
#if canImport(Glibc)
import Glibc
#endif

/// The interactive browser. The executable's single entry point into the TUI.
public enum BrowserApp {
    /// Runs the browser on `source` until the user quits; returns the exit status.
    ///
    /// Refuses (message on stderr, status 2) when stdin/stdout is not a terminal
    /// or TERM can't be driven. The terminal is restored on every way out:
    /// quitting, Ctrl-C, SIGTERM, SIGHUP, and crashes.
    ///
    /// - Parameter malformed: the engine's malformed lines if it already knows
    ///   them (polled while indexing); return nil to have the browser scan the
    ///   records for them in the background.
    public static func run(source: any RecordSource,
                           malformed: @escaping @Sendable () -> [MalformedRecord]? = { nil }) -> Int32 {
        let noColor = getenv("NO_COLOR").map { String(cString: $0).isEmpty == false } ?? false
        let backend: CursesBackend
        do {
            backend = try CursesBackend(noColor: noColor)
        } catch {
            let msg = error.description + "\n"
            _ = msg.withCString { write(2, $0, strlen($0)) }
            return 2
        }
        defer { backend.shutdown() }
        let theme: Theme = backend.hasColors ? .standard : .monochrome
        let driver = AppDriver(source: source, backend: backend, theme: theme, malformed: malformed)
        let status = driver.run()
        if getenv("ASSAY_TIMING") != nil {
            backend.shutdown()  // restore the terminal first; shutting down twice is harmless
            let report = driver.timing.report
            _ = report.withCString { write(2, $0, strlen($0)) }
        }
        return status
    }
}
