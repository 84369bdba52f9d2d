import Dispatch
import Foundation
import Synchronization

/// Builds a file's `RecordIndex` in one pass over its bytes.
///
/// Line-based formats (JSONL, TSV without quoting, plain lines) are split into
/// segments scanned on all cores with memchr; quoted CSV is scanned once, quote-aware;
/// a JSON document is walked structurally to find its top-level elements.
enum IndexBuilder {
    static let segmentSize = 8 << 20
    static let firstSegmentSize = 1 << 20

    /// What a JSON document's scan learned besides offsets.
    struct DocumentShape: Sendable {
        /// For an object of arrays: (first slot, key) for each key, in order.
        var splitRuns: [(start: Int, key: String)] = []
        /// Where the document's structure broke, as `line: problem` (records after it are not read).
        var error: String?
        /// For an object of arrays: its keys that hold no array, which give no records.
        var keysNotRead: [String] = []
    }

    /// Index the whole file. `dataStart` skips a BOM and a header row. With `sampleOnly`,
    /// a JSON Lines file is indexed only as far as its first segment (enough records to
    /// infer roles from); the index then stays incomplete and says so (`isSampleOnly`).
    static func build(_ file: MappedFile, layout: FileLayout, dataStart: Int, dataStartLine: Int,
                      index: RecordIndex, releasePages: Bool, sampleOnly: Bool = false,
                      waitWhile: () -> Bool = { false }) -> DocumentShape {
        guard let base = file.base, dataStart < file.size else {
            index.finish()
            return DocumentShape()
        }
        var shape = DocumentShape()
        switch layout.format {
        case .json:
            shape = scanDocument(base, from: dataStart, to: file.size, index: index)
        case .csv where layout.quoting == .csv, .tsv where layout.quoting == .csv:
            scanQuoted(file, base: base, from: dataStart, line: dataStartLine, layout: layout,
                       index: index, releasePages: releasePages)
        default:
            let stopped = scanLines(file, base: base, from: dataStart, line: dataStartLine, index: index,
                                    releasePages: releasePages, firstSegmentOnly: sampleOnly && layout.format == .jsonl,
                                    waitWhile: waitWhile)
            if stopped {
                index.finishSample()
                return shape
            }
        }
        index.finish()
        return shape
    }

    /// Where the slot starting at `start` ends, by the rules `build` splits slots with (for
    /// the last slot found while the index is still being built): past its newline in line
    /// formats, at the quote-aware record end in quoted CSV/TSV, and at the end of the file
    /// in a JSON document (whose elements are parsed as a prefix).
    static func slotEnd(_ base: UnsafeRawPointer, from start: Int, size: Int, layout: FileLayout) -> Int {
        guard start < size else { return size }
        switch layout.format {
        case .json:
            return size
        case .csv where layout.quoting == .csv, .tsv where layout.quoting == .csv:
            return quotedRecordEnd(base, from: start, to: size, layout: layout).next
        default:
            return min(size, Bytes.find(Bytes.newline, in: base, from: start, to: size) + 1)
        }
    }

    /// The starts of the first `count` slots from `from` (the data start), found by the rules
    /// `build` finds them by, without the index: role inference reads these, so what it
    /// reads does not depend on how far the index has got. Nil for a JSON document, whose
    /// slots only its whole structure gives.
    static func firstSlots(_ base: UnsafeRawPointer, from: Int, size: Int, layout: FileLayout, count: Int) -> [Int]? {
        guard layout.format != .json else { return nil }
        var starts: [Int] = []
        var i = from
        while i < size, starts.count < count {
            let next = slotEnd(base, from: i, size: size, layout: layout)
            if Bytes.endTrimmingSpace(base, from: i, to: next) > i { starts.append(i) }
            i = next
        }
        return starts
    }

