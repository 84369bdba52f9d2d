import AssayCore

/// Writes filter expressions (the language of `FilterExpression`) for drill-downs,
/// so the Labels pane can show the user the exact filter it applies.
public enum FilterText {
    static let keywords: Set<String> = ["and", "or", "not", "true", "false", "null"]

    /// A field path as the filter language reads it: bare when it can be, else in
    /// backticks; nil for paths no expression can name (array elements, `tags[]`).
    public static func field(_ path: String) -> String? {
        if path.isEmpty || path.contains("[]") { return nil }
        if isBare(path) { return path }
        return path.contains("`") ? nil : "`" + path + "`"
    }

    /// A path that reaches array elements (`meta.tags[]`), for comparisons that hold when
    /// any element matches; nil when it cannot be written bare.
    public static func anyElement(_ path: String) -> String? {
        guard path.contains("[]") else { return field(path) }
        return isBare(path.replacingOccurrences(of: "[]", with: "")) ? path : nil
    }

    /// `path == "value"` for a value of a cross-tab: for an element path, the records with
    /// any element equal to it (cross-tabs count such a record once).
    public static func crossValue(_ path: String, _ key: String) -> String? {
        guard path.contains("[]") else { return tableValue(path, key) }
        guard let f = anyElement(path), FieldStats.abbreviatedHash(key) == nil else { return nil }
        return f + " == " + string(key)
    }

    static func isBare(_ path: String) -> Bool {
        guard let first = path.first, first == "_" || first == "$" || first == "@" || first.isLetter else { return false }
        if keywords.contains(path.lowercased()) { return false }
        for c in path.dropFirst() where !(c == "_" || c == "$" || c == "@" || c.isLetter || c.isNumber || c == "." || c == "-") {
            return false
        }
        return !path.hasSuffix(".")
    }

    /// A double-quoted string literal for `s`.
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if TerminalText.isUnsafe(u) {
                    out += "\\u{" + String(u.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// `path == "value"`.
    public static func equals(_ path: String, _ value: String) -> String? {
        field(path).map { $0 + " == " + string(value) }
    }

    /// The records holding a value as a value table keys it: `path == "value"`, or for a
    /// long value kept as prefix and hash, `hash(path) == "hex"`.
    public static func tableValue(_ path: String, _ key: String) -> String? {
        guard let h = FieldStats.abbreviatedHash(key) else { return equals(path, key) }
        return field(path).map { "hash(\($0)) == " + string(h) }
    }

    /// Records whose role value is missing as the stats count it: absent, null, or
    /// (when the field holds any) blank strings.
    public static func missingRole(_ path: String, blanksSeen: Bool) -> String? {
        guard let f = field(path) else { return nil }
        return blanksSeen ? "missing(\(f)) || \(f) ~ \"^\\s*$\"" : "missing(\(f))"
    }
}
