// The options every `deai` command takes.

import ArgumentParser

/// `--home DIR` and `--json`, shared by every command (`@OptionGroup var global: GlobalOptions`).
struct GlobalOptions: ParsableArguments {
    @Option(help: "Node home directory") var home: String = "~/.deai"
    @Flag(help: "Machine-readable JSON on stdout") var json = false
}
