// ListeningService: a service that listens on an address, whose "address in use" names the address and the fix.

public import ServiceLifecycle
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a service that listens on `address`; if the address is taken, the error says which address, for what, and
/// the setting that moves it (NIO's own says `bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`).
public struct ListeningService: Service {
    let base: any Service
    let address: String
    let purpose: String
    let setting: String

    /// `base`, which listens on `address` (`HOST:PORT`) for `purpose` (`the API`), moved by `setting`.
    public init(_ base: any Service, address: String, purpose: String, setting: String) {
        self.base = base
        self.address = address
        self.purpose = purpose
        self.setting = setting
    }

    public func run() async throws {
        do {
            try await self.base.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw NodeError(
                .addressInUse,
                "cannot listen on \(self.address) for \(self.purpose): the address is in use (is another node "
                    + "running?); choose another with \(self.setting)",
                cause: error)
        }
    }
}
