import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

// End-to-end tests of the interactive browser: the real `assay` binary in a
// detached tmux session, driven with send-keys and read with capture-pane.
//
// Pitfalls handled as the ncurses notes (shared/notes/swift-ncurses.md §5) say:
// - tmux is started with posix_spawn, not Foundation.Process (whose termination
//   socket the daemonized server inherits, hanging waitUntilExit);
// - with an empty signal mask and default SIGWINCH/SIGPIPE/SIGINT, or the pane
//   inherits the test thread's blocked signals and never sees a resize;
// - a unique -L socket and a private TMUX_TMPDIR per session;
// - capture-pane polled every 50 ms up to a deadline; kill-server in defer.

/// Output and status of a finished command.
struct Spawned {
    var status: Int32
    var output: String
}

/// Runs `argv` (looked up in PATH) with stdin from /dev/null and stdout+stderr
/// captured, with a clean signal mask. Returns nil if it could not be started.
func spawnAndWait(_ argv: [String], environment: [String: String]) -> Spawned? {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return nil }
    let (r, w) = (fds[0], fds[1])
    _ = fcntl(r, F_SETFD, FD_CLOEXEC)
    _ = fcntl(w, F_SETFD, FD_CLOEXEC)

    var fa = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&fa)
    defer { posix_spawn_file_actions_destroy(&fa) }
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&fa, w, 1)
    posix_spawn_file_actions_adddup2(&fa, w, 2)

    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attr, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in [SIGPIPE, SIGWINCH, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, s) }
    posix_spawnattr_setsigdefault(&attr, &defaults)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let cArgs = argv.map { strdup($0) } + [nil]
    let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        cArgs.forEach { free($0) }
        cEnv.forEach { free($0) }
    }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, argv[0], &fa, &attr, cArgs, cEnv)
    close(w)
    guard rc == 0 else {
        close(r)
        return nil
    }
    var data = [UInt8]()
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(r, &buf, buf.count)
        if n > 0 {
            data += buf[0..<n]
        } else if n < 0 && errno == EINTR {
            continue
        } else {
            break
        }
    }
    close(r)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Spawned(status: exit, output: String(decoding: data, as: UTF8.self))
}

/// A detached tmux server with one session running a command.
final class TmuxSession {
    let socket: String
    let tmpdir: String
    let env: [String: String]

    /// The error to report when tmux can't be run (CI installs it; we never skip).
    static let missingTmux = "tmux is required for the browser's end-to-end tests but could not be run; install it (apt-get install tmux)"

