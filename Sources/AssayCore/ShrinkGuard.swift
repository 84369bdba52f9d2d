#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Keeps a file that shrinks on disk while it is mapped (truncated, or rewritten in place
/// by a pipeline) from crashing assay. Reading a mapped page past the file's new end raises
/// SIGBUS; the handler maps a page of zero bytes there instead, so the read goes on (the
/// records there read as malformed), and marks the mapping for `MappedFile.hasShrunk`.
///
/// Only faults inside a registered mapping are handled this way: any other SIGBUS goes to
/// the handler that was there before (the Swift runtime's crash report), as it would have.
public enum ShrinkGuard {
    static let capacity = 1 << 14
    /// Registered mappings, read by the signal handler without a lock: the first and one
    /// past the last address (0, 0: a free entry), and whether a fault was handled there.
    /// Word-sized stores, and an entry's end is set last and cleared first.
    nonisolated(unsafe) private static let starts = zeroed(UInt.self)
    nonisolated(unsafe) private static let ends = zeroed(UInt.self)
    nonisolated(unsafe) private static let shrunk = zeroed(UInt8.self)
    /// Entries in use are below this.
    nonisolated(unsafe) private static var used = 0
    nonisolated(unsafe) private static var pageSize: UInt = 4096
    nonisolated(unsafe) private static var previous = sigaction()
    /// Whether the handler is installed; taken by writers. (In a class: a `Mutex` held in a
    /// static directly was locked and unlocked as two different copies.)
    private final class Lock: Sendable { let mutex = Mutex(false) }
    private static let lock = Lock()

    private static func zeroed<T: FixedWidthInteger>(_: T.Type) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }

    /// Watch `[base, base + size)`; the entry to pass to `unregister` and `hasShrunk`,
    /// or -1 when the table is full (then a shrinking file crashes as before).
    static func register(_ base: UnsafeRawPointer, size: Int) -> Int {
        lock.mutex.withLock { installed in
            if !installed {
                install()
                installed = true
            }
            guard let i = (0..<capacity).first(where: { ends[$0] == 0 }) else { return -1 }
            shrunk[i] = 0
            starts[i] = UInt(bitPattern: base)
            ends[i] = UInt(bitPattern: base) + UInt(size)
            used = max(used, i + 1)
            return i
        }
    }

    static func unregister(_ i: Int) {
        guard i >= 0 else { return }
        lock.mutex.withLock { _ in
            ends[i] = 0
            starts[i] = 0
        }
    }

    static func hasShrunk(_ i: Int) -> Bool { i >= 0 && shrunk[i] != 0 }

    private static func install() {
        pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_sigaction = { signal, info, context in ShrinkGuard.handle(signal, info, context) }
        #else
        action.__sigaction_u.__sa_sigaction = { signal, info, context in ShrinkGuard.handle(signal, info, context) }
        #endif
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        sigaction(SIGBUS, &action, &previous)
    }

    /// The SIGBUS handler: only async-signal-safe work (loads, `mmap`, `sigaction`).
    private static func handle(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?,
                               _ context: UnsafeMutableRawPointer?) {
        if recover(info) { return }  // the read is retried, and now sees zeros
        // Not a mapped dataset: the handler from before sees the fault when the read is retried.
        sigaction(SIGBUS, &previous, nil)
    }

    /// For a SIGBUS handler installed later (the browser's terminal guard), to call first:
    /// whether the fault was a read past the end of a mapped dataset, now mapped to zeros
    /// (return from the handler then, and the read is retried). Async-signal-safe.
    public static func recover(_ info: UnsafeMutablePointer<siginfo_t>?) -> Bool {
        guard let info, info.pointee.si_code > 0 else { return false }  // a fault, not a raise()
        #if canImport(Glibc)
        let address = UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
        #else
        let address = UInt(bitPattern: info.pointee.si_addr)
        #endif
        for i in 0..<used where address >= starts[i] && address < ends[i] {
            let page = address & ~(pageSize - 1)
            let zeros = mmap(UnsafeMutableRawPointer(bitPattern: page), Int(pageSize), PROT_READ,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
            guard zeros != MAP_FAILED else { return false }
            shrunk[i] = 1
            return true
        }
        return false
    }
}
