/// Role overrides from the command line.
public struct RoleOverrides: Sendable, Hashable {
    public var text: [String]?
    public var label: String?
    public var split: String?
    public var source: String?
    public var id: String?
    public init(text: [String]? = nil, label: String? = nil, split: String? = nil, source: String? = nil, id: String? = nil) {
        self.text = text
        self.label = label
        self.split = split
        self.source = source
        self.id = id
    }
}

/// Decides which fields are the text, label, split, source and id: by name first,
/// then by shape (longest strings are the text, a low-cardinality field is the label).
public enum RoleInference {
    static let textNames = ["text", "content", "sentence", "body", "message", "document", "review", "instruction",
                            "prompt", "question", "utterance", "tweet", "comment", "input", "query", "title"]
    static let labelNames = ["label", "labels", "category", "class", "intent", "target", "sentiment", "gold",
                             "gold_label", "y", "tag", "classification", "verdict", "score"]
    static let splitNames = ["split", "subset", "partition", "fold"]
    static let sourceNames = ["source", "origin", "domain", "site", "dataset", "lang", "language"]
    static let idNames = ["id", "_id", "uid", "uuid", "guid", "idx", "doc_id", "record_id", "key"]

    /// What the sample says about one top-level leaf field.
    struct Profile {
        var path: String
        var order: Int
        var present = 0
        var strings = 0
        var scalars = 0
        var totalChars = 0
        var totalWords = 0
        var distinct = Set<String>()
        var avgChars: Double { strings == 0 ? 0 : Double(totalChars) / Double(strings) }
        var avgWords: Double { strings == 0 ? 0 : Double(totalWords) / Double(strings) }
    }

    public static func infer(sample: [Record], files: [DataFile], overrides: RoleOverrides) -> Roles {
        var profiles: [String: Profile] = [:]
        var order = 0
        for r in sample {
            for (path, value) in r.value.leaves() {
                if profiles[path] == nil {
                    profiles[path] = Profile(path: path, order: order)
                    order += 1
                }
                guard value != .null else { continue }
                profiles[path]!.present += 1
                switch value {
                case .string(let s):
                    profiles[path]!.strings += 1
                    profiles[path]!.scalars += 1
                    let m = TextKernels.measure(s)
                    profiles[path]!.totalChars += m.chars
                    profiles[path]!.totalWords += m.words
                    if profiles[path]!.distinct.count <= 1000 { profiles[path]!.distinct.insert(s) }
                case .bool, .number:
                    profiles[path]!.scalars += 1
                    if profiles[path]!.distinct.count <= 1000 { profiles[path]!.distinct.insert(value.displayText) }
                default: break
                }
            }
        }
        let all = profiles.values.sorted { $0.order < $1.order }
        let n = max(1, sample.count)
        var roles = Roles()
        var taken = Set<String>()

        func byName(_ names: [String], _ fits: (Profile) -> Bool) -> Profile? {
            for name in names {
                if let p = all.first(where: { $0.path.lowercased() == name && !taken.contains($0.path) && fits($0) }) {
                    return p
                }
            }
            return nil
        }
        let isLabelShaped: (Profile) -> Bool = { p in
            p.scalars > 0 && p.distinct.count >= 1 && p.distinct.count <= max(20, min(500, n / 2)) && p.avgWords < 6
        }

        // id
        if let id = overrides.id {
            roles.id = id
            roles.reasons["id"] = "set by --id"
        } else if let p = byName(idNames, { $0.scalars > 0 }) {
            roles.id = p.path
            roles.reasons["id"] = "named '\(p.path)'"
        }
        if let id = roles.id { taken.insert(id) }

        // split
        if let s = overrides.split {
            roles.split = s
            roles.reasons["split"] = "set by --split"
        } else if let p = byName(splitNames, { $0.distinct.count <= 20 && $0.scalars > 0 }) {
            roles.split = p.path
            // Names fill in the field only where records lack it: they are the reason when
            // every value seen is one of theirs.
            let fromNames = Set(files.compactMap(\.splitFromName))
            roles.reasons["split"] = p.path == Dataset.derivedSplitField && !sample.isEmpty
                && files.allSatisfy({ $0.splitFromName != nil }) && p.distinct.isSubset(of: fromNames)
                ? "from file names (\(fromNames.sorted().joined(separator: ", ")))"
                : "named '\(p.path)'"
        }
        if let s = roles.split { taken.insert(s) }

        // text
        if let t = overrides.text {
            roles.text = t
            roles.reasons["text"] = "set by --text"
        } else if let p = byName(textNames, { $0.strings > 0 }) {
            roles.text = [p.path]
            roles.reasons["text"] = "named '\(p.path)'"
        } else if let p = all.filter({ !taken.contains($0.path) && $0.strings > 0 && !isIdLike($0, n) })
                    .max(by: { $0.avgChars < $1.avgChars }) {
            roles.text = [p.path]
            roles.reasons["text"] = "longest strings (\(Int(p.avgChars.rounded())) characters on average)"
        }
        taken.formUnion(roles.text)

        // label
        if let l = overrides.label {
            roles.label = l
            roles.reasons["label"] = "set by --label"
        } else if let p = byName(labelNames, isLabelShaped) {
            roles.label = p.path
            roles.reasons["label"] = "named '\(p.path)'"
        } else if let p = all.filter({ !taken.contains($0.path) && isLabelShaped($0) && $0.distinct.count >= 2
                                       && !sourceNames.contains($0.path.lowercased()) })
                    .min(by: { ($0.distinct.count, $0.order) < ($1.distinct.count, $1.order) }) {
            roles.label = p.path
            roles.reasons["label"] = "few distinct values (\(p.distinct.count) in \(sample.count) sampled records)"
        }
        if let l = roles.label { taken.insert(l) }

        // source
        if let s = overrides.source {
            roles.source = s
            roles.reasons["source"] = "set by --source"
        } else if let p = byName(sourceNames, { $0.scalars > 0 && $0.distinct.count <= 1000 }) {
            roles.source = p.path
            let fromNames = Set(files.compactMap(\.sourceFromName))
            roles.reasons["source"] = p.path == Dataset.derivedSourceField && !fromNames.isEmpty && p.distinct.isSubset(of: fromNames)
                ? "from \(files.first?.sourceFromName != nil ? "file and folder names (--source-from)" : "names")"
                : "named '\(p.path)'"
        }
        return roles
    }

    /// Short unique tokens (ids, hashes, urls) are not text.
    static func isIdLike(_ p: Profile, _ n: Int) -> Bool {
        p.avgWords <= 1.05 && p.distinct.count >= min(n, 1000) * 9 / 10
    }
}
