/// A role's field path as the fast scan matches it against the paths of its trie, where
/// every array element is `[]`.
///
/// A path naming elements (`instances[0].output`, `grid[1][]`) matches the trie path with
/// `[]` for each (`instances[].output`) and holds a role value only at those elements;
/// any other path matches itself (`instances[].output`: every element, the first
/// in the record deciding, as `FieldValue.value(at:)` reads it).
struct RolePath: Equatable {
    /// As given.
    let path: String
    /// The trie path it matches.
    let triePath: String
    /// Per `[]` of `triePath`, outermost first: the element the value must be in (-1: any).
    /// Nil when the path names no element.
    let elements: [Int]?

    init(_ path: String) {
        self.path = path
        let steps = FieldPath(path).steps
        guard steps.contains(where: { if case .index = $0 { true } else { false } }) else {
            triePath = path
            elements = nil
            return
        }
        var trie = "", elements: [Int] = []
        for step in steps {
            switch step {
            case .key(let k): trie += trie.isEmpty ? k : "." + k
            case .index(let i): trie += "[]"; elements.append(i)
            case .anyIndex: trie += "[]"; elements.append(-1)
            }
        }
        triePath = trie
        self.elements = elements
    }

    /// Whether a trie node with this path holds the role's values; `indexed`: only at
    /// `elements`. (A key spelled with brackets matches as it is, like a top-level key in
    /// `FieldValue.value(at:)`.)
    func match(_ nodePath: String) -> (matches: Bool, indexed: Bool) {
        if nodePath == path { return (true, false) }
        if elements != nil, nodePath == triePath { return (true, true) }
        return (false, false)
    }

    /// Whether the fast scan can read these roles: no two of them name different elements
    /// of one trie path (`instances[0].output` and `instances[1].output`, or `[]` and `[1]`),
    /// which one trie node cannot tell apart.
    static func scannable(_ roles: Roles) -> Bool {
        let paths = ([roles.label, roles.split, roles.source].compactMap { $0 } + roles.text).map(RolePath.init)
        var elementsOf: [String: [Int]?] = [:]
        for p in paths {
            if let seen = elementsOf[p.triePath], seen != p.elements { return false }
            elementsOf[p.triePath] = p.elements
        }
        return true
    }
}
