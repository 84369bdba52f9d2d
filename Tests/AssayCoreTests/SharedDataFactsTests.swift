import Foundation
import Testing
@testable import AssayCore

/// The real datasets in ../shared/data must give exactly the counts in FACTS.md,
/// with at most role and format flags.
@Suite struct SharedDataFactsTests {
    func path(_ p: String) -> String { sharedData.appendingPathComponent(p).path }

    @Test func sharedDataIsBesideTheCheckout() {
        #expect(FileManager.default.fileExists(atPath: path("FACTS.md")),
                "../shared/data must be beside the checkout (CI has it); looked in \(sharedData.path)")
    }

    @Test func smsSpamCollection() throws {
        let (d, acc) = try scan([path("sms_spam_collection")])
        #expect(d.files.count == 1)
        #expect(acc.records == 5574)
        #expect(acc.malformed.isEmpty)
        #expect(acc.labels == ["ham": 4827, "spam": 747])
        #expect(d.roles.label == "col1")
        #expect(d.roles.text == ["col2"])
        #expect(d.skipped.map { ($0.path as NSString).lastPathComponent }.sorted() == ["PROVENANCE.md", "readme"])
    }

    @Test func sentimentLabelledSentences() throws {
        let (d, acc) = try scan([path("sentiment_labelled_sentences")]) { $0.sourceFrom = .file }
        #expect(d.files.count == 3)
        #expect(acc.records == 3000)
        #expect(acc.labels == ["0": 1500, "1": 1500])
        #expect(acc.sources == ["amazon": 1000, "imdb": 1000, "yelp": 1000])
        #expect(acc.labelBySource["imdb"] == ["0": 500, "1": 500])
        // U+0085 inside imdb sentences is text, not a line break.
        let imdb = try scan([path("sentiment_labelled_sentences/imdb_labelled.txt")]).1
        #expect(imdb.records == 1000)
    }

    @Test func nusaxAllLanguagesPooled() throws {
        let (d, acc) = try scan([path("nusax_sentiment")]) { $0.sourceFrom = .dir }
        #expect(d.files.count == 36)
        #expect(acc.records == 12000)
        #expect(acc.malformed.isEmpty)
        #expect(acc.labels == ["negative": 4596, "positive": 4536, "neutral": 2868])
        #expect(acc.splits == ["train": 6000, "test": 4800, "valid": 1200])
        #expect(acc.sources.count == 12)
        #expect(acc.sources.values.allSatisfy { $0 == 1000 })
        #expect(acc.labelBySplit["train"] == ["negative": 192 * 12, "positive": 189 * 12, "neutral": 119 * 12])
        #expect(acc.labelBySplit["valid"] == ["negative": 38 * 12, "positive": 38 * 12, "neutral": 24 * 12])
        #expect(acc.labelBySplit["test"] == ["negative": 153 * 12, "positive": 151 * 12, "neutral": 96 * 12])
    }

    @Test func nusaxEmbeddedNewlinesAreOneRecord() throws {
        // toba_batak/train.csv has 520 LF characters but 500 records plus the header.
        let (_, acc) = try scan([path("nusax_sentiment/toba_batak/train.csv")])
        #expect(acc.records == 500)
        #expect(acc.labels == ["negative": 192, "positive": 189, "neutral": 119])
    }

    @Test func banking77() throws {
        let (d, acc) = try scan([path("banking77")])
        #expect(acc.records == 13083)
        #expect(acc.labels.count == 77)
        #expect(acc.splits == ["train": 10003, "test": 3080])
        #expect(acc.labels["card_payment_fee_charged"] == 227)
        #expect(acc.labels["contactless_not_working"] == 75)
        #expect(acc.labels["virtual_card_not_working"] == 81)
        #expect(acc.labels["card_acceptance"] == 99)
        #expect(acc.labelBySplit["train"]?["card_payment_fee_charged"] == 187)
        #expect(acc.labelBySplit["test"]?.values.allSatisfy { $0 == 40 } == true)
        #expect(d.roles.label == "category")
        #expect(d.skipped.contains { $0.path.hasSuffix("categories.json") })
    }

    @Test func banking77SmallestAndLargestClassesMatchFactsMd() throws {
        // FACTS.md lists the five largest and three smallest pooled classes; read them from there.
        let facts = try String(contentsOf: sharedData.appendingPathComponent("FACTS.md"), encoding: .utf8)
        let line = try #require(facts.split(separator: "\n").first { $0.hasPrefix("- pooled train+test: 77 classes") })
        let lists = try #require(line.split(separator: "classes;").last)
        var expected: [String: Int] = [:]
        for m in lists.matches(of: /([A-Za-z_]+): (\d+)/) { expected[String(m.1)] = Int(m.2) }
        #expect(expected.count >= 8)
        let (_, acc) = try scan([path("banking77")])
        for (label, count) in expected { #expect(acc.labels[label] == count, "\(label)") }
    }

    @Test func selfInstructSeedTasks() throws {
        let (_, acc) = try scan([path("self_instruct/seed_tasks.jsonl")]) {
            $0.roles = RoleOverrides(text: ["instruction"], label: "is_classification")
        }
        #expect(acc.records == 175)
        #expect(acc.labels == ["false": 149, "true": 26])
        #expect(acc.fields["instances"]?.arrayLengths.pairs.map { [$0.value, $0.count] } == [[1, 175]])
    }

    @Test func selfInstructUserOriented() throws {
        let (_, acc) = try scan([path("self_instruct/user_oriented_instructions.jsonl")]) {
            $0.roles = RoleOverrides(text: ["instruction"], label: "motivation_app")
        }
        #expect(acc.records == 252)
        #expect(acc.labels.count == 71)
        #expect(acc.labels["Grammarly"] == 10)
        #expect(acc.labels["merriam-webster.com"] == 10)
        #expect(acc.labels["Doulingo"] != nil)
        #expect(acc.labels["yelp"] == 1)
    }
}
