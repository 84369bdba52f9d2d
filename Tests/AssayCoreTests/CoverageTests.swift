import Foundation
import Testing
@testable import AssayCore

@Suite struct CoverageTests {
    @Test func chiSquareSurvivalMatchesTables() {
        // Critical values from standard chi-square tables.
        #expect(abs(Stats.chiSquareSurvival(3.841, df: 1) - 0.05) < 1e-3)
        #expect(abs(Stats.chiSquareSurvival(5.991, df: 2) - 0.05) < 1e-3)
        #expect(abs(Stats.chiSquareSurvival(13.816, df: 2) - 0.001) < 1e-4)
        #expect(abs(Stats.chiSquareSurvival(0.0158, df: 1) - 0.9) < 1e-3)
        #expect(Stats.chiSquareSurvival(0, df: 3) == 1)
    }

    @Test func jensenShannonDistance() {
        #expect(Stats.jensenShannonDistance([1, 1], [2, 2]) == 0)
        #expect(abs(Stats.jensenShannonDistance([1, 0], [0, 1])! - 1) < 1e-12)
        #expect(Stats.jensenShannonDistance([0, 0], [1, 1]) == nil)
    }

    func accumulator(_ bySplit: [String: [String: Int]]) -> StatsAccumulator {
        var acc = StatsAccumulator()
        acc.labelBySplit = bySplit
        acc.labelField = "label"
        acc.splitField = "split"
        for (s, m) in bySplit {
            for (l, c) in m {
                acc.splits[s, default: 0] += c
                acc.labels[l, default: 0] += c
                acc.records += c
            }
        }
        return acc
    }

    @Test func splitComparisonFlagsShiftedAndAbsentLabels() throws {
        let acc = accumulator([
            "train": ["a": 500, "b": 500, "c": 20],
            "test": ["a": 200, "b": 50],
        ])
        let sc = try #require(Coverage(acc).splitComparison)
        #expect(sc.splits == ["train", "test"])
        let rows = Dictionary(uniqueKeysWithValues: sc.rows.map { ($0.label, $0) })
        #expect(rows["c"]?.absentIn == ["test"])
        #expect(rows["b"]?.differs == true)          // 49% of train, 20% of test
        #expect(rows["b"]!.spread > 28 && rows["b"]!.spread < 30)
        #expect(sc.distanceToReference[0] == nil)
        #expect(sc.distanceToReference[1]! > 0.1)
    }

    @Test func balancedSplitsAreNotFlagged() throws {
        let acc = accumulator(["train": ["a": 800, "b": 200], "test": ["a": 80, "b": 20]])
        let sc = try #require(Coverage(acc).splitComparison)
        #expect(sc.rows.allSatisfy { !$0.differs && $0.absentIn.isEmpty })
        #expect(sc.distanceToReference[1]! < 1e-9)
    }

    @Test func crossTabThinAndEmptyCellsFollowTheThreshold() throws {
        var acc = accumulator(["train": ["a": 100, "b": 100], "test": ["a": 100, "b": 1]])
        acc.labelByValue["lang"] = ["en": ["a": 199, "b": 100], "de": ["a": 1]]
        let c = Coverage(acc, thinFraction: 0.05)
        let split = try #require(c.crossTab("split"))
        #expect(split.columns == ["train", "test"])
        let b = try #require(split.labels.firstIndex(of: "b"))
        let test = try #require(split.columns.firstIndex(of: "test"))
        // expected(b, test) = 101 * 101 / 301 ≈ 33.9; 1 < 5% of that.
        #expect(split.cells[b][test].isThin)
        #expect(!Coverage(acc, thinFraction: 0.01).crossTab("split")!.cells[b][test].isThin)
        let lang = try #require(c.crossTab("lang"))
        let de = try #require(lang.columns.firstIndex(of: "de"))
        #expect(lang.cells[lang.labels.firstIndex(of: "b")!][de].isEmpty)
        #expect(c.crossTabFields == [])  // no field stats were added, so nothing to list
    }

