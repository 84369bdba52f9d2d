// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "assay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
        .library(name: "AssayCore", targets: ["AssayCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
    ],
    targets: [
        // The dataset engine: formats, lazy record index, roles, stats. No UI.
        .target(name: "AssayCore"),
        // ncursesw as a Swift module (module map + a small C shim for macros).
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // Screen buffer, widgets, panes, app state and command table. No ncurses.
        .target(name: "AssayTUI", dependencies: ["AssayCore"]),
        // The only code that calls ncurses: writes the screen buffer's changes out.
        .target(name: "AssayCurses", dependencies: ["AssayTUI", "CNcursesw"]),
        // The thin executable: argument parsing, then the engine, the CLI or the TUI.
        .executableTarget(
            name: "assay",
            dependencies: [
                "AssayCore", "AssayTUI", "AssayCurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore"]),
        .testTarget(
            name: "AssayTUITests",
            dependencies: [
                "AssayTUI", "AssayCore",
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "AssayCLITests", dependencies: ["assay", "AssayCore"]),
    ],
    swiftLanguageModes: [.v6]
)
