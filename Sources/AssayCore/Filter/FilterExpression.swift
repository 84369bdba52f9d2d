import Foundation

/// A parsed filter expression such as `label == "spam" && len(text) < 20`.
///
/// The language, in order of binding (loosest first):
///
/// - `a || b`, `a or b`
/// - `a && b`, `a and b`
/// - `!a`, `not a` (binds looser than a comparison: `!label == "x"` is `!(label == "x")`)
/// - comparisons `== != < <= > >=`, regex match `~` and its negation `!~`
/// - operands: field paths (`label`, `meta.url`, `items[0].text`, `` `odd name` ``; `tags[]` and
///   `items[].label` reach every element, and a comparison or match on them holds when it holds
///   for any element),
///   strings (`"spam"`, `'spam'`, escapes `\n \t \" \\ \u{1F600} \x1b`), numbers,
///   `true`, `false`, `null`, function calls and parentheses.
///
/// Functions: `len(x)` (characters — Unicode scalars, as the stats count them — of a
/// string, items of an array, members of an object), `words(x)` (whitespace-separated
/// words), `missing(x)` (absent or null), `has(x)` (the opposite), `lower(x)`, `upper(x)`.
///
/// Field names: a bare `text`, `label`, `split`, `source` or `id` that the record does
/// not have refers to the field playing that role (see `Roles`); with several text
/// fields, `text` is their joined text.
///
/// Comparing: if both sides read as numbers they are compared as numbers (so CSV
/// cells, which are strings, compare numerically too); otherwise as text. A missing
/// field is not equal to anything (`==` is false, `!=` is true) and is never
/// ordered. `x ~ "re"` searches x's text with an ICU regular expression
/// (case-sensitive; start the pattern with `(?i)` to ignore case). A bare operand
/// used as a condition is true unless missing, null, false, 0 or "".
public struct FilterExpression: Sendable, CustomStringConvertible {
    /// The text it was parsed from.
    public let text: String
    let root: FilterNode

    /// Parses `text`; throws a `FilterSyntaxError` carrying the character position.
    public init(_ text: String) throws(FilterSyntaxError) {
        self.text = text
        var parser = try FilterParser(text)
        root = try parser.parseAll()
    }

    public var description: String { text }

    /// Whether `record` satisfies the expression.
    public func matches(_ record: Record, roles: Roles) -> Bool {
        let ctx = FilterContext(record: record, roles: roles)
        return root.evaluate(ctx).isTruthy
    }

    /// Whether a parsed-but-not-yet-evaluated record slot matches; malformed slots never do.
    public func matches(_ result: RecordResult, roles: Roles) -> Bool {
        guard case .record(let r) = result else { return false }
        return matches(r, roles: roles)
    }

    /// Field paths the expression reads, in order of first appearance.
    public var fieldReferences: [String] {
        var out: [String] = []
        root.collectFields(into: &out)
        return out
    }
}

/// A compiled regular expression that can be shared between threads
/// (NSRegularExpression is immutable and documented as thread-safe).
final class SharedRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    let pattern: String

    init(_ regex: NSRegularExpression, pattern: String) {
        self.regex = regex
        self.pattern = pattern
    }

    func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, options: [], range: NSRange(s.startIndex..., in: s)) != nil
    }
}

indirect enum FilterNode: Sendable {
    case or(FilterNode, FilterNode)
    case and(FilterNode, FilterNode)
    case not(FilterNode)
    case compare(FilterNode, CompareOp, FilterNode)
    case match(FilterNode, SharedRegex, negated: Bool)
    case field(String)
    case literal(FilterValue)
    case call(FilterFunction, FilterNode)

    enum CompareOp: String, Sendable {
        case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    }

    func collectFields(into out: inout [String]) {
        switch self {
        case .or(let a, let b), .and(let a, let b), .compare(let a, _, let b):
            a.collectFields(into: &out)
            b.collectFields(into: &out)
        case .not(let a), .match(let a, _, _), .call(_, let a):
            a.collectFields(into: &out)
        case .field(let f):
            if !out.contains(f) { out.append(f) }
        case .literal:
            break
        }
    }
}

