import Testing
@testable import AssayCore

/// Where a CSV record ends, against a byte-at-a-time reference, on random rows of
/// quotes, doubled quotes, delimiters, newlines and quotes in mid-field.
@Suite struct DelimitedParserTests {
    /// The rule, one byte at a time: a quote opens a quoted field only at the start of a
    /// field; inside, a doubled quote is a quote and a single one closes the field; a
    /// record ends at a newline outside quotes.
    static func recordEndReference(_ bytes: [UInt8], from: Int, delimiter: UInt8) -> (next: Int, openQuote: Bool) {
        var inQuotes = false, atFieldStart = true
        var j = from
        while j < bytes.count {
            let b = bytes[j]
            if inQuotes {
                if b == Bytes.quote {
                    if j + 1 < bytes.count, bytes[j + 1] == Bytes.quote { j += 1 } else { inQuotes = false }
                }
            } else if b == Bytes.newline {
                return (j + 1, false)
            } else if b == delimiter {
                atFieldStart = true
            } else {
                if b == Bytes.quote && atFieldStart { inQuotes = true }
                atFieldStart = false
            }
            j += 1
        }
        return (bytes.count, inQuotes)
    }

    @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: "\t")])
    func recordEndMatchesTheByteAtATimeRule(delimiter: UInt8) {
        var g = TextKernelsTests.Generator(state: UInt64(delimiter))
        let pieces: [[UInt8]] = ["\"", "\"\"", "\n", "word", " ", "long text with no quotes at all, or commas", "\r\n", "5\" screen"]
            .map { Array($0.utf8) } + [[delimiter]]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<g.below(40) { bytes += pieces[g.below(pieces.count)] }
            let from = min(bytes.count, g.below(3))
            let fast = bytes.withUnsafeBytes {
                DelimitedParser.recordEnd($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, from: from, to: bytes.count,
                                          quoting: .csv, delimiter: delimiter)
            }
            let slow = Self.recordEndReference(bytes, from: from, delimiter: delimiter)
            #expect(fast.next == slow.next && fast.openQuote == slow.openQuote, "\(String(decoding: bytes, as: UTF8.self).debugDescription) from \(from)")
        }
    }
}
