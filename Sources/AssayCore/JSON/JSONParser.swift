#if canImport(Glibc)
import Glibc
#endif

/// A byte-level JSON parser that builds `FieldValue` trees.
///
/// Foundation's JSONSerialization reaches only ~40-150 MB/s here and allocates an
/// object per value; this parser works on the mapped bytes directly (see DECISIONS.md).
/// It accepts RFC 8259 JSON. Strings must be valid UTF-8 unless `latin1` is set,
/// in which case every byte is one character (ISO-8859-1).
public struct JSONParser {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// 0-based byte offset into the parsed bytes.
        public var offset: Int
        public var message: String
        public var description: String { "\(message) at column \(offset + 1)" }
    }

    let base: UnsafeRawPointer
    let end: Int
    var pos: Int
    let latin1: Bool
    /// Deepest nesting accepted; deeper input is reported, not recursed into.
    static let maxDepth = 512

    init(_ bytes: UnsafeRawBufferPointer, latin1: Bool = false) {
        // An empty buffer has a nil base; point anywhere valid: no read happens when end == 0.
        self.base = bytes.baseAddress ?? UnsafeRawPointer(Self.emptyByte)
        self.end = bytes.count
        self.pos = 0
        self.latin1 = latin1
    }

    nonisolated(unsafe) static let emptyByte = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// Parse exactly one JSON value filling `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeRawBufferPointer, latin1: Bool = false) throws(Failure) -> FieldValue {
        var p = JSONParser(bytes, latin1: latin1)
        p.skipSpace()
        let v = try p.parseValue(depth: 0)
        p.skipSpace()
        if p.pos < p.end { throw p.fail("unexpected '\(p.printable(p.byte(p.pos)))' after the value") }
        return v
    }

    public static func parse(_ text: String) throws(Failure) -> FieldValue {
        var copy = text
        let result: Result<FieldValue, Failure> = copy.withUTF8 { buf in
            do throws(Failure) { return .success(try parse(UnsafeRawBufferPointer(buf))) } catch { return .failure(error) }
        }
        return try result.get()
    }

    @inline(__always) func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }

    func fail(_ message: String, at offset: Int? = nil) -> Failure {
        Failure(offset: offset ?? pos, message: message)
    }

    func printable(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }

    @inline(__always) mutating func skipSpace() {
        while pos < end, Bytes.isSpace(byte(pos)) { pos += 1 }
    }

    mutating func parseValue(depth: Int) throws(Failure) -> FieldValue {
        guard pos < end else { throw fail(depth == 0 ? "empty record" : "unexpected end of input") }
        switch byte(pos) {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case Bytes.quote: return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected '\(printable(byte(pos)))'")
        }
    }

    mutating func expectWord(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= end, memcmp(base + pos, word.utf8Start, n) == 0 else {
            throw fail("invalid literal")
        }
        pos += n
    }

    @inline(__always) mutating func skipDigits() -> Int {
        let s = pos
        while pos < end, byte(pos) &- UInt8(ascii: "0") < 10 { pos += 1 }
        return pos - s
    }

    mutating func parseNumber() throws(Failure) -> String {
        let start = pos
        if byte(pos) == UInt8(ascii: "-") { pos += 1 }
        guard skipDigits() > 0 else { throw fail("invalid number", at: start) }
        if pos < end, byte(pos) == UInt8(ascii: ".") {
            pos += 1
            guard skipDigits() > 0 else { throw fail("invalid number", at: start) }
        }
        if pos < end, byte(pos) | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < end, byte(pos) == UInt8(ascii: "+") || byte(pos) == UInt8(ascii: "-") { pos += 1 }
            guard skipDigits() > 0 else { throw fail("invalid number", at: start) }
        }
        return String(decoding: UnsafeRawBufferPointer(start: base + start, count: pos - start), as: UTF8.self)
    }

    mutating func parseArray(depth: Int) throws(Failure) -> FieldValue {
        guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
        pos += 1
        var items: [FieldValue] = []
        skipSpace()
        if pos < end, byte(pos) == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try parseValue(depth: depth + 1))
            skipSpace()
            guard pos < end else { throw fail("unterminated array") }
            let b = byte(pos)
            pos += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "]") { return .array(items) }
            throw fail("expected ',' or ']' in array", at: pos - 1)
        }
    }

    mutating func parseObject(depth: Int) throws(Failure) -> FieldValue {
        guard depth < Self.maxDepth else { throw fail("nesting deeper than \(Self.maxDepth)") }
        pos += 1
        var members: [FieldValue.Member] = []
        skipSpace()
        if pos < end, byte(pos) == UInt8(ascii: "}") { pos += 1; return .object(members) }
        while true {
            skipSpace()
            guard pos < end else { throw fail("unterminated object") }
            guard byte(pos) == Bytes.quote else { throw fail("expected a key in quotes") }
            let key = try parseString()
            skipSpace()
            guard pos < end, byte(pos) == UInt8(ascii: ":") else { throw fail("expected ':' after key") }
            pos += 1
            skipSpace()
            members.append(.init(key, try parseValue(depth: depth + 1)))
            skipSpace()
            guard pos < end else { throw fail("unterminated object") }
            let b = byte(pos)
            pos += 1
            if b == UInt8(ascii: ",") { continue }
            if b == UInt8(ascii: "}") { return .object(members) }
            throw fail("expected ',' or '}' in object", at: pos - 1)
        }
    }

    /// Parse a string starting at the opening quote.
    mutating func parseString() throws(Failure) -> String {
        let open = pos
        pos += 1
        let start = pos
        var hasEscape = false
        var hasHigh = false
        while true {
            guard pos < end else { throw fail("unterminated string", at: open) }
            let b = byte(pos)
            if b == Bytes.quote { break }
            if b == Bytes.backslash {
                hasEscape = true
                pos += 2
                continue
            }
            if b < 0x20 { throw fail("control character in string", at: pos) }
            if b >= 0x80 { hasHigh = true }
            pos += 1
        }
        let raw = UnsafeRawBufferPointer(start: base + start, count: pos - start)
        pos += 1
        if hasHigh && !latin1 {
            if let bad = UTF8Validation.firstInvalid(raw) { throw fail("invalid UTF-8", at: start + bad) }
        }
        if !hasEscape {
            return latin1 ? String(decodingLatin1: raw) : String(decoding: raw, as: UTF8.self)
        }
        return try JSONParser.unescape(raw, latin1: latin1, offset: start)
    }

    static func hex4(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        guard at + 4 <= raw.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = raw[at + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    /// Decode the escapes of a string's raw bytes (between the quotes).
    static func unescape(_ raw: UnsafeRawBufferPointer, latin1: Bool, offset: Int) throws(Failure) -> String {
        guard raw.count > 0 else { return "" }
        var failure: (offset: Int, message: String)?
        let s = String(unsafeUninitializedCapacity: unescapedBound(raw.count, latin1: latin1)) { out in
            switch writeUnescaped(raw, latin1: latin1, to: out.baseAddress!) {
            case .success(let n): return n
            case .failure(let f): failure = (f.offset, f.message); return 0
            }
        }
        if let failure { throw Failure(offset: offset + failure.offset, message: failure.message) }
        return s
    }

    /// The most bytes `writeUnescaped` writes for `count` raw bytes: escapes only shrink
    /// (`\uXXXX` is six bytes for at most three), a Latin-1 byte can take two.
    static func unescapedBound(_ count: Int, latin1: Bool) -> Int { latin1 ? 2 * count : count }

    /// Write the UTF-8 of a JSON string's content (escapes decoded; with `latin1`, bytes
    /// from 0x80 up are ISO-8859-1 characters) to `out`, which has room for
    /// `unescapedBound(raw.count, latin1:)` bytes. Returns the bytes written, or where
    /// (offset in `raw`) and why it fails. A lone surrogate becomes U+FFFD.
    static func writeUnescaped(_ raw: UnsafeRawBufferPointer, latin1: Bool,
                               to out: UnsafeMutablePointer<UInt8>) -> Result<Int, Failure> {
        var i = 0, n = 0
        // Plain statements, not nested functions: a nested function updating `n` made the
        // compiler box it behind a dynamic exclusivity check.
        while i < raw.count {
            let b = raw[i]
            if b != Bytes.backslash {
                if latin1 {
                    if b >= 0x80 { n += writeScalar(UInt32(b), to: out + n) } else { out[n] = b; n += 1 }
                    i += 1
                    continue
                }
                // Copy the run up to the next backslash in one go.
                let stop = memchr(raw.baseAddress! + i, Int32(Bytes.backslash), raw.count - i)
                let j = stop.map { raw.baseAddress!.distance(to: UnsafeRawPointer($0)) } ?? raw.count
                (out + n).update(from: (raw.baseAddress! + i).assumingMemoryBound(to: UInt8.self), count: j - i)
                n += j - i
                i = j
                continue
            }
            guard let (taken, written) = decodeEscape(raw, at: i, to: out + n) else {
                guard i + 1 < raw.count else { return .failure(Failure(offset: i, message: "bad escape")) }
                let e = raw[i + 1]
                if e == UInt8(ascii: "u") { return .failure(Failure(offset: i, message: "bad \\u escape")) }
                return .failure(Failure(offset: i, message: "bad escape '\\\(Unicode.Scalar(e))'"))
            }
            i += taken
            n += written
        }
        return .success(n)
    }

    /// The escape starting at `raw[i]` (a backslash), its UTF-8 written to `out` (room for
    /// four bytes): the raw bytes it takes and the bytes written, or nil if it is no valid
    /// escape. A lone surrogate becomes U+FFFD.
    @inline(__always)
    static func decodeEscape(_ raw: UnsafeRawBufferPointer, at i: Int,
                             to out: UnsafeMutablePointer<UInt8>) -> (taken: Int, written: Int)? {
        guard i + 1 < raw.count else { return nil }
        let simple: UInt8
        switch raw[i + 1] {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            guard let v = hex4(raw, i + 2) else { return nil }
            let j = i + 6
            if (0xD800..<0xDC00).contains(v), j + 6 <= raw.count, raw[j] == Bytes.backslash,
               raw[j + 1] == UInt8(ascii: "u"), let lo = hex4(raw, j + 2), (0xDC00..<0xE000).contains(lo) {
                return (12, writeScalar(0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00), to: out))
            }
            return (6, writeScalar(v, to: out))
        default:
            return nil
        }
        out[0] = simple
        return (2, 1)
    }

    /// The UTF-8 of scalar value `v` (U+FFFD if it is none) at `out`; returns its length.
    private static func writeScalar(_ v: UInt32, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var k = 0
        for b in (Unicode.Scalar(v) ?? "\u{FFFD}").utf8 { out[k] = b; k += 1 }
        return k
    }
}

