import Foundation

/// Recursive-descent parser for `FilterExpression`.
struct FilterParser {
    private let tokens: [FilterToken]
    private var i = 0
    private let textLength: Int

    init(_ text: String) throws(FilterSyntaxError) {
        tokens = try FilterLexer.tokenize(text)
        textLength = text.count
    }

    private var current: FilterToken { tokens[i] }

    private mutating func advance() -> FilterToken {
        let t = tokens[i]
        if i < tokens.count - 1 { i += 1 }
        return t
    }

    private func isOp(_ s: String) -> Bool {
        if case .op(let o) = current.kind { return o == s }
        return false
    }

    private func isWord(_ w: String) -> Bool {
        if case .identifier(let name) = current.kind { return name.lowercased() == w }
        return false
    }

    private func describe(_ t: FilterToken) -> String {
        switch t.kind {
        case .identifier(let s): "'\(s)'"
        case .string: "a string"
        case .number(let n): "'\(n)'"
        case .op(let o): "'\(o)'"
        case .end: "end of expression"
        }
    }

    mutating func parseAll() throws(FilterSyntaxError) -> FilterNode {
        if current.kind == .end {
            throw FilterSyntaxError(position: 0, message: "empty expression")
        }
        let node = try parseOr()
        guard current.kind == .end else {
            if isOp(")") {
                throw FilterSyntaxError(position: current.position, message: "unmatched ')'")
            }
            throw FilterSyntaxError(
                position: current.position,
                message: "expected '&&', '||' or end of expression, found \(describe(current))")
        }
        return node
    }

    private mutating func parseOr() throws(FilterSyntaxError) -> FilterNode {
        var left = try parseAnd()
        while isOp("||") || isWord("or") {
            _ = advance()
            let right = try parseAnd()
            left = .or(left, right)
        }
        return left
    }

    private mutating func parseAnd() throws(FilterSyntaxError) -> FilterNode {
        var left = try parseNot()
        while isOp("&&") || isWord("and") {
            _ = advance()
            let right = try parseNot()
            left = .and(left, right)
        }
        return left
    }

    private mutating func parseNot() throws(FilterSyntaxError) -> FilterNode {
        if isOp("!") || isWord("not") {
            _ = advance()
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(FilterSyntaxError) -> FilterNode {
        let left = try parseOperand()
        guard case .op(let o) = current.kind else { return left }
        let node: FilterNode
        switch o {
        case "~", "!~":
            _ = advance()
            let patternToken = current
            guard case .string(let pattern) = patternToken.kind else {
                throw FilterSyntaxError(
                    position: patternToken.position,
                    message: "expected a quoted regular expression after '\(o)', found \(describe(patternToken))")
            }
            _ = advance()
            let regex: NSRegularExpression
            do {
                regex = try NSRegularExpression(pattern: pattern, options: [])
            } catch {
                throw FilterSyntaxError(position: patternToken.position, message: "invalid regular expression")
            }
            node = .match(left, SharedRegex(regex, pattern: pattern), negated: o == "!~")
        default:
            guard let op = FilterNode.CompareOp(rawValue: o) else { return left }
            _ = advance()
            let right = try parseOperand()
            node = .compare(left, op, right)
        }
        if case .op(let next) = current.kind, ["==", "!=", "<", "<=", ">", ">=", "~", "!~"].contains(next) {
            throw FilterSyntaxError(
                position: current.position,
                message: "comparisons can't be chained; join them with '&&'")
        }
        return node
    }

    private mutating func parseOperand() throws(FilterSyntaxError) -> FilterNode {
        let t = current
        switch t.kind {
        case .op("("):
            _ = advance()
            let inner = try parseOr()
            guard isOp(")") else {
                throw FilterSyntaxError(position: current.position, message: "expected ')'")
            }
            _ = advance()
            return inner
        case .string(let s):
            _ = advance()
            return .literal(.string(s))
        case .number(let n):
            _ = advance()
            return .literal(.number(Double(n) ?? .nan, text: n))
        case .identifier(let name):
            _ = advance()
            if isOp("(") {
                return try parseCall(name: name, token: t)
            }
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            default: return .field(name)
            }
        case .end:
            throw FilterSyntaxError(position: t.position, message: "expected a value")
        case .op(let o):
            throw FilterSyntaxError(position: t.position, message: "expected a value, found '\(o)'")
        }
    }

    private mutating func parseCall(name: String, token: FilterToken) throws(FilterSyntaxError) -> FilterNode {
        guard let fn = FilterFunction(rawValue: name.lowercased()) else {
            let known = FilterFunction.allCases.map(\.rawValue).joined(separator: ", ")
            throw FilterSyntaxError(position: token.position, message: "unknown function '\(name)' (known: \(known))")
        }
        _ = advance()  // (
        let argToken = current
        if isOp(")") {
            throw FilterSyntaxError(position: argToken.position, message: "\(fn.rawValue)() needs an argument")
        }
        let arg = try parseOr()
        if fn == .missing || fn == .has {
            guard case .field = arg else {
                throw FilterSyntaxError(position: argToken.position, message: "\(fn.rawValue)() takes a field name")
            }
        }
        guard isOp(")") else {
            throw FilterSyntaxError(position: current.position, message: "expected ')'")
        }
        _ = advance()
        return .call(fn, arg)
    }
}