enum FilterFunction: String, Sendable, CaseIterable {
    case len, words, missing, has, lower, upper, hash
}

/// A value while evaluating: a field's value, a literal, or a computed result.
enum FilterValue: Sendable {
    case missing
    case null
    case bool(Bool)
    case number(Double, text: String)
    case string(String)
    case container(FieldValue)

    init(_ v: FieldValue?) {
        guard let v else {
            self = .missing
            return
        }
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(Double(n) ?? .nan, text: n)
        case .string(let s): self = .string(s)
        case .array, .object: self = .container(v)
        }
    }

    var isTruthy: Bool {
        switch self {
        case .missing, .null: false
        case .bool(let b): b
        case .number(let d, _): d != 0 && !d.isNaN
        case .string(let s): !s.isEmpty
        case .container: true
        }
    }

    /// The number this value reads as, if any (strings that look like numbers count).
    var numeric: Double? {
        switch self {
        case .number(let d, _): return d.isNaN ? nil : d
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            guard !t.isEmpty, let d = Double(t), d.isFinite else { return nil }
            return d
        default: return nil
        }
    }

    /// Text form for `==` on mixed kinds and for regex matching.
    var text: String? {
        switch self {
        case .missing: nil
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(_, let t): t
        case .string(let s): s
        case .container(let v): v.displayText
        }
    }
}

struct FilterContext {
    let record: Record
    let roles: Roles

    /// Every value a path with `[]` reaches (`tags[]`, `items[].label`); one value otherwise.
    func lookupAll(_ path: String) -> [FilterValue] {
        guard path.contains("[]") else { return [lookup(path)] }
        return Self.elements(record.value, path[...]).map { FilterValue($0) }
    }

    static func elements(_ value: FieldValue, _ path: Substring) -> [FieldValue] {
        guard let r = path.range(of: "[]") else {
            let rest = path.hasPrefix(".") ? path.dropFirst() : path
            if rest.isEmpty { return [value] }
            return value.value(at: String(rest)).map { [$0] } ?? []
        }
        let head = path[..<r.lowerBound]
        let tail = path[r.upperBound...]
        let container = head.isEmpty ? value : value.value(at: String(head.hasPrefix(".") ? head.dropFirst() : head))
        guard case .array(let items)? = container else { return [] }
        return items.flatMap { elements($0, tail) }
    }

    /// Resolves a field path, falling back to the role of that name.
    func lookup(_ path: String) -> FilterValue {
        if path.contains("[]") {
            // Standing alone, `x[]` is the list of elements (true when there is one).
            let all = lookupAll(path).compactMap { v -> FieldValue? in
                switch v {
                case .missing: return nil
                case .null: return .null
                case .bool(let b): return .bool(b)
                case .number(_, let t): return .number(t)
                case .string(let s): return .string(s)
                case .container(let c): return c
                }
            }
            return all.isEmpty ? .missing : .container(.array(all))
        }
        if let v = record.field(path) { return FilterValue(v) }
        switch path {
        case "text":
            if let t = roles.text(of: record) { return .string(t) }
            return .missing
        case "label": return roleValue(roles.label)
        case "split": return roleValue(roles.split)
        case "source": return roleValue(roles.source)
        case "id": return roleValue(roles.id)
        default: return .missing
        }
    }

    private func roleValue(_ field: String?) -> FilterValue {
        guard let field else { return .missing }
        return FilterValue(record.field(field))
    }
}

extension FilterNode {
    /// The values a comparison sees: every element for a `x[]` field, else the one value.
    func operands(_ ctx: FilterContext) -> [FilterValue] {
        if case .field(let path) = self, path.contains("[]") { return ctx.lookupAll(path) }
        return [evaluate(ctx)]
    }

