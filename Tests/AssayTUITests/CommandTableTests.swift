import Testing
@testable import AssayTUI

@Suite struct CommandTableTests {
    let table = PaneRegistry.standard.commandTable

    @Test func noScopeBindsAKeyTwice() {
        let conflicts = table.conflicts.map { "\($0.scope): \($0.key) -> \($0.names)" }
        #expect(conflicts.isEmpty)
    }

    @Test func namesAreUniqueAndEveryCommandIsDocumented() {
        let names = table.commands.map(\.name)
        #expect(Set(names).count == names.count)
        for c in table.commands {
            #expect(!c.help.isEmpty, "\(c.name)")
            #expect(!c.keys.isEmpty, "\(c.name)")
        }
    }

    @Test func helpScreenListsEveryCommand() {
        let text = HelpView.lines(table, width: 200).map(\.plainText).joined(separator: "\n")
        for c in table.commands {
            #expect(text.contains(c.keyLabel + " ") || text.contains(c.keyLabel + "\n"), "\(c.name)")
            #expect(text.contains(c.help), "\(c.name)")
        }
        for scope in table.scopes { #expect(text.contains(scope.description)) }
    }

    @Test func lookupUsesInnermostScopeFirst() {
        #expect(table.command(for: .char("j"), in: [.pane(.browse), .global])?.name == "browse.down")
        #expect(table.command(for: .char("j"), in: [.detail, .global])?.name == "detail.down")
        #expect(table.command(for: .char("q"), in: [.detail, .global])?.name == "app.back")
        #expect(table.command(for: .char("n"), in: [.detail, .global])?.name == "detail.next")
        #expect(table.command(for: .char("n"), in: [.pane(.browse), .global])?.name == "browse.searchNext")
        #expect(table.command(for: .char("j"), in: [.prompt]) == nil)  // typed into the prompt
        #expect(table.command(for: .escape, in: [.prompt])?.name == "prompt.cancel")
        #expect(table.command(for: .char("1"), in: [.pane(.browse), .global])?.name == "app.pane1")
    }

    @Test func hintsComeFromTheTable() {
        let hints = table.hints(in: [.pane(.browse), .global]).map { "\($0.keys) \($0.hint)" }
        #expect(hints.prefix(3) == ["j/k move", ":N jump", "Enter open"])
        #expect(hints.contains("? help"))
        #expect(hints.contains("q quit"))
        let detail = table.hints(in: [.detail, .global]).map { "\($0.keys) \($0.hint)" }
        #expect(detail.contains("q back"))
        #expect(!detail.contains("q quit"))
    }

    @Test func aNewPaneRegistersTheSameWay() {
        struct DemoPane: Pane {
            var id: PaneID { PaneID("demo", title: "Demo") }
            var commands: [Command] {
                [Command("demo.down", keys: [.char("j")], scope: .pane(id), help: "next demo row", hint: "move", action: .move(1))]
            }
            func render(_ ctx: RenderContext, into buffer: inout ScreenBuffer, area: Rect) {
                buffer.write("demo here", x: area.x, y: area.y, style: .plain)
            }
        }
        var registry = PaneRegistry.standard
        registry.register(DemoPane())
        let t = registry.commandTable
        #expect(t.command(for: .char("3"), in: [.global])?.name == "app.pane3")
        #expect(t.command(for: .char("j"), in: [.pane(PaneID("demo", title: "Demo")), .global])?.name == "demo.down")
        #expect(HelpView.lines(t, width: 100).map(\.plainText).contains("Demo"))
        let backend = MemoryBackend(size: Size(width: 80, height: 24))
        let d = AppDriver(source: FakeSource(), backend: backend, registry: registry, runScansInline: true)
        d.start()
        d.send("3")
        #expect(d.state.activePane.rawValue == "demo")
        let screen = d.draw()
        #expect(screen.lines[0].contains("3 Demo"))
        #expect(screen.lines[1].hasPrefix("demo here"))
        d.send("\t")
        #expect(d.state.activePane == .browse)
    }

    @Test func keyScripts() {
        #expect(Key.sequence("ab\n<Down><C-d><Esc><PgDn><lt>") ==
                [.char("a"), .char("b"), .enter, .down, .ctrl("d"), .escape, .pageDown, .char("<")])
        #expect(Key.ctrl("d").description == "Ctrl-D")
        #expect(Key.char(" ").description == "Space")
    }
}
