// API: the request context of every route.

import Hummingbird
import NIOCore

/// The context of a request to the node's API: Hummingbird's core context, and the connection the request came
/// on, so that a request that waits ends when its client leaves (``NIOCore/Channel/clientDeparture``).
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's connection.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
