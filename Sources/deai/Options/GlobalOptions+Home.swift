// The node home that --home names.

import Node

extension GlobalOptions {
    /// The home directory, with `~` expanded.
    var nodeHome: NodeHome { NodeHome(path: self.home) }
}