    func evaluate(_ ctx: FilterContext) -> FilterValue {
        switch self {
        case .or(let a, let b):
            return .bool(a.evaluate(ctx).isTruthy || b.evaluate(ctx).isTruthy)
        case .and(let a, let b):
            return .bool(a.evaluate(ctx).isTruthy && b.evaluate(ctx).isTruthy)
        case .not(let a):
            return .bool(!a.evaluate(ctx).isTruthy)
        case .field(let path):
            return ctx.lookup(path)
        case .literal(let v):
            return v
        case .match(let a, let regex, let negated):
            if case .field(let path) = a, path.contains("[]") {
                // Any element matches (for !~: no element matches).
                let any = ctx.lookupAll(path).contains { $0.nonNullText.map { regex.matches($0) } ?? false }
                return .bool(any != negated)
            }
            guard let s = a.evaluate(ctx).nonNullText else { return .bool(negated) }
            return .bool(regex.matches(s) != negated)
        case .compare(let a, let op, let b):
            let left = a.operands(ctx), right = b.operands(ctx)
            if left.count == 1 && right.count == 1 { return .bool(Self.compare(left[0], op, right[0])) }
            // With `x[]` on a side, the comparison holds when it holds for any element.
            return .bool(left.contains { l in right.contains { r in Self.compare(l, op, r) } })
        case .call(let fn, let arg):
            let v = arg.evaluate(ctx)
            switch fn {
            case .missing:
                if case .missing = v { return .bool(true) }
                if case .null = v { return .bool(true) }
                return .bool(false)
            case .has:
                if case .missing = v { return .bool(false) }
                if case .null = v { return .bool(false) }
                return .bool(true)
            case .len:
                switch v {
                case .missing, .null: return .missing
                // Characters as the stats count them: Unicode scalars (as Python's len()).
                case .string(let s):
                    let n = s.unicodeScalars.count
                    return .number(Double(n), text: String(n))
                case .container(.array(let items)): return .number(Double(items.count), text: String(items.count))
                case .container(.object(let m)): return .number(Double(m.count), text: String(m.count))
                case .bool, .number, .container:
                    let n = v.text?.count ?? 0
                    return .number(Double(n), text: String(n))
                }
            case .words:
                guard let t = v.nonNullText else { return .missing }
                let n = TextKernels.measure(t).words
                return .number(Double(n), text: String(n))
            case .hash:
                // The hash a value table keeps after the prefix of a long value (`… #hex`).
                guard let t = v.nonNullText else { return .missing }
                return .string(StableHash.hex(StableHash.hash(t)))
            case .lower:
                guard let t = v.nonNullText else { return v }
                return .string(t.lowercased())
            case .upper:
                guard let t = v.nonNullText else { return v }
                return .string(t.uppercased())
            }
        }
    }

    static func compare(_ a: FilterValue, _ op: CompareOp, _ b: FilterValue) -> Bool {
        if case .missing = a { return op == .ne }
        if case .missing = b { return op == .ne }
        switch op {
        case .eq: return equal(a, b)
        case .ne: return !equal(a, b)
        case .lt, .le, .gt, .ge:
            let order: Int
            if let x = a.numeric, let y = b.numeric {
                order = x < y ? -1 : (x > y ? 1 : 0)
            } else if case .string(let x) = a, case .string(let y) = b {
                order = x < y ? -1 : (x > y ? 1 : 0)
            } else {
                return false
            }
            switch op {
            case .lt: return order < 0
            case .le: return order <= 0
            case .gt: return order > 0
            default: return order >= 0
            }
        }
    }

    static func equal(_ a: FilterValue, _ b: FilterValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        default: break
        }
        // Two strings are equal only as written (`"1" != "1.0"`, so drill-downs on labels
        // such as `01` are exact); with a number on either side, numbers compare by value.
        if case .string(let x) = a, case .string(let y) = b { return x == y }
        if let x = a.numeric, let y = b.numeric { return x == y }
        return a.text == b.text
    }
}

extension FilterValue {
    /// Text of the value, or nil when it is missing or null.
    var nonNullText: String? {
        switch self {
        case .missing, .null: nil
        default: text
        }
    }
}
