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

    /// Records whose role value is missing as the stats count it: absent, null, or
    /// (when the field holds any) blank strings.
    public static func missingRole(_ path: String, blanksSeen: Bool) -> String? {
        guard let f = field(path) else { return nil }
        return blanksSeen ? "missing(\(f)) || \(f) ~ \"^\\s*$\"" : "missing(\(f))"
    }
}
