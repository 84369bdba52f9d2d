import Foundation
import Testing
@testable import AssayCore

/// A corpus from ../shared/bench/gen_corpus.py (with broken lines) against the truth
/// file the generator writes beside it.
@Suite struct GeneratedCorpusTests {
    @Test func countsMatchTheGeneratorsTruth() throws {
        let dir = TempDir()
        let out = dir.url.appendingPathComponent("c5k.jsonl").path
        let gen = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/bench/gen_corpus.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", gen, "--records", "5000", "--malformed", "6", "--quiet", "--out", out]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "gen_corpus.py failed")
        let truth = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + ".truth.json"))) as? [String: Any])

        let (_, acc) = try scan([out])
        let counts = try #require(truth["counts"] as? [String: Any])
        #expect(acc.records == counts["records"] as? Int)
        let malformedLines = try #require(truth["malformed"] as? [[String: Any]]).compactMap { $0["line"] as? Int }
        #expect(acc.malformed.map(\.line) == malformedLines)
        var labels = try #require(truth["label_counts"] as? [String: Int])
        let missing = (labels.removeValue(forKey: "<null>") ?? 0) + (labels.removeValue(forKey: "<absent>") ?? 0)
        #expect(acc.labels == labels)
        #expect(acc.unlabelled == missing)
        #expect(acc.splits == truth["split_counts"] as? [String: Int])
        #expect(acc.emptyTexts == counts["empty_text"] as? Int)
    }
}
