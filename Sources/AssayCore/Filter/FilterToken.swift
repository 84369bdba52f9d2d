/// One token of a filter expression, with the character offset it starts at.
struct FilterToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case identifier(String)  // a field path (`meta.url`, `items[0].x`) or a function name
        case string(String)  // a quoted literal, escapes already decoded
        case number(String)  // the literal as written
        case op(String)  // == != < <= > >= ~ !~ && || ! ( ) ,
        case end
    }

    var kind: Kind
    /// 0-based character offset of the token's first character.
    var position: Int
    /// Length in characters as written (for error spans).
    var length: Int
}

/// Splits filter text into tokens. Positions are in `Character`s.
struct FilterLexer {
    private let chars: [Character]
    private var i = 0

    init(_ text: String) { chars = Array(text) }

    static func tokenize(_ text: String) throws(FilterSyntaxError) -> [FilterToken] {
        var lexer = FilterLexer(text)
        var out: [FilterToken] = []
        while true {
            let t = try lexer.next()
            out.append(t)
            if t.kind == .end { return out }
        }
    }

    private func peek(_ k: Int = 0) -> Character? {
        i + k < chars.count ? chars[i + k] : nil
    }

    private static func isIdentStart(_ c: Character) -> Bool {
        c == "_" || c == "$" || c == "@" || (c.isLetter)
    }

    private static func isIdentBody(_ c: Character) -> Bool {
        isIdentStart(c) || c.isNumber || c == "." || c == "-"
    }

    mutating func next() throws(FilterSyntaxError) -> FilterToken {
        while let c = peek(), c.isWhitespace { i += 1 }
        let start = i
        guard let c = peek() else { return FilterToken(kind: .end, position: i, length: 0) }

        func op(_ s: String, length: Int? = nil) -> FilterToken {
            let n = length ?? s.count
            i += n
            return FilterToken(kind: .op(s), position: start, length: n)
        }

        switch c {
        case "(", ")", ",": return op(String(c))
        case "~": return op("~")
        case "=":
            if peek(1) == "=" { return op("==") }
            if peek(1) == "~" { return op("~", length: 2) }  // `=~` as in Perl/Ruby
            // A single `=` is a common slip for `==`; accept it.
            return op("==", length: 1)
        case "!":
            if peek(1) == "=" { return op("!=") }
            if peek(1) == "~" { return op("!~") }
            return op("!")
        case "<":
            if peek(1) == "=" { return op("<=") }
            if peek(1) == ">" { return op("!=", length: 2) }
            return op("<")
        case ">":
            if peek(1) == "=" { return op(">=") }
            return op(">")
        case "&":
            if peek(1) == "&" { return op("&&") }
            throw FilterSyntaxError(position: start, message: "expected '&&'")
        case "|":
            if peek(1) == "|" { return op("||") }
            throw FilterSyntaxError(position: start, message: "expected '||'")
        case "\"", "'":
            return try string(quote: c)
        case "`":
            // A quoted field name: `my field`.
            i += 1
            var name = ""
            while let d = peek(), d != "`" {
                name.append(d)
                i += 1
            }
            guard peek() == "`" else {
                throw FilterSyntaxError(position: start, message: "unterminated field name")
            }
            i += 1
            if name.isEmpty { throw FilterSyntaxError(position: start, message: "empty field name") }
            return FilterToken(kind: .identifier(name), position: start, length: i - start)
        default:
            break
        }

        if c.isASCII && c.isNumber || (c == "-" || c == "+" || c == ".") && (peek(1)?.isASCII ?? false) && (peek(1)?.isNumber ?? false) {
            return number()
        }
        if Self.isIdentStart(c) {
            var name = ""
            while let d = peek() {
                if Self.isIdentBody(d) {
                    name.append(d)
                    i += 1
                } else if d == "[" {
                    // An array index inside a path: items[0].text, or items[].text for any element
                    var j = i + 1
                    var digits = ""
                    while j < chars.count, chars[j].isASCII, chars[j].isNumber {
                        digits.append(chars[j])
                        j += 1
                    }
                    // `[]` (no index) means "any element": tags[] == "x", items[].label == "y"
                    guard j < chars.count, chars[j] == "]" else { break }
                    name += "[" + digits + "]"
                    i = j + 1
                } else {
                    break
                }
            }
            return FilterToken(kind: .identifier(name), position: start, length: i - start)
        }
        throw FilterSyntaxError(position: start, message: "unexpected character '\(c)'")
    }

    private mutating func number() -> FilterToken {
        let start = i
        var text = ""
        if let c = peek(), c == "-" || c == "+" {
            if c == "-" { text.append(c) }
            i += 1
        }
        func digits() {
            while let d = peek(), d.isASCII, d.isNumber {
                text.append(d)
                i += 1
            }
        }
        digits()
        if peek() == ".", let n = peek(1), n.isASCII, n.isNumber {
            text.append(".")
            i += 1
            digits()
        }
        if let e = peek(), e == "e" || e == "E" {
            var j = 1
            if let s = peek(1), s == "+" || s == "-" { j = 2 }
            if let d = peek(j), d.isASCII, d.isNumber {
                for _ in 0..<j {
                    text.append(peek()!)
                    i += 1
                }
                digits()
            }
        }
        if text.hasPrefix(".") {
            text = "0" + text
        } else if text.hasPrefix("-.") {
            text = "-0" + text.dropFirst()
        }
        return FilterToken(kind: .number(text), position: start, length: i - start)
    }

    private mutating func string(quote: Character) throws(FilterSyntaxError) -> FilterToken {
        let start = i
        i += 1
        var out = ""
        while true {
            guard let c = peek() else {
                throw FilterSyntaxError(position: start, message: "unterminated string")
            }
            i += 1
            if c == quote { break }
            if c != "\\" {
                out.append(c)
                continue
            }
            let escPos = i - 1
            guard let e = peek() else {
                throw FilterSyntaxError(position: start, message: "unterminated string")
            }
            i += 1
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "0": out.append("\0")
            case "e": out.append("\u{1B}")
            case "\\", "\"", "'", "/", "`": out.append(e)
            case "u", "x":
                // \u{1F600}, \u00e9, \x1b
                var hex = ""
                if peek() == "{" {
                    i += 1
                    while let h = peek(), h.isHexDigit {
                        hex.append(h)
                        i += 1
                    }
                    guard peek() == "}" else {
                        throw FilterSyntaxError(position: escPos, message: "expected '}' in \\u{...} escape")
                    }
                    i += 1
                } else {
                    let want = e == "x" ? 2 : 4
                    while hex.count < want, let h = peek(), h.isHexDigit {
                        hex.append(h)
                        i += 1
                    }
                    guard hex.count == want else {
                        throw FilterSyntaxError(position: escPos, message: "expected \(want) hex digits after \\\(e)")
                    }
                }
                guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                    throw FilterSyntaxError(position: escPos, message: "invalid character code \\\(e)\(hex)")
                }
                out.unicodeScalars.append(scalar)
            default:
                // Keep unknown escapes as written, so regex escapes such as `\d` or `\.`
                // survive inside a pattern string.
                out.append("\\")
                out.append(e)
            }
        }
        return FilterToken(kind: .string(out), position: start, length: i - start)
    }
}