    @Test func emptyCellsWhereNoRecordWasExpectedAreNotFlagged() throws {
        var acc = accumulator(["train": ["a": 300, "b": 3]])
        acc.labelByValue["lang"] = ["en": ["a": 250, "b": 3], "de": ["a": 50], "fr": ["a": 30]]
        acc.labelByValue["lang"]!["en"]![StatsAccumulator.missingLabel] = 5
        let lang = try #require(Coverage(acc, thinFraction: 0.05).crossTab("lang"))
        let b = try #require(lang.labels.firstIndex(of: "b"))
        let de = try #require(lang.columns.firstIndex(of: "de")), fr = try #require(lang.columns.firstIndex(of: "fr"))
        // expected(b, de) = 3 * 50 / 338 ≈ 0.44 and (b, fr) ≈ 0.27: empty, but no gap.
        #expect(lang.cells[b][de].isEmpty && !lang.isFlagged(b, de))
        #expect(!lang.isFlagged(b, fr))
        // The row of records without a label is never flagged (its de and fr cells are empty).
        let missing = try #require(lang.labels.firstIndex(of: StatsAccumulator.missingLabel))
        #expect(lang.cells[missing][de].isEmpty && !lang.isFlagged(missing, de))
        #expect(lang.flaggedCells == 0)
        // With more b records, (b, de) is expected ~4.3 times: now a gap, in every view.
        acc.labelByValue["lang"]!["en"]!["b"] = 30
        let more = try #require(Coverage(acc, thinFraction: 0.05).crossTab("lang"))
        #expect(more.isFlagged(more.labels.firstIndex(of: "b")!, de))
        #expect(more.flaggedCells == 2)
    }

    @Test func samplesShowTheInjectedGaps() throws {
        let (d, acc) = try scan([repoRoot.appendingPathComponent("samples/tickets.jsonl").path])
        let report = StatsReport(dataset: d, acc: acc)
        let cov = report.coverage
        let legal = try #require(cov.splitComparison?.rows.first { $0.label == "legal" })
        #expect(legal.absentIn == ["test"])
        #expect(cov.crossTabFields.contains("lang"))
        #expect(cov.crossTabFields.contains("meta.annotator"))
        #expect(!cov.crossTabFields.contains("id"))
        let split = try #require(cov.crossTab("split"))
        #expect(split.cells[split.labels.firstIndex(of: "legal")!][split.columns.firstIndex(of: "test")!].isEmpty)
        // Per-label lengths add up to the overall ones.
        #expect(acc.textCharsByLabel.values.map(\.total).reduce(0, +) == acc.textChars.total)
        #expect(acc.labelByValue["lang"]?.values.map { $0.values.reduce(0, +) }.reduce(0, +) == acc.records)
        let md = report.markdown()
        #expect(md.contains("## Coverage gaps"))
        #expect(md.contains("| split | test | legal | 0 |"))
    }

    @Test func mixedTypesAreFlagged() throws {
        let dir = TempDir()
        let p = dir.write("m.jsonl", "{\"text\":\"a\",\"n\":1}\n{\"text\":\"b\",\"n\":\"two\"}\n")
        let (_, acc) = try scan([p])
        #expect(Coverage(acc).fieldFlags.contains { $0.path == "n" && $0.problem.hasPrefix("mixed types") })
    }

    @Test func banking77SmallTrainClassesAreFlagged() throws {
        let (_, acc) = try scan([sharedData.appendingPathComponent("banking77").path])
        let sc = try #require(Coverage(acc).splitComparison)
        let flagged = Set(sc.rows.filter(\.differs).map(\.label))
        // 35 and 41 of 10,003 train records against 40 of 3,080 test records.
        #expect(flagged.contains("contactless_not_working"))
        #expect(flagged.contains("virtual_card_not_working"))
        #expect(!flagged.contains("card_payment_fee_charged"))
    }
}
