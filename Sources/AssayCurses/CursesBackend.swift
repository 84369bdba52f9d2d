import AssayTUI
import CNcursesw
#if canImport(Glibc)
import Glibc
#endif

/// The ncurses terminal: the only code in assay that calls curses.
final class CursesBackend: TerminalBackend {
    private let screen: OpaquePointer
    private let win: UnsafeMutablePointer<WINDOW>
    let hasColors: Bool
    private var pairs: [Int: Int16] = [:]
    private var fastErrors = 0
    private var isShutDown = false

    enum InitError: Error, CustomStringConvertible {
        case notATerminal
        case badTerminal(String)

        var description: String {
            switch self {
            case .notATerminal:
                "assay: the browser needs a terminal: standard output must be a TTY, and standard input or /dev/tty one. "
                    + "Use 'assay stats' (or 'assay stats --json') for plain output."
            case .badTerminal(let term):
                "assay: can't drive this terminal (TERM=\(term.isEmpty ? "unset" : term)); "
                    + "set TERM to your terminal's type, e.g. TERM=xterm-256color"
            }
        }
    }

    init(noColor: Bool) throws(InitError) {
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        guard isatty(1) == 1 else { throw .notATerminal }
        // Data piped in (`zcat x.jsonl.gz | assay -`) has been read by now: keys then come
        // from the controlling terminal.
        var keysFD: Int32 = 0
        if isatty(0) != 1 {
            keysFD = open("/dev/tty", O_RDONLY | O_CLOEXEC)
            guard keysFD >= 0, isatty(keysFD) == 1 else { throw .notATerminal }
        }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        if term.isEmpty || term == "dumb" { throw .badTerminal(term) }

        TerminalGuard.install(tty: keysFD)
        guard let out = fdopen(1, "w"), let input = fdopen(keysFD, "r"), let scr = newterm(nil, out, input) else {
            TerminalGuard.uninstall()
            throw .badTerminal(term)
        }
        screen = scr
        _ = set_term(scr)
        guard let w = nc_stdscr() else {
            endwin()
            delscreen(scr)
            TerminalGuard.uninstall()
            throw .badTerminal(term)
        }
        win = w
        // A terminal without cursor addressing would get garbage.
        if let cup = tigetstr("cup"), Int(bitPattern: cup) != -1 {} else {
            endwin()
            delscreen(scr)
            TerminalGuard.uninstall()
            throw .badTerminal(term)
        }
        // Bytes that leave curses mode, for the emergency path.
        var restore: [UInt8] = []
        for cap in ["sgr0", "cnorm", "rmcup"] {
            if let p = tigetstr(cap), Int(bitPattern: p) != -1 {
                restore += Array(String(cString: p).utf8)
            }
        }
        restore += Array("\r\n".utf8)
        TerminalGuard.setRestoreBytes(restore)

        cbreak()
        noecho()
        nonl()
        intrflush(win, false)
        keypad(win, true)
        _ = set_escdelay(25)
        _ = curs_set(0)
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            hasColors = true
        } else {
            hasColors = false
        }
    }

    var size: Size { Size(width: Int(getmaxx(win)), height: Int(getmaxy(win))) }

    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        if let e = pendingSignal() { return e }
        wtimeout(win, Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let started = monotonicMilliseconds()
        let r = wget_wch(win, &ch)
        if let e = pendingSignal() { return e }
        if r == ERR {
            // ERR long before the timeout, again and again: the terminal is gone. (With no
            // timeout, ERR just means that no key is waiting.)
            if timeoutMilliseconds > 0, monotonicMilliseconds() - started < max(1, timeoutMilliseconds / 4) {
                fastErrors += 1
                if fastErrors > 50 { return .hangup }
            } else {
                fastErrors = 0
            }
            return nil
        }
        fastErrors = 0
        if r == KEY_CODE_YES {
            return keyCode(Int32(ch))
        }
        return character(UInt32(ch))
    }

    private func pendingSignal() -> TerminalEvent? {
        guard interruptCount.load(ordering: .relaxed) > 0 else { return nil }
        switch lastSignal.load(ordering: .relaxed) {
        case SIGHUP: return .hangup
        case SIGTERM: return .terminate
        default: return .interrupt
        }
    }

    private func keyCode(_ code: Int32) -> TerminalEvent? {
        switch code {
        case KEY_RESIZE: return .resize(size)
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_IC: return .key(.insert)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_F0 + 1...KEY_F0 + 24: return .key(.function(Int(code - KEY_F0)))
        default: return nil
        }
    }

    private func character(_ v: UInt32) -> TerminalEvent? {
        switch v {
        case 10, 13: return .key(.enter)
        case 9: return .key(.tab)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(v + 96)!)))
        case 0..<32: return nil
        default:
            guard let s = Unicode.Scalar(v) else { return nil }
            return .key(.char(Character(s)))
        }
    }

    func present(_ frame: ScreenBuffer, changes: [ScreenChange], fullRedraw: Bool) {
        if fullRedraw {
            _ = clearok(win, true)
            werase(win)
        }
        for change in changes {
            var i = 0
            while i < change.cells.count {
                let style = change.cells[i].style
                var text = ""
                var j = i
                while j < change.cells.count, change.cells[j].style == style {
                    text += change.cells[j].content
                    j += 1
                }
                let (attrs, pair) = attributes(style)
                wmove(win, Int32(change.y), Int32(change.x + i))
                wattr_set(win, attrs, pair, nil)
                // The bottom-right cell returns ERR although it is drawn.
                _ = waddstr(win, text)
                i = j
            }
        }
        wattr_set(win, attr_t(A_NORMAL), 0, nil)
        wnoutrefresh(win)
        doupdate()
    }

    private func attributes(_ style: Style) -> (attr_t, Int16) {
        var a = attr_t(A_NORMAL)
        if style.attributes.contains(.bold) { a |= NC_A_BOLD }
        if style.attributes.contains(.dim) { a |= NC_A_DIM }
        if style.attributes.contains(.reverse) { a |= NC_A_REVERSE }
        if style.attributes.contains(.underline) { a |= NC_A_UNDERLINE }
        if style.attributes.contains(.italic) { a |= NC_A_ITALIC }
        guard hasColors, style.foreground != .default || style.background != .default else { return (a, 0) }
        let key = (style.foreground.rawValue + 1) * 16 + (style.background.rawValue + 1)
        if let p = pairs[key] { return (a, p) }
        let n = Int16(pairs.count + 1)
        guard n < 64, init_pair(n, Int16(style.foreground.rawValue), Int16(style.background.rawValue)) == OK else {
            return (a, 0)
        }
        pairs[key] = n
        return (a, n)
    }

    /// Leaves curses mode and puts the terminal back.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        _ = curs_set(1)
        endwin()
        delscreen(screen)
        TerminalGuard.uninstall()
    }

    private func monotonicMilliseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }
}
