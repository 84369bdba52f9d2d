import Foundation

/// Finds the data files under the paths a user names.
enum FileDiscovery {
    struct Found {
        var files: [(path: String, fromFolder: Bool)] = []
        var skipped: [SkippedFile] = []
        /// Folders the user named.
        var folders: [String] = []
    }

    static let dataExtensions: Set<String> = ["jsonl", "ndjson", "json", "csv", "tsv", "tab", "txt", "psv", "dat", "data"]
    static let docNames = ["readme", "license", "licence", "copying", "notice", "changelog", "provenance",
                           "facts", "authors", "contributing", "citation"]

    static func discover(_ paths: [String]) -> Found {
        var found = Found()
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                found.skipped.append(SkippedFile(path: path, reason: "no such file or directory"))
                continue
            }
            guard isDir.boolValue else {
                found.files.append((path, false))
                continue
            }
            found.folders.append(path)
            var inFolder: [String] = []
            if let e = fm.enumerator(atPath: path) {
                while let rel = e.nextObject() as? String {
                    let name = (rel as NSString).lastPathComponent
                    if name.hasPrefix(".") {
                        if (e.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { e.skipDescendants() }
                        continue
                    }
                    let full = (path as NSString).appendingPathComponent(rel)
                    var sub: ObjCBool = false
                    guard fm.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue else { continue }
                    inFolder.append(full)
                }
            }
            inFolder.sort()
            if inFolder.isEmpty {
                found.skipped.append(SkippedFile(path: path, reason: "folder holds no files"))
            }
            for full in inFolder {
                if let why = skipReason(full) {
                    found.skipped.append(SkippedFile(path: full, reason: why))
                } else {
                    found.files.append((full, true))
                }
            }
        }
        return found
    }

    /// A JSON document whose top level is an array of scalars (a list of label names,
    /// say) holds no records; nil when it does.
    static func notRecords(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let open = bytes.firstIndex(where: { !Bytes.isSpace($0) && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }),
              bytes[open] == UInt8(ascii: "[") else { return nil }
        guard let first = bytes[(open + 1)...].firstIndex(where: { !Bytes.isSpace($0) }) else { return nil }
        let b = bytes[first]
        if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") { return nil }
        return "a JSON list of values, not records"
    }

    /// Why a file found in a folder is not data, or nil if it should be read.
    static func skipReason(_ path: String) -> String? {
        let name = (path as NSString).lastPathComponent.lowercased()
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        if ext == "md" || ext == "rst" || ext == "html" || ext == "pdf" { return "documentation" }
        if docNames.contains(where: { stem == $0 || stem.hasPrefix($0 + "_") || stem.hasPrefix($0 + "-") }) {
            return "documentation"
        }
        if ext.isEmpty { return nil }
        if dataExtensions.contains(ext) { return nil }
        if ["gz", "zst", "bz2", "xz", "zip", "parquet", "arrow", "feather"].contains(ext) {
            return "\(ext) files are not supported yet"
        }
        return "not a data file (.\(ext))"
    }
}

/// Split and source names taken from file and folder names.
public enum SplitNames {
    static let aliases: [String: String] = [
        "train": "train", "training": "train",
        "valid": "valid", "validation": "valid", "dev": "valid", "val": "valid",
        "test": "test", "testing": "test",
    ]

    /// `train` for `train.csv`, `train-00000-of-00002.jsonl`, `data/train/part-0.jsonl`; nil otherwise.
    public static func split(forPath path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().lastPathComponent.lowercased()
        if let s = split(inName: stem) { return s }
        // A folder gives the split only when its whole name is one (`data/test/part-0.jsonl`),
        // not when it merely contains the word (`/tmp/assay-test-1/x.jsonl`).
        return aliases[url.deletingLastPathComponent().lastPathComponent.lowercased()]
    }

    static func split(inName name: String) -> String? {
        let words = name.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        for w in words { if let s = aliases[w] { return s } }
        return nil
    }

    /// The source a file's folder (`dir`) or its file name's first word (`file`) gives.
    public static func source(forPath path: String, from: OpenOptions.SourceFrom) -> String {
        let url = URL(fileURLWithPath: path)
        switch from {
        case .dir:
            return url.deletingLastPathComponent().lastPathComponent
        case .file:
            let stem = url.deletingPathExtension().lastPathComponent
            return stem.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." || $0 == " " }).first.map(String.init) ?? stem
        }
    }
}
