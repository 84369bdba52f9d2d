import Foundation
import Testing
@testable import AssayCore

/// The bundled samples against the truth files their generator writes.
@Suite struct SamplesTests {
    struct Truth: Decodable {
        var records: Int
        var malformed_lines: [Int]
        var labels: [String: Int]
        var splits: [String: Int]
        var label_by_split: [String: [String: Int]]
        var sources: [String: Int]
        var empty_text_ids: [String]?
    }

    func truth(_ name: String) throws -> Truth {
        try JSONDecoder().decode(Truth.self, from: Data(contentsOf: repoRoot.appendingPathComponent("samples/\(name)")))
    }

    func sample(_ p: String) -> String { repoRoot.appendingPathComponent("samples/\(p)").path }

    /// Truth counts "(missing)" labels in the label table; assay counts them as unlabelled.
    func checkLabels(_ acc: StatsAccumulator, _ t: Truth) {
        var labels = t.labels
        let missing = labels.removeValue(forKey: StatsAccumulator.missingLabel) ?? 0
        #expect(acc.labels == labels)
        #expect(acc.unlabelled == missing)
        #expect(acc.splits == t.splits)
        for (split, byLabel) in t.label_by_split {
            #expect(acc.labelBySplit[split] == byLabel.filter { $0.value > 0 }, "split \(split)")
        }
    }

    @Test func ticketsJSONL() throws {
        let t = try truth("tickets.truth.json")
        let (d, acc) = try scan([sample("tickets.jsonl")])
        #expect(d.files[0].layout.format == .jsonl)
        #expect(acc.records == t.records)
        #expect(acc.malformed.map(\.line) == t.malformed_lines)
        #expect(acc.malformed.first?.reason.contains("unterminated string") == true)
        checkLabels(acc, t)
        #expect(acc.sources == t.sources)
        #expect(acc.emptyTexts == t.empty_text_ids?.count)
        #expect(d.roles == Roles(text: ["text"], label: "label", split: "split", source: "source", id: "id",
                                 reasons: d.roles.reasons))
        #expect(acc.fields["meta.url"]?.present == t.records)
        #expect(acc.fields["meta.tags"]?.kinds[.array] == t.records)
    }

    @Test func ticketsCSVKeepsTheRaggedRowWithAWarning() throws {
        let t = try truth("tickets.truth.json")
        let (d, acc) = try scan([sample("tickets.csv")])
        #expect(d.files[0].layout.format == .csv)
        #expect(d.files[0].layout.hasHeader)
        #expect(acc.records == t.records + 1)
        #expect(acc.malformed.isEmpty)
        #expect(acc.warnings.count == 1)
        #expect(acc.warnings.first?.reason == "8 fields where the header has 9")
        #expect(acc.splits.values.reduce(0, +) == t.records + 1)
    }

    @Test func ticketsTSVWithoutQuoting() throws {
        let t = try truth("tickets.truth.json")
        let (d, acc) = try scan([sample("tickets.tsv")])
        #expect(d.files[0].layout.format == .tsv)
        #expect(d.files[0].layout.quoting == .none)
        #expect(acc.records == t.records)
        checkLabels(acc, t)
    }

    @Test func splitsFolderTakesSplitsFromFileNames() throws {
        let t = try truth("splits.truth.json")
        let (d, acc) = try scan([sample("splits")])
        #expect(d.files.map { ($0.path as NSString).lastPathComponent } == ["test.jsonl", "train.jsonl", "valid.jsonl"])
        #expect(d.skipped.map { ($0.path as NSString).lastPathComponent } == ["README.md"])
        #expect(d.roles.split == "split")
        #expect(acc.records == t.records)
        #expect(acc.splits == t.splits)
    }

    @Test func escapeRecordIsKeptVerbatimInTheEngine() throws {
        let d = try Dataset.open([sample("tickets.jsonl")])
        d.waitForIndex()
        let text = try #require(d.record(at: 5).record?.field("text")?.stringValue)
        #expect(text.contains("\u{1b}]0;pwned\u{07}"))
        #expect(TerminalText.escape(text).contains("\\x1b]0;pwned\\x07"))
        #expect(!TerminalText.escape(text).unicodeScalars.contains { $0.value == 0x1b })
    }
}
