/// The value of one field, as parsed from any format (JSON, CSV, TSV, line regex).
///
/// Numbers keep the text they were written with, so `1.0` and `1` stay distinct
/// and nothing is lost to floating point. CSV and TSV cells are always `.string`.
public indirect enum FieldValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([FieldValue])
    case object([Member])

    /// One key/value pair of an object, in file order (duplicate keys are kept).
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: FieldValue
        public init(_ key: String, _ value: FieldValue) {
            self.key = key
            self.value = value
        }
    }

    /// The kind of value, as named in stats output.
    public var kind: FieldKind {
        switch self {
        case .null: .null
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// A one-line rendering: strings as they are, scalars as JSON writes them,
    /// arrays and objects as compact JSON. Control characters are NOT escaped here;
    /// a UI must sanitise before display.
    public var displayText: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n
        case .string(let s): s
        case .array, .object: compactJSON
        }
    }

    /// Compact JSON text of the value.
    public var compactJSON: String {
        var out = ""
        JSONWriter.write(self, into: &out)
        return out
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Members of an object (empty for other kinds).
    public var members: [Member] {
        if case .object(let m) = self { return m }
        return []
    }

    /// The first member named `key`, if this is an object.
    public subscript(key: String) -> FieldValue? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The value at a dotted path such as `meta.url` or `instances[0].output`.
    /// A top-level key that itself contains dots (`meta.url` written flat) is found too.
    public func value(at path: String) -> FieldValue? {
        if let direct = self[path] { return direct }
        return value(at: FieldPath(path))
    }

    public func value(at path: FieldPath) -> FieldValue? {
        var current = self
        for (k, step) in path.steps.enumerated() {
            switch step {
            case .key(let k):
                guard let next = current[k] else { return nil }
                current = next
            case .index(let i):
                guard case .array(let items) = current, i >= 0, i < items.count else { return nil }
                current = items[i]
            case .anyIndex:
                // The first element that has the rest of the path.
                guard case .array(let items) = current else { return nil }
                let rest = FieldPath(steps: Array(path.steps[(k + 1)...]))
                return items.lazy.compactMap { $0.value(at: rest) }.first
            }
        }
        return current
    }

    /// Leaf fields by dotted path, in file order. Arrays of scalars are one leaf
    /// (the array); arrays of objects are descended as `name[i].child`.
    public func leaves(prefix: String = "") -> [(path: String, value: FieldValue)] {
        var out: [(path: String, value: FieldValue)] = []
        collectLeaves(prefix: prefix, into: &out)
        return out
    }

    private func collectLeaves(prefix: String, into out: inout [(path: String, value: FieldValue)]) {
        switch self {
        case .object(let members) where !members.isEmpty:
            for m in members {
                let p = prefix.isEmpty ? m.key : prefix + "." + m.key
                m.value.collectLeaves(prefix: p, into: &out)
            }
        case .array(let items) where items.contains(where: { $0.isContainer }):
            for (i, item) in items.enumerated() {
                item.collectLeaves(prefix: "\(prefix)[\(i)]", into: &out)
            }
        default:
            out.append((prefix, self))
        }
    }

    /// Arrays and objects.
    public var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }
}

/// The kinds of value a field can hold.
public enum FieldKind: String, Sendable, CaseIterable, Comparable, BitwiseCopyable {
    case null, bool, number, string, array, object

    public static func < (a: FieldKind, b: FieldKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A parsed dotted path: `meta.url`, `instances[0].output`, or `instances[].output`
/// (any element: the first that has the rest of the path).
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
        case anyIndex
    }

    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    public init(_ text: String) {
        var steps: [Step] = []
        var current = ""
        var chars = Substring(text)
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "." {
                if !current.isEmpty { steps.append(.key(current)) }
                current = ""
            } else if c == "[" {
                if !current.isEmpty { steps.append(.key(current)) }
                current = ""
                let digits = chars.prefix(while: { $0.isASCII && $0.isNumber })
                if digits.isEmpty, chars.first == "]" {
                    steps.append(.anyIndex)
                    chars = chars.dropFirst()
                } else if let n = Int(digits), chars.dropFirst(digits.count).first == "]" {
                    steps.append(.index(n))
                    chars = chars.dropFirst(digits.count + 1)
                } else {
                    current = "["
                }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { steps.append(.key(current)) }
        self.steps = steps
    }

    /// `path` with every element number as `[]` (`instances[0].output` →
    /// `instances[].output`), as the Fields table and the scan's trie spell paths.
    public static func anyElement(_ path: String) -> String {
        path.replacing(/\[\d+\]/, with: "[]")
    }

    /// Every path that leaf paths (`Record` leaves: `meta.url`, `instances[0].output`)
    /// reach, to tell whether a path a user typed names a field: each leaf and each
    /// container above it (`meta`, `instances[0]`, `instances`), as written and with
    /// element numbers as `[]`.
    public static func reachable(from leaves: some Sequence<String>) -> Set<String> {
        var paths = Set<String>()
        for leaf in leaves {
            var p = leaf
            while !p.isEmpty, paths.insert(p).inserted {
                paths.insert(anyElement(p))
                guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
                p = String(p[..<cut])
            }
        }
        return paths
    }

    public var description: String {
        var out = ""
        for step in steps {
            switch step {
            case .key(let k): out += out.isEmpty ? k : "." + k
            case .index(let i): out += "[\(i)]"
            case .anyIndex: out += "[]"
            }
        }
        return out
    }
}
