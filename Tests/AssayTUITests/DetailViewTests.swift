import AssayCore
import Foundation
import Testing
@testable import AssayTUI

@Suite struct DetailViewTests {
    @Test func hugeFieldsAreCutWithANote() {
        let text = String(repeating: "word ", count: 60_000)  // 300,000 characters
        let record = Record(index: 0, fileIndex: 0, line: 1, value: .object([.init("text", .string(text)), .init("label", .string("a"))]))
        let lines = DetailView.lines(for: .record(record), roles: Roles(text: ["text"], label: "label"), width: 80)
        let plain = lines.map { $0.map(\.text).joined() }
        #expect(lines.count < 2_000)
        #expect(plain.contains { $0.contains("… 200000 more characters not shown (300000 in all)") })
        #expect(plain.last?.contains("label: a") == true)
    }

    static func plainLines(_ value: FieldValue, width: Int) -> [String] {
        let record = Record(index: 0, fileIndex: 0, line: 1, value: value)
        return DetailView.lines(for: .record(record), roles: Roles(text: ["text"]), width: width).map { $0.map(\.text).joined() }
    }

    /// Wrapping used to split an escape (`\x1b` as `\` and `x1b`), which then read as text.
    @Test func escapesWrapWhole() {
        let text = String(repeating: "\u{1B}", count: 30) + " 👨\u{200D}👩\u{200D}👦 " + String(repeating: "ab\u{200D}", count: 20)
        let lines = Self.plainLines(.object([.init("text", .string(text))]), width: 60)
        #expect(lines.count > 2)
        for line in lines {
            let body = line.drop { $0 == " " }
            #expect(!body.hasPrefix("x1b") && !body.hasPrefix("u200d") && !body.hasPrefix("1b") && !body.hasPrefix("200d"), "\(line)")
            #expect(!line.hasSuffix("\\") && !line.hasSuffix("\\x") && !line.hasSuffix("\\u"), "\(line)")
        }
        // The escapes are all there.
        let joined = lines.joined()
        #expect(joined.components(separatedBy: "\\x1b").count - 1 == 30)
        #expect(joined.components(separatedBy: "\\u200d").count - 1 == 22)
    }

    /// A malformed record's detail shows its line as the file has it: the bytes that broke
    /// the parser are then in view (escaped, like any text).
    @Test func malformedRecordsShowTheirRawLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-raw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("d.jsonl").path
        var bytes = Array(#"{"text": "fine"}"#.utf8) + [0x0D, 0x0A]
        bytes += Array(#"{"text": "cut \#u{1B}[2J here"#.utf8) + [0xFF] + [0x0D, 0x0A]
        bytes += Array(#"{"text": "fine again"}"#.utf8) + [0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let dataset = try Dataset.open([path])
        dataset.waitForIndex()
        let result = dataset.record(at: 1)
        guard case .malformed = result else { Issue.record("record 2 parsed"); return }
        let raw = dataset.rawRecord(at: 1, limit: DetailView.rawLimit)
        #expect(raw?.truncated == false)
        #expect(raw?.bytes.last == 0xFF)  // the CRLF ending the line is not shown
        let plain = DetailView.lines(for: result, roles: Roles(text: ["text"]), width: 80, raw: raw)
            .map { $0.map(\.text).joined() }
        #expect(plain.contains { $0.contains(#"raw: {"text": "cut \x1b[2J here�"#) }, "\(plain)")
        #expect(!plain.joined().contains("\u{1B}"))
        let cut = dataset.rawRecord(at: 1, limit: 10)
        #expect(cut?.truncated == true && cut?.bytes.count == 10)
        let short = DetailView.lines(for: result, roles: Roles(text: ["text"]), width: 80, raw: cut).map { $0.map(\.text).joined() }
        #expect(short.contains { $0.contains("raw (first 10 bytes): {\"text\": ") })
    }

    /// A field name longer than the line was cut with no mark, its `:` lost.
    @Test func longFieldNamesAreCutWithAnEllipsis() {
        let lines = Self.plainLines(.object([.init(String(repeating: "F", count: 500), .string("val"))]), width: 60)
        #expect(lines.first { $0.contains("FFF") } == String(repeating: "F", count: 58) + "…:")
        #expect(lines.joined().contains("val"))
    }

    /// Indentation grew two cells a level with no limit: at 99 cells, keys from level 47
    /// on started past the edge and the leaf of a 60-level object never showed.
    @Test func deepNestingStaysOnScreen() {
        var v = FieldValue.string("LEAF_VALUE_visible?")
        for i in (0..<60).reversed() { v = .object([.init("k\(i)", v)]) }
        for width in [99, 39] {
            let lines = Self.plainLines(.object([.init("meta", v)]), width: width)
            for line in lines.dropFirst() {
                #expect(TextWidth.of(line) <= width, "\(line)")
                #expect(!line.allSatisfy { $0 == " " }, "a blank line at width \(width)")
            }
            for i in 0..<59 { #expect(lines.contains { $0.hasSuffix(" k\(i):") }, "k\(i) at width \(width)") }
            #expect(lines.last?.hasSuffix("k59: LEAF_VALUE_visible?") == true, "\(lines.last ?? "")")
            #expect(lines.last?.contains("depth 61 ") == true, "\(lines.last ?? "")")
        }
        // Deep arrays too.
        var a = FieldValue.string("LEAF")
        for _ in 0..<500 { a = .array([a, .string("x")]) }
        let lines = Self.plainLines(.object([.init("d", a)]), width: 99)
        #expect(lines.allSatisfy { TextWidth.of($0) <= 99 })
        #expect(lines.contains { $0.contains("LEAF") })
    }

    /// In a folder, the detail said only `line 2`, not which of the files it was.
    @Test func recordsOfAFolderNameTheirFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-detail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{\"a\": 1}\n{\"a\": 2}\n".utf8).write(to: dir.appendingPathComponent("first.jsonl"))
        try Data("{\"a\": 3}\n{\"a\": 4}\n".utf8).write(to: dir.appendingPathComponent("second.jsonl"))
        let d = try Dataset.open([dir.path])
        d.waitForIndex()
        let driver = AppDriver(source: d, backend: MemoryBackend(size: Size(width: 80, height: 24)), theme: .standard)
        driver.start()
        driver.send("G\n")
        let screen = driver.draw().lines
        #expect(screen.contains { $0.contains("line 2 of ") && $0.contains("second.jsonl") }, "\(screen)")
        #expect(screen.contains { $0.contains("a: 4") })
        // One file: nothing to tell apart.
        let one = try Dataset.open([dir.appendingPathComponent("first.jsonl").path])
        #expect(one.filePath(at: 0) == nil)
    }
}