    /// Non-blank lines are slots. Segments are scanned in parallel, published in order.
    /// With `firstSegmentOnly`, stops after the first segment; returns whether it stopped
    /// before the end of the file. Before each batch after the first segment, waits while
    /// `waitWhile` says so (a stats scan that finds the records itself is running).
    @discardableResult
    static func scanLines(_ file: MappedFile, base: UnsafeRawPointer, from: Int, line: Int,
                          index: RecordIndex, releasePages: Bool, firstSegmentOnly: Bool = false,
                          waitWhile: () -> Bool = { false }) -> Bool {
        let end = file.size
        // Segment boundaries at line starts.
        // The first segment is small and published alone, so a browser has its first
        // screen of records after ~1 MB, not after the first batch of 8 MB segments.
        var bounds = [from]
        var nominal = from + firstSegmentSize
        while nominal < end {
            let nl = Bytes.find(Bytes.newline, in: base, from: nominal - 1, to: end)
            if nl >= end - 1 { break }
            bounds.append(nl + 1)
            nominal = nl + 1 + segmentSize
        }
        bounds.append(end)
        let segments = bounds.count - 1
        let batch = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)
        var lineBase = line
        var s = 0
        while s < segments {
            if s > 0 { while waitWhile() { usleep(2000) } }
            let n = s == 0 ? 1 : min(batch, segments - s)
            let results = Slots<(offsets: [Int], lines: [Int], newlines: Int)>(count: n, initial: ([], [], 0))
            let first = s, segmentBounds = bounds
            DispatchQueue.concurrentPerform(iterations: n) { k in
                let a = segmentBounds[first + k], b = segmentBounds[first + k + 1]
                file.adviseSequential(a..<b)
                results[k] = scanSegment(file.base!, from: a, to: b)
            }
            for k in 0..<n {
                let r = results[k]
                index.append(offsets: r.offsets, lines: r.lines.map { $0 + lineBase }, scannedTo: bounds[s + k + 1])
                lineBase += r.newlines
            }
            if releasePages { file.release(bounds[s]..<bounds[s + n]) }
            s += n
            if firstSegmentOnly && s < segments { return true }
        }
        return false
    }

    /// Line starts of non-blank lines in [a, b) (a is a line start), with 0-based
    /// local line numbers, and the number of newlines in the segment.
    static func scanSegment(_ base: UnsafeRawPointer, from a: Int, to b: Int) -> (offsets: [Int], lines: [Int], newlines: Int) {
        var offsets: [Int] = []
        var lines: [Int] = []
        offsets.reserveCapacity((b - a) / 256 + 16)
        lines.reserveCapacity((b - a) / 256 + 16)
        var i = a
        var lineNo = 0
        while i < b {
            let nl = Bytes.find(Bytes.newline, in: base, from: i, to: b)
            var j = i
            while j < nl, Bytes.isSpace(base.load(fromByteOffset: j, as: UInt8.self)) { j += 1 }
            if j < nl {
                offsets.append(i)
                lines.append(lineNo)
            }
            if nl == b { break }
            lineNo += 1
            i = nl + 1
        }
        return (offsets, lines, lineNo)
    }

    /// How many unclosed quotes a quoted CSV scan recovers from (each costs a scan to the
    /// end of the file); after that, the rest of the file is one malformed record.
    static let maxReopenedQuotes = 1000

    /// Where the quoted CSV/TSV record starting at `start` ends. With `cutUnclosed`, a quote
    /// that never closes does not swallow the rest of the file into one field: the record
    /// ends with its first line instead (malformed when read; `cut` says so), and the lines
    /// after it are rows again.
    static func quotedRecordEnd(_ base: UnsafeRawPointer, from start: Int, to end: Int, layout: FileLayout,
                                cutUnclosed: Bool = true) -> (next: Int, cut: Bool) {
        let (next, openQuote) = DelimitedParser.recordEnd(base, from: start, to: end, quoting: layout.quoting,
                                                          delimiter: layout.delimiter)
        guard openQuote, cutUnclosed else { return (next, false) }
        let nl = Bytes.find(Bytes.newline, in: base, from: start, to: end)
        return nl < end - 1 ? (nl + 1, true) : (next, false)
    }

    /// Quoted CSV: records end at newlines outside quotes; blank lines are skipped.
    static func scanQuoted(_ file: MappedFile, base: UnsafeRawPointer, from: Int, line: Int,
                           layout: FileLayout, index: RecordIndex, releasePages: Bool) {
        let end = file.size
        var offsets: [Int] = []
        var lines: [Int] = []
        var i = from
        var lineNo = line
        var published = from
        file.adviseSequential(from..<end)
        var reopened = 0
        while i < end {
            let (next, cut) = quotedRecordEnd(base, from: i, to: end, layout: layout,
                                              cutUnclosed: reopened < maxReopenedQuotes)
            if cut { reopened += 1 }
            var j = i
            while j < next, Bytes.isSpace(base.load(fromByteOffset: j, as: UInt8.self)) { j += 1 }
            if j < next {
                offsets.append(i)
                lines.append(lineNo)
            }
            lineNo += Bytes.countNewlines(in: base, from: i, to: next)
            i = next
            if i - published >= segmentSize || i >= end {
                index.append(offsets: offsets, lines: lines, scannedTo: i)
                offsets.removeAll(keepingCapacity: true)
                lines.removeAll(keepingCapacity: true)
                if releasePages { file.release(published..<i) }
                published = i
            }
        }
        if !offsets.isEmpty { index.append(offsets: offsets, lines: lines, scannedTo: end) }
    }

    /// A JSON document: slots are the elements of the top-level array, or of each
    /// array value of a top-level object (whose keys become the split).
    static func scanDocument(_ base: UnsafeRawPointer, from: Int, to end: Int, index: RecordIndex) -> DocumentShape {
        var shape = DocumentShape()
        var offsets: [Int] = []
        var lines: [Int] = []
        var lineNo = 1 + Bytes.countNewlines(in: base, from: 0, to: from)
        var i = from
        func byte(_ k: Int) -> UInt8 { base.load(fromByteOffset: k, as: UInt8.self) }
        func skipSpace() {
            while i < end, Bytes.isSpace(byte(i)) {
                if byte(i) == Bytes.newline { lineNo += 1 }
                i += 1
            }
        }
        /// Skip one JSON value starting at i (structurally; errors surface when the slot is parsed).
        func skipValue() {
            var depth = 0
            var inString = false
            while i < end {
                let b = byte(i)
                if inString {
                    if b == Bytes.backslash { i += 2; continue }
                    if b == Bytes.quote { inString = false }
                    i += 1
                    if !inString && depth == 0 { return }
                    continue
                }
                switch b {
                case Bytes.quote: inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return }
                    depth -= 1
                    if depth == 0 { i += 1; return }
                case UInt8(ascii: ","): if depth == 0 { return }
                case Bytes.newline: lineNo += 1
                default: break
                }
                i += 1
            }
        }
        func elements() {
            // i is at '['
            i += 1
            skipSpace()
            if i < end, byte(i) == UInt8(ascii: "]") { i += 1; return }
            while i < end {
                skipSpace()
                guard i < end else { break }
                offsets.append(i)
                lines.append(lineNo)
                skipValue()
                skipSpace()
                guard i < end else { break }
                if byte(i) == UInt8(ascii: ",") { i += 1; continue }
                if byte(i) == UInt8(ascii: "]") { i += 1; return }
                shape.error = "\(lineNo): expected ',' or ']' between records; the records after this point were not read"
                return
            }
        }
        skipSpace()
        guard i < end else { return shape }
        let firstLine = lineNo
        if byte(i) == UInt8(ascii: "[") {
            elements()
        } else if byte(i) == UInt8(ascii: "{") {
            i += 1
            while i < end {
                skipSpace()
                guard i < end, byte(i) == Bytes.quote else { break }
                let keyStart = i
                skipValue()
                let key = (try? JSONParser.parse(UnsafeRawBufferPointer(start: base + keyStart, count: i - keyStart)))?.stringValue ?? "?"
                skipSpace()
                guard i < end, byte(i) == UInt8(ascii: ":") else { break }
                i += 1
                skipSpace()
                guard i < end else { break }
                if byte(i) == UInt8(ascii: "[") {
                    shape.splitRuns.append((offsets.count, key))
                    elements()
                    if shape.error != nil { break }
                } else {
                    shape.keysNotRead.append(key)
                    skipValue()
                }
                skipSpace()
                if i < end, byte(i) == UInt8(ascii: ",") { i += 1; continue }
                break
            }
            if i < end, byte(i) == UInt8(ascii: "}") {
                i += 1
            } else if shape.splitRuns.isEmpty {
                // A broken record (its parse says what is wrong) ends where its brackets close.
                i = from
                lineNo = firstLine
                skipValue()
            } else if shape.error == nil {
                shape.error = "\(lineNo): expected ',' or '}' between splits; the records after this point were not read"
            }
            if shape.splitRuns.isEmpty {
                // Not an object of arrays: the document is one record.
                offsets = [from]
                lines = [firstLine]
                shape.keysNotRead = []
            }
        } else {
            offsets = [from]
            lines = [lineNo]
            skipValue()
        }
        if shape.error == nil {
            skipSpace()
            if i < end {
                shape.error = "\(lineNo): more data after the end of the JSON document; it was not read (for one JSON value per line, use --format jsonl)"
            }
        }
        index.append(offsets: offsets, lines: lines, scannedTo: end)
        return shape
    }
}

/// Fixed slots that concurrent workers fill, each worker its own index, while another
/// thread may read the slots already filled (the stats merger). Every access takes the
/// lock, so no reader can make a writer copy the array; slots hold whole results (a
/// chunk's counts, a segment's offsets), so it is taken a few times per chunk.
final class Slots<T: Sendable>: Sendable {
    private let items: Mutex<[T]>
    init(count: Int, initial: T) {
        items = Mutex([T](repeating: initial, count: count))
    }
    subscript(i: Int) -> T {
        get { items.withLock { $0[i] } }
        set { items.withLock { $0[i] = newValue } }
    }
}
