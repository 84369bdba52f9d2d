import Foundation

/// The repository root (Tests/AssayCLITests/ is two levels below it).
let cliRepoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `assay` executable built beside the test bundle.
func assayBinary() -> URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<6 {
        let candidate = dir.appendingPathComponent("assay")
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
            return candidate
        }
        dir = dir.deletingLastPathComponent()
    }
    // `swift test` puts the bundle in .build/<triple>/debug/; the binary is there too.
    return cliRepoRoot.appendingPathComponent(".build/debug/assay")
}

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Run `assay` with arguments (no TTY; stdin from /dev/null, or a pipe carrying `input`),
/// from the repository root.
func runAssay(_ args: [String], input: Data? = nil) throws -> RunResult {
    let p = Process()
    p.executableURL = assayBinary()
    p.arguments = args
    p.currentDirectoryURL = cliRepoRoot
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let inPipe = Pipe()
    p.standardInput = input == nil ? FileHandle.nullDevice : inPipe
    try p.run()
    if let input {
        let writer = inPipe.fileHandleForWriting
        Thread {
            try? writer.write(contentsOf: input)
            try? writer.close()
        }.start()
    }
    // Read both pipes concurrently so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    return RunResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}
