import AssayCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// Signal handling that always gives the terminal back.
//
// SIGINT/SIGTERM/SIGHUP only set a flag: the event loop polls (timeout ~100 ms),
// sees it, quits and calls endwin() normally. If the loop is stuck, a second
// signal restores the terminal with async-signal-safe calls only (tcsetattr,
// write) and _exits. Crash signals (a Swift trap is SIGILL/SIGTRAP) do the same
// restore, then die with the original signal so the exit status stays honest.
// Installed before newterm(), so ncurses keeps its hands off SIGINT/SIGTERM
// (it only installs handlers over SIG_DFL); SIGWINCH and SIGTSTP stay ncurses'.

/// Number of SIGINT/SIGTERM/SIGHUP received.
let interruptCount = Atomic<Int>(0)
/// The last of those signals.
let lastSignal = Atomic<Int32>(0)

/// Terminal state before curses started, and bytes that undo curses
/// (leave the alternate screen, show the cursor, reset attributes).
nonisolated(unsafe) var savedTermios = termios()
nonisolated(unsafe) var haveSavedTermios = false
/// The terminal curses reads keys from: standard input, or /dev/tty when the data came
/// through standard input (`cat x.jsonl | assay -`).
nonisolated(unsafe) var ttyFD: Int32 = 0
nonisolated(unsafe) var restoreBytes: [UInt8] = Array("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n".utf8)
nonisolated(unsafe) var restoreBuffer: UnsafeMutablePointer<UInt8>? = nil
nonisolated(unsafe) var restoreLength = 0

/// Crash handlers that were there before ours (Swift's backtracer), by signal
/// number; plain memory a signal handler can read.
nonisolated(unsafe) let previousCrashActions: UnsafeMutablePointer<sigaction> = {
    let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    p.initialize(repeating: sigaction(), count: 65)
    return p
}()

/// Writes the restore bytes and resets the tty modes. Async-signal-safe.
func emergencyRestore() {
    if let buf = restoreBuffer, restoreLength > 0 {
        _ = write(1, buf, restoreLength)
    }
    if haveSavedTermios {
        _ = tcsetattr(ttyFD, TCSANOW, &savedTermios)
    }
}

enum TerminalGuard {
    static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Saves the state of the terminal `tty` and installs the handlers. Call before newterm().
    static func install(tty: Int32 = 0) {
        ttyFD = tty
        if tcgetattr(tty, &savedTermios) == 0 { haveSavedTermios = true }
        interruptCount.store(0, ordering: .relaxed)
        setRestoreBytes(restoreBytes)
        for s in quitSignals {
            var act = sigaction()
            act.__sigaction_handler.sa_handler = { sig in
                lastSignal.store(sig, ordering: .relaxed)
                let n = interruptCount.wrappingAdd(1, ordering: .relaxed).newValue
                if n >= 2 {
                    emergencyRestore()
                    _exit(128 + sig)
                }
            }
            sigemptyset(&act.sa_mask)
            act.sa_flags = 0  // no SA_RESTART: interrupt get_wch at once
            sigaction(s, &act, nil)
        }
        for s in crashSignals {
            var act = sigaction()
            act.__sigaction_handler.sa_sigaction = { sig, info, _ in
                // A read past the end of a dataset that shrank on disk is no crash.
                if sig == SIGBUS && ShrinkGuard.recover(info) { return }
                emergencyRestore()
                // Hand over to the previous handler (Swift's backtracer, or the
                // default action) and let it report the crash on a sane terminal.
                if sig >= 0 && sig < 65 {
                    _ = sigaction(sig, previousCrashActions + Int(sig), nil)
                } else {
                    signal(sig, SIG_DFL)
                }
                raise(sig)
            }
            sigemptyset(&act.sa_mask)
            act.sa_flags = SA_SIGINFO
            _ = sigaction(s, &act, previousCrashActions + Int(s))
        }
    }

    /// Sets what `emergencyRestore` writes (from terminfo once curses is up).
    static func setRestoreBytes(_ bytes: [UInt8]) {
        let buf = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        buf.initialize(from: bytes, count: bytes.count)
        let old = restoreBuffer
        restoreLength = 0
        restoreBuffer = buf
        restoreLength = bytes.count
        restoreBytes = bytes
        old?.deallocate()
    }

    /// Puts the earlier handlers back (after endwin).
    static func uninstall() {
        for s in quitSignals { signal(s, SIG_DFL) }
        for s in crashSignals { _ = sigaction(s, previousCrashActions + Int(s), nil) }
    }
}
