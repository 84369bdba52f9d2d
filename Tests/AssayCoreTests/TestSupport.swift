import Foundation
@testable import AssayCore

/// A temporary folder that removes itself.
final class TempDir {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    /// Write bytes to a file under the folder and return its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let u = url.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(bytes).write(to: u)
        return u.path
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, Array(text.utf8)) }
}

/// The repository root (Tests/AssayCoreTests/ is two levels below it).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// `../shared/data` beside the checkout, as CI has it.
let sharedData = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data")

/// Open and scan as `assay stats` does (JSON Lines indexed only for role inference),
/// returning the report's pieces.
func scan(_ paths: [String], _ configure: (inout OpenOptions) -> Void = { _ in }) throws -> (Dataset, StatsAccumulator) {
    var o = OpenOptions()
    o.sampleIndexOnly = true
    configure(&o)
    let d = try Dataset.open(paths, options: o)
    return (d, StatsScan.run(d))
}

/// All records (or malformed slots) of a dataset, in order.
func allSlots(_ d: Dataset) -> [RecordResult] {
    d.waitForIndex()
    return (0..<d.recordCount).map { d.record(at: $0) }
}

/// Offset of the first byte that is not part of valid UTF-8, by the standard library's
/// decoder: the reference for `UTF8Validation.firstInvalid`.
func firstInvalidUTF8Reference(_ bytes: [UInt8]) -> Int? {
    var parser = Unicode.UTF8.ForwardParser()
    var it = bytes.makeIterator()
    var offset = 0
    while true {
        switch parser.parseScalar(from: &it) {
        case .valid(let s): offset += s.count
        case .emptyInput: return nil
        case .error: return offset
        }
    }
}
