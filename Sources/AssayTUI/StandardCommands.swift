/// The commands that are not a pane's own: global keys, overlays and prompts.
public enum StandardCommands {
    public static func global(panes: [PaneID]) -> [Command] {
        var out: [Command] = [
            Command("app.help", keys: [.char("?"), .function(1)], scope: .global,
                    help: "show this help (generated from the key table)", hint: "help", action: .showHelp),
            Command("app.back", keys: [.char("q")], scope: .global,
                    help: "back: close the open view; quit from the main screen", hint: "quit", action: .back),
            Command("app.escape", keys: [.escape], scope: .global,
                    help: "stop a running search or filter; close the open view", action: .escape),
            Command("app.quit", keys: [.char("Q"), .ctrl("c")], scope: .global,
                    help: "quit at once", action: .quit),
            Command("app.nextPane", keys: [.tab], scope: .global, help: "next pane", action: .nextPane),
            Command("app.previousPane", keys: [.backTab], scope: .global, help: "previous pane", action: .previousPane),
            Command("app.redraw", keys: [.ctrl("l")], scope: .global, help: "redraw the screen", action: .redraw),
        ]
        for (i, id) in panes.enumerated() where i < 9 {
            out.append(Command("app.pane\(i + 1)", keys: [.char(Character(String(i + 1)))], scope: .global,
                               help: "switch to the \(id.title) pane", action: .switchPane(i + 1)))
        }
        return out
    }

    public static let detail: [Command] = [
        Command("detail.down", keys: [.char("j"), .down], scope: .detail, help: "scroll down",
                hint: "scroll", hintKeys: "j/k", action: .move(1)),
        Command("detail.up", keys: [.char("k"), .up], scope: .detail, help: "scroll up", action: .move(-1)),
        Command("detail.pageDown", keys: [.pageDown, .char(" "), .ctrl("f")], scope: .detail, help: "page down", action: .page(1)),
        Command("detail.pageUp", keys: [.pageUp, .ctrl("b")], scope: .detail, help: "page up", action: .page(-1)),
        Command("detail.halfDown", keys: [.ctrl("d")], scope: .detail, help: "half a page down", action: .halfPage(1)),
        Command("detail.halfUp", keys: [.ctrl("u")], scope: .detail, help: "half a page up", action: .halfPage(-1)),
        Command("detail.top", keys: [.char("g"), .home], scope: .detail, help: "scroll to the top", action: .top),
        Command("detail.bottom", keys: [.char("G"), .end], scope: .detail, help: "scroll to the bottom", action: .bottom),
        Command("detail.next", keys: [.char("n"), .char("]"), .right, .char("l")], scope: .detail,
                help: "next record (of the filtered view, if filtered)", hint: "next/prev", hintKeys: "n/p", action: .detailRecord(1)),
        Command("detail.previous", keys: [.char("p"), .char("["), .left, .char("h")], scope: .detail,
                help: "previous record", action: .detailRecord(-1)),
        Command("detail.jump", keys: [.char(":")], scope: .detail, help: "jump to record number N", action: .openPrompt(.jump)),
        Command("detail.close", keys: [.enter, .backspace], scope: .detail, help: "close the detail view",
                hint: "back", hintKeys: "q", action: .back),
    ]

    public static let malformedList: [Command] = [
        Command("malformed.down", keys: [.char("j"), .down], scope: .malformedList, help: "next line",
                hint: "move", hintKeys: "j/k", action: .move(1)),
        Command("malformed.up", keys: [.char("k"), .up], scope: .malformedList, help: "previous line", action: .move(-1)),
        Command("malformed.pageDown", keys: [.pageDown, .char(" ")], scope: .malformedList, help: "page down", action: .page(1)),
        Command("malformed.pageUp", keys: [.pageUp], scope: .malformedList, help: "page up", action: .page(-1)),
        Command("malformed.top", keys: [.char("g"), .home], scope: .malformedList, help: "first line", action: .top),
        Command("malformed.bottom", keys: [.char("G"), .end], scope: .malformedList, help: "last line", action: .bottom),
        Command("malformed.jump", keys: [.enter], scope: .malformedList, help: "show this slot in the table",
                hint: "go to record", action: .malformedJump),
        Command("malformed.close", keys: [.char("m")], scope: .malformedList, help: "close the list",
                hint: "back", hintKeys: "q", action: .back),
    ]