    init(command: String, width: Int = 100, height: Int = 30) throws {
        socket = "assay-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        tmpdir = NSTemporaryDirectory() + socket
        try FileManager.default.createDirectory(atPath: tmpdir, withIntermediateDirectories: true)
        var e = ProcessInfo.processInfo.environment
        e["TMUX_TMPDIR"] = tmpdir
        e.removeValue(forKey: "TMUX")
        e.removeValue(forKey: "NO_COLOR")
        e["TERM"] = e["TERM"] ?? "xterm-256color"
        env = e
        guard let r = spawnAndWait(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
                                    "-x", String(width), "-y", String(height), command], environment: env),
              r.status == 0 else {
            throw TmuxError(message: Self.missingTmux)
        }
        _ = tmux(["set-option", "-t", "t", "remain-on-exit", "on"])
    }

    struct TmuxError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    @discardableResult
    func tmux(_ args: [String]) -> Spawned? {
        spawnAndWait(["tmux", "-L", socket] + args, environment: env)
    }

    /// Sends keys by tmux name (`Enter`, `Escape`, `C-c`, `PageDown`) or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) {
        tmux(["send-keys", "-t", "t"] + (literal ? ["-l"] : []) + keys)
    }

    func type(_ text: String) {
        tmux(["send-keys", "-t", "t", "-l", text])
    }

    func capture(escapes: Bool = false) -> String {
        tmux(["capture-pane", "-p", "-t", "t"] + (escapes ? ["-e"] : []))?.output ?? ""
    }

    func display(_ format: String) -> String {
        (tmux(["display-message", "-p", "-t", "t", format])?.output ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen every 50 ms until `predicate` holds; returns the last screen.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 10, _ predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !predicate(screen) {
            if Date() > deadline {
                Issue.record("timed out waiting for \(what); screen:\n\(screen)")
                return screen
            }
            usleep(50_000)
            screen = capture()
        }
        // A capture can catch a frame half written (its first rows new, the rest old):
        // wait until two captures agree, so checks on other rows see the whole frame.
        for _ in 0..<20 {
            usleep(20_000)
            let again = capture()
            if again == screen { break }
            screen = again
        }
        return screen
    }

    @discardableResult
    func waitFor(_ text: String, timeout: Double = 10) -> String {
        waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    func resize(width: Int, height: Int) {
        tmux(["resize-window", "-t", "t", "-x", String(width), "-y", String(height)])
    }

    func kill() {
        tmux(["kill-server"])
        try? FileManager.default.removeItem(atPath: tmpdir)
    }
}

@Suite(.serialized) struct BrowseTmuxTests {
    static let sample = cliRepoRoot.appendingPathComponent("samples/tickets.jsonl").path

    /// Starts `assay <args>` in tmux (or records why it can't).
    func start(_ args: [String] = [sample], width: Int = 100, height: Int = 30) -> TmuxSession? {
        let bin = assayBinary().path
        guard FileManager.default.isExecutableFile(atPath: bin) else {
            Issue.record("assay binary not found at \(bin)")
            return nil
        }
        let quoted = ([bin] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        do {
            return try TmuxSession(command: "env LANG=C.UTF-8 \(quoted); echo EXIT=$?; sleep 60", width: width, height: height)
        } catch {
            Issue.record("\(error)")
            return nil
        }
    }

    @Test func tmuxIsAvailable() {
        let r = spawnAndWait(["tmux", "-V"], environment: ProcessInfo.processInfo.environment)
        #expect(r?.status == 0, Comment(rawValue: TmuxSession.missingTmux))
    }

    @Test func opensMovesAndJumps() {
        guard let t = start() else { return }
        defer { t.kill() }
        var s = t.waitFor("record 1/3,001")
        #expect(s.contains("tickets.jsonl"))
        #expect(s.contains("t-00001"))
        #expect(s.contains("1 Browse"))
        t.send("j", "j", "j")
        t.waitFor("record 4/3,001")
        t.send("Down", "PageDown")
        s = t.waitFor("record 31/3,001")  // 5 + one page of 26 rows
        t.send(":")
        t.type("1500")
        t.send("Enter")
        s = t.waitFor("record 1,500/3,001")
        #expect(s.contains("✗ malformed line 1500"))
        t.send("G")
        t.waitFor("record 3,001/3,001")
        t.send("g")
        t.waitFor("record 1/3,001")
        t.send("q")
        t.waitFor("EXIT=0")
    }

    /// `zcat x.jsonl.gz | assay -`: the records come through standard input, so keys come
    /// from the terminal (/dev/tty); quitting leaves the shell's terminal as it was.
    @Test func pipedDataIsBrowsedWithKeysFromTheTerminal() {
        let bin = assayBinary().path
        guard FileManager.default.isExecutableFile(atPath: bin) else {
            Issue.record("assay binary not found at \(bin)")
            return
        }
        let t: TmuxSession
        do {
            t = try TmuxSession(command: "cat '\(Self.sample)' | env LANG=C.UTF-8 '\(bin)' -; echo EXIT=$?; stty -a | tr '\\n' ' '; sleep 60",
                                width: 100, height: 30)
        } catch {
            Issue.record("\(error)")
            return
        }
        defer { t.kill() }
        let s = t.waitFor("record 1/3,001")
        #expect(s.contains("t-00001"))
        t.send("j", "j")
        t.waitFor("record 3/3,001")
        t.send("q")
        let after = t.waitFor("EXIT=0")
        // Canonical mode and echo are back on for the shell.
        #expect(after.contains(" icanon") && after.contains(" echo"), "\(after)")
    }

    /// `assay -` typed at a terminal would wait for typed data until Ctrl-D: it says how to
    /// pipe data in instead.
    @Test func dashAtATerminalSaysToPipeDataIn() {
        guard let t = start(["-"]) else { return }
        defer { t.kill() }
        let s = t.waitFor("EXIT=2")
        #expect(s.contains("'-' reads standard input, which is the terminal here"), "\(s)")
    }

    /// A ragged CSV row is kept as a record; once the stats scan is done, `m` lists it with
    /// the file's other notices (a folder's skipped files here too).
    @Test func raggedRowsAndSkippedFilesAreListedByM() {
        guard let t = start([cliRepoRoot.appendingPathComponent("samples").path], width: 120, height: 30) else { return }
        defer { t.kill() }
        t.waitFor("files skipped (m lists them)")
        t.send("m")
        let s = t.waitFor("warning: ") { $0.contains("tickets.csv:2005: 8 fields where the header has 9 (record kept)") }
        #expect(s.contains("skipped ") && s.contains("README.md: documentation"), "\(s)")
        #expect(s.contains("tickets.jsonl: invalid JSON: unterminated string"), "\(s)")
        t.send("q", "q")
        t.waitFor("EXIT=0")
    }

    @Test func openingNoticeIsShownUntilAKey() throws {
        // A Latin-1 TSV: the browser says how it is read, as `assay stats` does.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("assay-latin1-\(getpid()).tsv")
        let bytes: [UInt8] = Array("text\tlabel\ncaf".utf8) + [0xE9] + Array("\tfood\nna".utf8) + [0xEF] + Array("ve\tfood\n".utf8)
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        guard let t = start([path.path]) else { return }
        defer { t.kill() }
        var s = t.waitFor("notice: ")
        #expect(s.contains("not valid UTF-8 (first at line 2); reading it as Latin-1"))
        #expect(s.contains("café"))
        t.send("j")
        s = t.waitFor("record 2/2")
        #expect(!s.contains("notice: "))
        t.send("q")
        t.waitFor("EXIT=0")
    }

    /// A file truncated while the browser has it open: the lost records show as malformed
    /// with the reason, and the browser goes on (it died of SIGBUS).
    @Test func fileTruncatedWhileOpenShowsMalformedRecords() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("assay-shrinks-\(getpid()).jsonl")
        try FileManager.default.copyItem(atPath: Self.sample, toPath: path.path)
        defer { try? FileManager.default.removeItem(at: path) }
        guard let t = start([path.path]) else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        t.send("G")
        t.waitFor("record 3,001/3,001")
        #expect(truncate(path.path, 1000) == 0)
        t.send("k")
        let s = t.waitFor("record 3,000/3,001")
        #expect(s.contains("✗ malformed line 3000: the file shrank on disk while open"))
        t.send("g")
        t.waitFor("record 1/3,001")
        t.send("q")
        t.waitFor("EXIT=0")
    }

    @Test func escapeSequencesShowEscaped() {
        guard let t = start() else { return }
        defer { t.kill() }
        var s = t.waitFor("record 1/3,001")
        // t-00006 holds an OSC retitle, a clear-screen and an SGR colour.
        #expect(s.contains(#"Invoice lookup failed with this output: \x1b]0;pwned\x07\x"#))
        #expect(t.display("#{pane_title}") != "pwned")
        t.send(":")
        t.type("6")
        t.send("Enter", "Enter")
        s = t.waitFor("record 6 of 3,001")
        #expect(s.contains(#"\x1b]0;pwned\x07\x1b[2J\x1b[31mERROR 0x5A payment"#))
        #expect(s.contains(#"gateway unreachable\x1b[0m and the page went red"#))
        #expect(s.contains("t-00006"))
        // The screen was not cleared or recoloured by the record.
        #expect(!t.capture(escapes: true).contains("\u{1B}]0;"))
        #expect(t.display("#{pane_title}") != "pwned")
        t.send("n")
        t.waitFor("record 7 of 3,001")
        t.send("q", "q")
        t.waitFor("EXIT=0")
    }

    @Test func searchAndFilter() {
        guard let t = start() else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        t.send("/")
        t.type("pwned")
        t.send("Enter")
        t.waitFor("record 6/3,001")
        t.send("f")
        t.type(#"label == "refund""#)
        t.send("Enter")
        var s = t.waitFor("430 of 3,001 records match")
        #expect(s.contains(#"label == "r"#))
        #expect(s.contains("430"))
        #expect(!s.contains("billing"))
        t.send("f", "C-u")
        t.type(#"label == "refund" && (len(text) < 40"#)
        t.send("Enter")
        s = t.waitFor("expected ')' at 36")
        t.send("End")
        t.type(")")
        t.send("Enter")
        t.waitFor("records match")
        t.send("c")
        s = t.waitFor("filter and search cleared")
        #expect(s.contains("billing"))
        t.send("Q")
        t.waitFor("EXIT=0")
    }

    /// A paste is one key per character: 1,600 of them took 54 s when each key re-measured
    /// the whole prompt, and every key drew a frame.
    @Test func pasteIntoThePromptShowsAtOnce() {
        guard let t = start() else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        t.send("/")
        let started = Date()
        t.type(String(repeating: "abcdefghij", count: 500) + "PASTED")
        t.waitFor("PASTED", timeout: 20)
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 3, "5,006 pasted characters showed after \(seconds) s")
        t.send("Escape")
        t.waitFor("PASTED", timeout: 5) { !$0.contains("PASTED") }
        t.send("q")
        t.waitFor("EXIT=0")
    }

    @Test func detailHelpMalformedAndResize() {
        guard let t = start() else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        t.send("Enter")
        var s = t.waitFor("record 1 of 3,001")
        #expect(s.contains("meta:"))
        t.send("Escape")
        t.waitFor("the table again") { $0.contains("# id") && !$0.contains("record 1 of 3,001") }
        t.send("?")
        s = t.waitFor("Keys (q or ? closes)")
        #expect(s.contains("jump to record number N"))
        t.send("q")
        t.send("m")
        s = t.waitFor("Malformed lines: 1")
        t.send("Enter")
        t.waitFor("record 1,500/3,001")

        t.resize(width: 60, height: 15)
        s = t.waitFor("a 60-column screen") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.contains { $0.contains("record 1,500/3,001") } && lines.allSatisfy { $0.count <= 60 }
        }
        t.resize(width: 30, height: 8)
        t.waitFor("terminal too small")
        t.resize(width: 100, height: 30)
        s = t.waitFor("record 1,500/3,001")
        #expect(!s.contains("terminal too small"))
        t.send("q")
        t.waitFor("EXIT=0")
    }

    @Test func ctrlCRestoresTheTerminal() {
        guard let t = start() else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        #expect(t.display("#{alternate_on}") == "1")
        t.send("C-c")
        let s = t.waitFor("EXIT=130")
        #expect(t.display("#{alternate_on}") == "0")
        #expect(t.display("#{cursor_flag}") == "1")
        #expect(!s.contains("record 1/3,001"))  // back on the normal screen
    }

    @Test func sigtermRestoresTheTerminal() {
        guard let t = start() else { return }
        defer { t.kill() }
        t.waitFor("record 1/3,001")
        let pid = t.display("#{pane_pid}")
        // The pane runs sh -c; the browser is its child.
        let child = spawnAndWait(["pgrep", "-P", pid], environment: ProcessInfo.processInfo.environment)?.output
            .split(separator: "\n").first.map(String.init) ?? ""
        #expect(!child.isEmpty)
        _ = spawnAndWait(["kill", "-TERM", child], environment: ProcessInfo.processInfo.environment)
        t.waitFor("EXIT=143")
        #expect(t.display("#{alternate_on}") == "0")
    }

    @Test func refusesWithoutATerminal() throws {
        let r = try runAssay([Self.sample])
        #expect(r.status != 0)
        #expect(r.stderr.contains("needs a terminal"))
        #expect(r.stdout.isEmpty)
    }
}
