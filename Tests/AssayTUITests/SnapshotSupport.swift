import AssayCore
import Foundation
import SnapshotTesting
import Testing
@testable import AssayTUI

extension Snapshotting where Value == ScreenBuffer, Format == String {
    /// The screen as text (trailing spaces trimmed), framed so blank rows show.
    static var screen: Snapshotting {
        Snapshotting<String, String>.lines.pullback { buffer in
            let border = "+" + String(repeating: "-", count: buffer.size.width) + "+"
            let rows = buffer.lines.map { line -> String in
                var l = Substring(line)
                while l.last == " " { l = l.dropLast() }
                return "|" + l
            }
            return ([border] + rows + [border]).joined(separator: "\n") + "\n"
        }
    }
}

/// Compares `buffer` with `__Snapshots__/<file>/<test>.<name>.txt`.
/// `ASSAY_RECORD_SNAPSHOTS=1 swift test --filter AssayTUITests` re-records them all;
/// a missing snapshot is recorded and the test fails once.
func assertScreen(_ buffer: ScreenBuffer, named name: String,
                  fileID: StaticString = #fileID, file: StaticString = #filePath,
                  testName: String = #function, line: UInt = #line, column: UInt = #column) {
    let record: SnapshotTestingConfiguration.Record =
        ProcessInfo.processInfo.environment["ASSAY_RECORD_SNAPSHOTS"] == "1" ? .all : .missing
    withSnapshotTesting(record: record) {
        assertSnapshot(of: buffer, as: .screen, named: name, fileID: fileID, file: file,
                       testName: testName, line: line, column: column)
    }
}

/// A driver on a `FakeSource` with a memory backend; scans run inline.

func makeDriver(size: Size = Size(width: 80, height: 24), source: FakeSource = FakeSource(),
                malformed: @escaping @Sendable () -> [MalformedRecord]? = { nil }) -> AppDriver {
    let backend = MemoryBackend(size: size)
    let driver = AppDriver(source: source, backend: backend, theme: .standard, malformed: malformed, runScansInline: true)
    driver.start()
    return driver
}
