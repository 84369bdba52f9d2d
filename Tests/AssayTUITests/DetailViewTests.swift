import AssayCore
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
}
