/// A key press, independent of the terminal library.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (including space).
    case char(Character)
    /// Ctrl plus a letter, stored lowercase (`.ctrl("c")`).
    case ctrl(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, insert
    case function(Int)

    /// How the key is written in help and hints: `j`, `↓`, `PgDn`, `Ctrl-D`.
    public var description: String {
        switch self {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "Ctrl-" + c.uppercased()
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .insert: "Ins"
        case .function(let n): "F\(n)"
        }
    }

    /// Keys from a compact script, for tests and replay: plain characters stand for
    /// themselves, `\n` is Enter, and `<Down>`, `<PgDn>`, `<Esc>`, `<C-d>`, `<Tab>`,
    /// `<BS>`, `<F1>`... name the others.
    public static func sequence(_ script: String) -> [Key] {
        var out: [Key] = []
        var chars = Substring(script)
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\n" || c == "\r" {
                out.append(.enter)
            } else if c == "\u{1B}" {
                out.append(.escape)
            } else if c == "\t" {
                out.append(.tab)
            } else if c == "<", let close = chars.firstIndex(of: ">"), let k = named(String(chars[..<close])) {
                out.append(k)
                chars = chars[chars.index(after: close)...]
            } else {
                out.append(.char(c))
            }
        }
        return out
    }

    /// A key by name: `Down`, `PgDn`, `Esc`, `C-d`, `F1`, `Enter`, `Tab`, `S-Tab`, `BS`, `lt`.
    public static func named(_ name: String) -> Key? {
        switch name.lowercased() {
        case "up": return .up
        case "down": return .down
        case "left": return .left
        case "right": return .right
        case "pgup", "pageup": return .pageUp
        case "pgdn", "pagedown": return .pageDown
        case "home": return .home
        case "end": return .end
        case "enter", "cr", "ret": return .enter
        case "esc", "escape": return .escape
        case "tab": return .tab
        case "s-tab", "backtab": return .backTab
        case "bs", "backspace": return .backspace
        case "del", "delete": return .delete
        case "space": return .char(" ")
        case "lt": return .char("<")
        default: break
        }
        let lower = name.lowercased()
        if lower.hasPrefix("c-"), lower.count == 3, let c = lower.last { return .ctrl(c) }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), n > 0 { return .function(n) }
        return nil
    }
}
