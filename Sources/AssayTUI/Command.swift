/// Where a command applies. Keys are looked up in the innermost scope first
/// (prompt, then the open overlay, then the active pane), then `.global`.
public enum CommandScope: Hashable, Sendable, CustomStringConvertible {
    case global
    case pane(PaneID)
    case detail
    case help
    case malformedList
    case prompt

    public var description: String {
        switch self {
        case .global: "Global"
        case .pane(let id): id.title
        case .detail: "Record detail"
        case .help: "Help"
        case .malformedList: "Malformed lines"
        case .prompt: "Prompts (search, filter, jump)"
        }
    }
}

/// One command: the single record that ties keys to an action and documents it.
/// The key handler, the `?` help screen and the status-bar hints all read these.
public struct Command: Sendable {
    /// Stable name, `scope.verb` (`browse.down`).
    public var name: String
    public var keys: [Key]
    public var scope: CommandScope
    /// One line for the help screen.
    public var help: String
    /// A word or two for the status-bar hints; nil keeps it out of the hints.
    public var hint: String?
    /// How the keys read in the hint when not just the first key (`j/k`).
    public var hintKeys: String?
    public var action: Action

    public init(_ name: String, keys: [Key], scope: CommandScope, help: String, hint: String? = nil,
                hintKeys: String? = nil, action: Action) {
        self.name = name
        self.keys = keys
        self.scope = scope
        self.help = help
        self.hint = hint
        self.hintKeys = hintKeys
        self.action = action
    }

    /// Keys as shown in help: `j ↓`.
    public var keyLabel: String { keys.map(\.description).joined(separator: " ") }
}

/// All commands, in registration order.
public struct CommandTable: Sendable {
    public private(set) var commands: [Command] = []

    public init(_ commands: [Command] = []) {
        self.commands = commands
    }

    public mutating func register(_ more: [Command]) {
        commands.append(contentsOf: more)
    }

    /// The command bound to `key`, searching `scopes` in order.
    public func command(for key: Key, in scopes: [CommandScope]) -> Command? {
        for scope in scopes {
            if let c = commands.first(where: { $0.scope == scope && $0.keys.contains(key) }) { return c }
        }
        return nil
    }

    public func commands(in scope: CommandScope) -> [Command] {
        commands.filter { $0.scope == scope }
    }

    public func command(named name: String) -> Command? {
        commands.first { $0.name == name }
    }

    /// Scopes in first-registered order.
    public var scopes: [CommandScope] {
        var seen: [CommandScope] = []
        for c in commands where !seen.contains(c.scope) { seen.append(c.scope) }
        return seen
    }

    /// Keys bound twice within one scope (should be empty; tested).
    public var conflicts: [(scope: CommandScope, key: Key, names: [String])] {
        var out: [(scope: CommandScope, key: Key, names: [String])] = []
        for scope in scopes {
            var byKey: [Key: [String]] = [:]
            var order: [Key] = []
            for c in commands(in: scope) {
                for k in c.keys {
                    if byKey[k] == nil { order.append(k) }
                    byKey[k, default: []].append(c.name)
                }
            }
            for k in order where byKey[k]!.count > 1 { out.append((scope, k, byKey[k]!)) }
        }
        return out
    }

    /// `key label  hint` pairs for the status bar, for the given scopes.
    public func hints(in scopes: [CommandScope]) -> [(keys: String, hint: String)] {
        var out: [(keys: String, hint: String)] = []
        var seenHints = Set<String>()
        var seenKeys = Set<String>()
        for scope in scopes {
            for c in commands(in: scope) {
                guard let h = c.hint, !seenHints.contains(h) else { continue }
                let keys = c.hintKeys ?? c.keys.first?.description ?? ""
                // An inner scope's use of a key hides the outer one's (q: back, not quit).
                guard !seenKeys.contains(keys) else { continue }
                seenHints.insert(h)
                seenKeys.insert(keys)
                out.append((keys, h))
            }
        }
        return out
    }
}