    public static let help: [Command] = [
        Command("help.down", keys: [.char("j"), .down], scope: .help, help: "scroll down",
                hint: "scroll", hintKeys: "j/k", action: .move(1)),
        Command("help.up", keys: [.char("k"), .up], scope: .help, help: "scroll up", action: .move(-1)),
        Command("help.pageDown", keys: [.pageDown, .char(" ")], scope: .help, help: "page down", action: .page(1)),
        Command("help.pageUp", keys: [.pageUp], scope: .help, help: "page up", action: .page(-1)),
        Command("help.top", keys: [.char("g"), .home], scope: .help, help: "top", action: .top),
        Command("help.bottom", keys: [.char("G"), .end], scope: .help, help: "bottom", action: .bottom),
        Command("help.close", keys: [.char("?"), .enter], scope: .help, help: "close help",
                hint: "back", hintKeys: "q", action: .back),
    ]

    public static let prompt: [Command] = [
        Command("prompt.submit", keys: [.enter], scope: .prompt, help: "run it", hint: "run", action: .promptSubmit),
        Command("prompt.cancel", keys: [.escape, .ctrl("g")], scope: .prompt, help: "cancel", hint: "cancel", action: .promptCancel),
        Command("prompt.backspace", keys: [.backspace, .ctrl("h")], scope: .prompt, help: "delete the character before the cursor", action: .promptBackspace),
        Command("prompt.delete", keys: [.delete, .ctrl("d")], scope: .prompt, help: "delete the character under the cursor", action: .promptDelete),
        Command("prompt.left", keys: [.left, .ctrl("b")], scope: .prompt, help: "cursor left", action: .promptCursor(-1)),
        Command("prompt.right", keys: [.right, .ctrl("f")], scope: .prompt, help: "cursor right", action: .promptCursor(1)),
        Command("prompt.home", keys: [.home, .ctrl("a")], scope: .prompt, help: "cursor to the start", action: .promptHome),
        Command("prompt.end", keys: [.end, .ctrl("e")], scope: .prompt, help: "cursor to the end", action: .promptEnd),
        Command("prompt.clear", keys: [.ctrl("u")], scope: .prompt, help: "clear the line", action: .promptClear),
        Command("prompt.deleteWord", keys: [.ctrl("w")], scope: .prompt, help: "delete the word before the cursor", action: .promptDeleteWord),
        Command("prompt.historyBack", keys: [.up, .ctrl("p")], scope: .prompt, help: "previous entry from history",
                hint: "history", hintKeys: "↑/↓", action: .promptHistory(-1)),
        Command("prompt.historyForward", keys: [.down, .ctrl("n")], scope: .prompt, help: "next entry from history", action: .promptHistory(1)),
        Command("prompt.quit", keys: [.ctrl("c")], scope: .prompt, help: "quit at once", action: .quit),
    ]

    /// Extra help text shown after the key lists.
    public static let syntaxHelp: [String] = [
        "Search  /regex        searches the text field(s) of each record",
        "        /field:regex  searches one field (label:^spam$, meta.url:forum)",
        "        case is ignored unless the pattern has a capital letter;",
        "        n / N go to the next / previous match.",
        "Filter  f or |, then an expression, for example",
        "        label == \"spam\" && len(text) < 20",
        "        split != \"train\" || meta.url ~ \"forum\"",
        "        !missing(label) and lower(source) == \"web\"",
        "        operators: == != < <= > >= ~ (regex) !~ && || ! ( )",
        "        functions: len(x) words(x) missing(x) has(x) lower(x) upper(x)",
        "        hash(x): the #hex a long value's table entry ends in;",
        "        fields are dotted paths (meta.url, items[0].text);",
        "        tags[] == \"x\" holds when any element of tags is \"x\";",
        "        text/label/split/source/id also name the inferred role.",
        "        An empty filter, or c, clears it. Esc stops a running scan.",
        "Jump    :N goes to record N (the # column).",
        "Columns h/l select a column, - hides it, + shows all again.",
        "Text    control characters show escaped (\\x1b, \\u202e); ↵ is a newline.",
    ]
}
