#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory. The dataset is never opened for writing.
///
/// Pages already processed can be released with `release(upTo:)` so that a full
/// scan of a multi-gigabyte file does not grow the resident set to the file's size.
/// A pipe or character device cannot be mapped: it is read whole into memory instead.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let size: Int
    /// Start of the bytes; nil for an empty file.
    public let base: UnsafeRawPointer?
    /// The bytes were read into memory (allocated with malloc), not mapped.
    private let isRead: Bool
    /// This mapping's entry in `ShrinkGuard` (-1: none).
    private let guardEntry: Int

    public enum OpenError: Error, CustomStringConvertible, Equatable {
        case notFound(String)
        case notReadable(String, String)
        case isDirectory(String)

        public var description: String {
            switch self {
            case .notFound(let p): "\(p): no such file or directory"
            case .notReadable(let p, let why): "\(p): cannot read: \(why)"
            case .isDirectory(let p): "\(p): is a directory"
            }
        }
    }

    /// Maps a regular file; reads anything else (pipe, character device) to its end.
    /// `-` is standard input.
    public convenience init(path: String) throws(OpenError) {
        let fd = open(path == FileDiscovery.stdinPath ? "/dev/stdin" : path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            if err == ENOENT { throw .notFound(path) }
            throw .notReadable(path, String(cString: strerror(err)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw .notReadable(path, String(cString: strerror(errno)))
        }
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            throw .isDirectory(path)
        case S_IFREG:
            let size = Int(st.st_size)
            guard size > 0 else {
                self.init(path: path, base: nil, size: 0, isRead: false)
                return
            }
            let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
            guard let p, p != MAP_FAILED else {
                throw .notReadable(path, String(cString: strerror(errno)))
            }
            self.init(path: path, base: UnsafeRawPointer(p), size: size, isRead: false)
        default:
            try self.init(path: path, readingToEnd: fd)
        }
    }

    /// Reads `fd` to its end into memory (freed on deinit). The descriptor stays open.
    public convenience init(path: String, readingToEnd fd: Int32) throws(OpenError) {
        var capacity = 1 << 16
        var size = 0
        guard var buffer = malloc(capacity) else { throw .notReadable(path, "out of memory") }
        while true {
            if size == capacity {
                capacity *= 2
                guard let grown = realloc(buffer, capacity) else {
                    free(buffer)
                    throw .notReadable(path, "out of memory")
                }
                buffer = grown
            }
            let n = read(fd, buffer + size, capacity - size)
            if n > 0 {
                size += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                let why = String(cString: strerror(errno))
                free(buffer)
                throw .notReadable(path, why)
            }
        }
        if size == 0 {
            free(buffer)
            self.init(path: path, base: nil, size: 0, isRead: true)
        } else {
            self.init(path: path, base: UnsafeRawPointer(buffer), size: size, isRead: true)
        }
    }

    private init(path: String, base: UnsafeRawPointer?, size: Int, isRead: Bool) {
        self.path = path
        self.base = base
        self.size = size
        self.isRead = isRead
        guardEntry = isRead ? -1 : base.map { ShrinkGuard.register($0, size: size) } ?? -1
    }

    deinit {
        guard let base else { return }
        if isRead {
            free(UnsafeMutableRawPointer(mutating: base))
        } else {
            ShrinkGuard.unregister(guardEntry)
            munmap(UnsafeMutableRawPointer(mutating: base), size)
        }
    }

    /// The file shrank on disk while mapped (truncated, or rewritten in place): what was
    /// past its new end reads as zero bytes (`ShrinkGuard`).
    public var hasShrunk: Bool { ShrinkGuard.hasShrunk(guardEntry) }

    /// The whole file as bytes.
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Hint that the range will be read sequentially soon.
    public func adviseSequential(_ range: Range<Int>) {
        guard let base, !isRead, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound / page * page
        let end = min(size, range.upperBound)
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_SEQUENTIAL)
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_WILLNEED)
    }

    /// Drop the pages of `range` from this process's resident set. The data stays in
    /// the page cache and is faulted back in if touched again.
    public func release(_ range: Range<Int>) {
        guard let base, !isRead, !range.isEmpty else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = range.upperBound >= size ? size : range.upperBound / page * page
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}

/// Byte-level helpers shared by the parsers.
enum Bytes {
    static let newline: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C

    /// Index of the first `byte` in `[from, to)`, or `to`.
    @inline(__always)
    static func find(_ byte: UInt8, in base: UnsafeRawPointer, from: Int, to: Int) -> Int {
        guard from < to else { return to }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return to }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// Number of `\n` bytes in `[from, to)`.
    static func countNewlines(in base: UnsafeRawPointer, from: Int, to: Int) -> Int {
        var n = 0
        var i = from
        while i < to {
            let j = find(newline, in: base, from: i, to: to)
            if j == to { break }
            n += 1
            i = j + 1
        }
        return n
    }

    /// `to`, moved back over trailing whitespace (not before `from`).
    @inline(__always)
    static func endTrimmingSpace(_ base: UnsafeRawPointer, from: Int, to: Int) -> Int {
        var b = to
        while b > from, isSpace(base.load(fromByteOffset: b - 1, as: UInt8.self)) { b -= 1 }
        return b
    }

    /// Start of the line holding the first non-blank byte at or after `from`, and that
    /// byte's offset; nil when the rest is blank.
    static func firstNonBlankLine(_ bytes: UnsafeRawBufferPointer, from: Int) -> (lineStart: Int, lead: Int)? {
        guard let lead = bytes[from...].firstIndex(where: { !isSpace($0) }) else { return nil }
        let lineStart = bytes[from..<lead].lastIndex(of: newline).map { $0 + 1 } ?? from
        return (lineStart, lead)
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }
}
