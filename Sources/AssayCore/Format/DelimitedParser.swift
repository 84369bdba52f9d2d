#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CSV and TSV: record boundaries and field splitting, on raw bytes.
enum DelimitedParser {
    /// Split one record into fields. `raw` runs from the record's first byte up to
    /// (not including) the next record; trailing CR/LF and blank lines are dropped.
    /// Returns nil fields with a reason when the record is broken.
    static func fields(_ raw: UnsafeRawBufferPointer, layout: FileLayout) -> (fields: [String], error: String?) {
        var end = raw.count
        while end > 0, raw[end - 1] == Bytes.newline || raw[end - 1] == Bytes.cr { end -= 1 }
        // Text has no NUL bytes: one past the sniffed start means binary data or a
        // corrupted file (Python's csv module refuses such a line too).
        if end > 0, let nul = memchr(raw.baseAddress!, 0, end) {
            return ([], "NUL byte at byte \(raw.baseAddress!.distance(to: UnsafeRawPointer(nul)) + 1) of the record (binary data?)")
        }
        let delimiter = layout.delimiter
        let latin1 = layout.encoding == .latin1
        var fields: [String] = []
        var i = 0
        func text(_ a: Int, _ b: Int) -> String? {
            let slice = UnsafeRawBufferPointer(rebasing: raw[a..<b])
            if latin1 { return String(decodingLatin1: slice) }
            if UTF8Validation.firstInvalid(slice) != nil { return nil }
            return String(decoding: slice, as: UTF8.self)
        }
        func badUTF8(_ a: Int, _ b: Int) -> String {
            let slice = UnsafeRawBufferPointer(rebasing: raw[a..<b])
            let at = a + (UTF8Validation.firstInvalid(slice) ?? 0)
            return "invalid UTF-8 at byte \(at + 1) of the record (use --encoding latin-1 if the file is Latin-1)"
        }
        while true {
            if layout.quoting == .csv, i < end, raw[i] == Bytes.quote {
                // Quoted field: "" is a quote; runs until the closing quote.
                var bytes: [UInt8] = []
                var j = i + 1
                var closed = false
                while j < end {
                    let b = raw[j]
                    if b == Bytes.quote {
                        if j + 1 < end, raw[j + 1] == Bytes.quote { bytes.append(Bytes.quote); j += 2; continue }
                        closed = true
                        j += 1
                        break
                    }
                    bytes.append(b)
                    j += 1
                }
                if !closed { return (fields, "unterminated quoted field") }
                // Lenient: text between the closing quote and the delimiter is kept.
                while j < end, raw[j] != delimiter { bytes.append(raw[j]); j += 1 }
                let s: String
                if latin1 {
                    s = bytes.withUnsafeBytes { String(decodingLatin1: $0) }
                } else {
                    if let bad = bytes.withUnsafeBytes({ UTF8Validation.firstInvalid($0) }) {
                        return (fields, "invalid UTF-8 at byte \(i + 2 + bad) of the record (use --encoding latin-1 if the file is Latin-1)")
                    }
                    s = String(decoding: bytes, as: UTF8.self)
                }
                fields.append(s)
                i = j
            } else {
                var j = i
                while j < end, raw[j] != delimiter { j += 1 }
                var fieldEnd = j
                if fieldEnd > i, raw[fieldEnd - 1] == Bytes.cr { fieldEnd -= 1 }
                guard let s = text(i, fieldEnd) else { return (fields, badUTF8(i, fieldEnd)) }
                fields.append(s)
                i = j
            }
            if i >= end { break }
            i += 1  // the delimiter
            if i == end { fields.append(""); break }
        }
        return (fields, nil)
    }

    /// The first rows of a sample (at most `limit`, blank lines skipped, a row cut by the
    /// end of the sample left out unless it is the first), split with the layout's
    /// delimiter and quoting.
    static func rows(_ sample: UnsafeRawBufferPointer, layout: FileLayout, encoding: TextEncoding,
                     limit: Int) -> [[String]] {
        guard let base = sample.baseAddress else { return [] }
        var l = layout
        l.encoding = encoding
        var out: [[String]] = []
        var i = 0
        while i < sample.count, out.count < limit {
            let (next, openQuote) = recordEnd(base, from: i, to: sample.count, quoting: layout.quoting, delimiter: layout.delimiter)
            let raw = UnsafeRawBufferPointer(start: base + i, count: next - i)
            i = next
            if !out.isEmpty, openQuote || (next == sample.count && raw.last != Bytes.newline) { break }
            guard raw.contains(where: { !Bytes.isSpace($0) }) else { continue }
            out.append(fields(raw, layout: l).fields)
        }
        return out
    }

    /// End of the record starting at `from`: the offset just after its terminating
    /// newline (outside quotes), or `to`. `openQuote` is true when the data ended
    /// inside a quoted field. A quote opens a quoted field only at the start of a
    /// field; elsewhere it is text, as in RFC 4180 readers such as Python's csv.
    static func recordEnd(_ base: UnsafeRawPointer, from: Int, to: Int, quoting: Quoting,
                          delimiter: UInt8 = UInt8(ascii: ",")) -> (next: Int, openQuote: Bool) {
        var i = from
        var inQuotes = false
        var atFieldStart = true
        while i < to {
            let nl = Bytes.find(Bytes.newline, in: base, from: i, to: to)
            if quoting == .csv, inQuotes || Bytes.find(Bytes.quote, in: base, from: i, to: nl) < nl {
                var j = i
                while j < nl {
                    if inQuotes {
                        // Inside quotes only the next quote matters (long texts: memchr speed).
                        j = Bytes.find(Bytes.quote, in: base, from: j, to: nl)
                        if j == nl { break }
                        if j + 1 < nl, base.load(fromByteOffset: j + 1, as: UInt8.self) == Bytes.quote {
                            j += 1
                        } else {
                            inQuotes = false
                        }
                        j += 1
                        continue
                    }
                    let b = base.load(fromByteOffset: j, as: UInt8.self)
                    if b == delimiter {
                        atFieldStart = true
                    } else {
                        if b == Bytes.quote && atFieldStart { inQuotes = true }
                        atFieldStart = false
                    }
                    j += 1
                }
            }
            if nl == to { return (to, inQuotes) }
            if !inQuotes { return (nl + 1, false) }
            i = nl + 1
        }
        return (to, inQuotes)
    }
}