extension String {
    /// Decode ISO-8859-1 bytes: each byte is the scalar of the same value.
    init(decodingLatin1 raw: UnsafeRawBufferPointer) {
        var s = String.UnicodeScalarView()
        for b in raw { s.append(Unicode.Scalar(b)) }
        self = String(s)
    }
}

/// UTF-8 validation on raw bytes.
public enum UTF8Validation {
    /// Offset of the first byte that is not part of a valid UTF-8 sequence, or nil.
    public static func firstInvalid(_ raw: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        let n = raw.count
        guard let base = raw.baseAddress else { return nil }
        while i < n {
            // Skip ASCII thirty-two bytes at a time while it lasts (one check of the high
            // bits of both blocks), then sixteen, straight to the first non-ASCII byte of the
            // block (text in most languages has a few accented letters a line). Wrapping
            // arithmetic: offsets within a buffer cannot overflow, and the checks cost as
            // much as the loop.
            while i &+ 32 <= n {
                let x = base.loadUnaligned(fromByteOffset: i, as: SIMD2<UInt64>.self)
                    | base.loadUnaligned(fromByteOffset: i &+ 16, as: SIMD2<UInt64>.self)
                if (x[0] | x[1]) & 0x8080_8080_8080_8080 != 0 { break }
                i &+= 32
            }
            if i &+ 16 <= n {
                let x = base.loadUnaligned(fromByteOffset: i, as: SIMD2<UInt64>.self)
                let h0 = x[0] & 0x8080_8080_8080_8080, h1 = x[1] & 0x8080_8080_8080_8080
                if h0 | h1 == 0 {
                    i &+= 16
                    continue
                }
                i &+= h0 != 0 ? h0.trailingZeroBitCount &>> 3 : 8 &+ h1.trailingZeroBitCount &>> 3
            } else if i == n {
                break  // the thirty-two byte steps took the rest
            }
            let b = raw[i]
            if b < 0x80 { i &+= 1; continue }
            // Two-byte letters (accented Latin, Greek, Cyrillic): no scalar to rebuild.
            if b >= 0xC2 && b <= 0xDF {
                guard i &+ 1 < n, raw[i &+ 1] & 0xC0 == 0x80 else { return i }
                i &+= 2
                continue
            }
            let len: Int
            let minScalar: UInt32
            var v: UInt32
            switch b {
            case 0xC2...0xDF: len = 2; v = UInt32(b & 0x1F); minScalar = 0x80
            case 0xE0...0xEF: len = 3; v = UInt32(b & 0x0F); minScalar = 0x800
            case 0xF0...0xF4: len = 4; v = UInt32(b & 0x07); minScalar = 0x10000
            default: return i
            }
            guard i + len <= n else { return i }
            for k in 1..<len {
                let c = raw[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                v = v << 6 | UInt32(c & 0x3F)
            }
            if v < minScalar || v > 0x10FFFF || (0xD800...0xDFFF).contains(v) { return i }
            i += len
        }
        return nil
    }
}

extension JSONParser {
    /// Parse the JSON value at the start of `bytes`, ignoring what follows it
    /// (used for the elements of a JSON document, whose slots run to the next element).
    public static func parsePrefix(_ bytes: UnsafeRawBufferPointer, latin1: Bool = false) throws(Failure) -> FieldValue {
        var p = JSONParser(bytes, latin1: latin1)
        p.skipSpace()
        return try p.parseValue(depth: 0)
    }
}
