import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the data files under the paths a user names.
enum FileDiscovery {
    struct Found {
        var files: [(path: String, fromFolder: Bool)] = []
        var skipped: [SkippedFile] = []
        /// Folders the user named.
        var folders: [String] = []
    }

    static let dataExtensions: Set<String> = ["jsonl", "ndjson", "json", "csv", "tsv", "tab", "txt", "psv", "dat", "data"]
    /// Files beside the data that describe it: Hugging Face's `save_to_disk` and cache files,
    /// and the `.truth.json` sidecars of generated corpora.
    static let metadataNames: Set<String> = ["dataset_info.json", "dataset_dict.json", "state.json"]
    static let docNames = ["readme", "license", "licence", "copying", "notice", "changelog", "provenance",
                           "facts", "authors", "contributing", "citation"]

    /// A file's identity: the same file named twice, or reached through a link, is read once.
    struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64

        init(_ st: stat) {
            device = UInt64(truncatingIfNeeded: st.st_dev)
            inode = UInt64(truncatingIfNeeded: st.st_ino)
        }
    }

    /// Why `stat` failed: errno.
    struct StatError: Error {
        let code: Int32
        /// The name as given holds U+FFFD: bytes that are not UTF-8, which a Swift string
        /// cannot hold, so the file cannot be named to open it.
        var nameNotUTF8 = false
        var isMissing: Bool { code == ENOENT }
        var reason: String {
            if isMissing && nameNotUTF8 { return "its name is not valid UTF-8, so assay cannot open it (rename it)" }
            return isMissing ? "no such file or directory" : "cannot read: \(String(cString: strerror(code)))"
        }
    }

    /// `stat` (following links) of `path`.
    static func status(_ path: String) -> Result<stat, StatError> {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return .failure(StatError(code: errno, nameNotUTF8: path.unicodeScalars.contains("\u{FFFD}")))
        }
        return .success(st)
    }

    static func isLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// What a file that is neither a regular file nor a folder is.
    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "named pipe"
        case S_IFSOCK: "socket"
        case S_IFCHR: "character device"
        case S_IFBLK: "block device"
        default: "unknown kind"
        }
    }

    /// Why a file or folder met again is skipped.
    static func repeated(_ path: String, _ first: String) -> String {
        path == first ? "already read" : "already read as \(first)"
    }

    /// The path that names standard input.
    public static let stdinPath = "-"

    static func discover(_ paths: [String]) -> Found {
        var found = Found()
        /// Where each file and folder was first taken from.
        var firstPath: [FileID: String] = [:]
        /// Whether `path` is met for the first time; if not, it is listed as skipped.
        func isFirst(_ path: String, _ id: FileID) -> Bool {
            if let first = firstPath[id] {
                found.skipped.append(SkippedFile(path: path, reason: repeated(path, first)))
                return false
            }
            firstPath[id] = path
            return true
        }
        for path in paths {
            let st: stat
            switch status(path == stdinPath ? "/dev/stdin" : path) {
            case .success(let s): st = s
            case .failure(let err):
                found.skipped.append(SkippedFile(path: path, reason: err.reason))
                continue
            }
            // A named pipe, a character device (/dev/stdin) or a regular file: read as named.
            guard isFirst(path, FileID(st)) else { continue }
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                found.files.append((path, false))
                continue
            }
            found.folders.append(path)
            let walk = walkFolder(path)
            if walk.files.isEmpty && walk.skipped.isEmpty {
                found.skipped.append(SkippedFile(path: path, reason: "folder holds no files"))
            }
            found.skipped += walk.skipped
            // A file that a link in the folder also reaches is read under the link's name
            // (Hugging Face's cache: snapshots/<rev>/train.jsonl -> ../../blobs/<hash>).
            var linkTo: [FileID: String] = [:]
            for f in walk.files where f.isLink && linkTo[f.id] == nil { linkTo[f.id] = f.path }
            for f in walk.files {
                if !f.isLink, let link = linkTo[f.id] {
                    found.skipped.append(SkippedFile(path: f.path, reason: "same file as the link \(link)"))
                } else if let why = skipReason(f.path) {
                    found.skipped.append(SkippedFile(path: f.path, reason: why))
                } else if isFirst(f.path, f.id) {
                    found.files.append((f.path, true))
                }
            }
        }
        return found
    }

    /// The regular files under `folder` (links followed, sorted by path), and the other
    /// kinds found there as skipped. Dotfiles and dot-folders are left out silently.
    static func walkFolder(_ folder: String) -> (files: [(path: String, id: FileID, isLink: Bool)], skipped: [SkippedFile]) {
        var files: [(path: String, id: FileID, isLink: Bool)] = []
        var skipped: [SkippedFile] = []
        guard let e = FileManager.default.enumerator(atPath: folder) else { return (files, skipped) }
        while let rel = e.nextObject() as? String {
            let isFolder = (e.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory
            if (rel as NSString).lastPathComponent.hasPrefix(".") {
                if isFolder { e.skipDescendants() }
                continue
            }
            if isFolder { continue }
            let full = (folder as NSString).appendingPathComponent(rel)
            let link = isLink(full)
            switch status(full) {
            case .success(let st):
                switch st.st_mode & S_IFMT {
                case S_IFREG: files.append((full, FileID(st), link))
                case S_IFDIR: continue  // a link to a folder is not followed
                default: skipped.append(SkippedFile(path: full, reason: "not a regular file (\(kindName(st.st_mode)))"))
                }
            case .failure(let err):
                skipped.append(SkippedFile(path: full, reason: err.isMissing && link ? "broken symbolic link" : err.reason))
            }
        }
        files.sort { $0.path < $1.path }
        skipped.sort { $0.path < $1.path }
        return (files, skipped)
    }

    /// A JSON document found in a folder that holds no records: an array of scalars (a list
    /// of label names, say), or an object whose arrays hold no objects, beside more keys
    /// that hold no array (metadata such as a truth file; not `{"train": [...]}` nor
    /// `{"version": ..., "data": [{...}]}`); nil when it does. Only small objects are read
    /// to tell: metadata is small.
    static func notRecords(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let open = bytes.firstIndex(where: { !Bytes.isSpace($0) && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }) else { return nil }
        if bytes[open] == UInt8(ascii: "{") {
            guard bytes.count <= 16 << 20,
                  case .object(let members)? = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[open...]))
            else { return nil }
            var arrays = 0
            for m in members {
                guard case .array(let items) = m.value else { continue }
                if items.contains(where: { if case .object = $0 { true } else { false } }) { return nil }
                arrays += 1
            }
            guard arrays > 0, members.count - arrays > arrays else { return nil }
            return "a JSON object of settings or metadata, not records (\(members.count - arrays) of its \(members.count) keys hold no array)"
        }
        guard bytes[open] == UInt8(ascii: "[") else { return nil }
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
        if metadataNames.contains(name) || name.hasSuffix(".truth.json") { return "metadata, not records" }
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
        // Standard input and devices have no name that says a split (/dev/stdin is not "dev").
        if path == FileDiscovery.stdinPath || path.hasPrefix("/dev/") || path.hasPrefix("/proc/") { return nil }
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
        if path == FileDiscovery.stdinPath { return "stdin" }
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
