/// `--line-regex`: a regular expression whose named capture groups become fields.
struct LineRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    let names: [String]

    struct NoNamedGroups: Error, CustomStringConvertible {
        var description: String { "the expression has no named groups, e.g. (?<label>\\w+)\\t(?<text>.*)" }
    }

    init(_ pattern: String) throws {
        regex = try Regex(pattern)
        names = RegexNames.named(in: pattern)
        if names.isEmpty { throw NoNamedGroups() }
    }

    /// Field values by group name for a whole-line match; nil if the line does not match.
    func match(_ line: String) -> [(name: String, value: String?)]? {
        guard let m = try? regex.wholeMatch(in: line) else { return nil }
        return names.map { name in (name, m.output[name]?.substring.map(String.init)) }
    }
}

enum RegexNames {
    /// Names of `(?<name>...)` and `(?P<name>...)` groups, in pattern order.
    static func named(in pattern: String) -> [String] {
        var names: [String] = []
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            if chars[i] == "\\" { i += 2; continue }
            if chars[i] == "(", i + 2 < chars.count, chars[i + 1] == "?" {
                var j = i + 2
                if j < chars.count, chars[j] == "P" { j += 1 }
                if j < chars.count, chars[j] == "<" {
                    var k = j + 1
                    var name = ""
                    while k < chars.count, chars[k].isLetter || chars[k].isNumber || chars[k] == "_" {
                        name.append(chars[k])
                        k += 1
                    }
                    if !name.isEmpty, k < chars.count, chars[k] == ">" { names.append(name) }
                }
            }
            i += 1
        }
        return names
    }
}
