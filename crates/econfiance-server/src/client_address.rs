//! Who the client is, behind a load balancer: the peer's address, unless the peer is one of
//! the configured trusted proxies (`--trusted-proxies`), whose `X-Forwarded-For` is then
//! believed — read from the right, the first address that is not itself a trusted proxy
//! is the client's. Nobody else's header is read, so a client cannot choose its own key.
//! A middleware resolves it once per request ([`resolve`]); the rate limits and the
//! handlers read the result ([`ClientIp`]).

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed (none by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma-separated list of addresses and networks: `10.0.0.0/8, 192.0.2.1, ::1`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut nets = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let net = IpNet::from_str(item)
                .or_else(|_| IpAddr::from_str(item).map(IpNet::from))
                .map_err(|_| {
                    format!("{item:?} is not an address or a network (e.g. 10.0.0.0/8)")
                })?;
            nets.push(net);
        }
        Ok(Self(Arc::new(nets)))
    }
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request from `peer` with `headers`.
    pub fn client_of(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        // Every X-Forwarded-For header, in order, as one list; read from the right.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            match IpAddr::from_str(hop) {
                // A hop added by a trusted proxy: look further left.
                Ok(ip) if self.trusts(ip) => client = ip,
                Ok(ip) => return ip,
                // Not an address: whatever is left of it cannot be believed.
                Err(_) => return client,
            }
        }
        client
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address, as [`resolve`] found it (a request extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// Middleware: finds the client's address once and keeps it in the request.
pub async fn resolve(
    axum::extract::State(trusted): axum::extract::State<TrustedProxies>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let client = trusted.client_of(peer.ip(), request.headers());
        request.extensions_mut().insert(ClientIp(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().expect("value"));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    #[test]
    fn only_a_trusted_proxys_header_is_believed() {
        let trusted: TrustedProxies = "10.0.0.0/8, 192.0.2.1".parse().expect("list");
        let spoofed = headers(&["203.0.113.9"]);
        // A client connecting directly cannot choose its address.
        assert_eq!(
            trusted.client_of(ip("198.51.100.4"), &spoofed),
            ip("198.51.100.4")
        );
        // Behind the balancer, the address it saw.
        assert_eq!(
            trusted.client_of(ip("10.1.2.3"), &spoofed),
            ip("203.0.113.9")
        );
        assert_eq!(
            trusted.client_of(ip("192.0.2.1"), &spoofed),
            ip("203.0.113.9")
        );
        // What the client wrote itself sits left of what the balancer appended.
        let forged = headers(&["1.2.3.4, 203.0.113.9"]);
        assert_eq!(
            trusted.client_of(ip("10.1.2.3"), &forged),
            ip("203.0.113.9")
        );
        // Two trusted hops (balancer, then an internal proxy), in two headers.
        let chain = headers(&["203.0.113.9", "10.9.9.9"]);
        assert_eq!(trusted.client_of(ip("10.1.2.3"), &chain), ip("203.0.113.9"));
        // Nothing believable: the nearest trusted hop.
        assert_eq!(
            trusted.client_of(ip("10.1.2.3"), &headers(&["junk"])),
            ip("10.1.2.3")
        );
        assert_eq!(
            trusted.client_of(ip("10.1.2.3"), &HeaderMap::new()),
            ip("10.1.2.3")
        );
        // An IPv4-mapped peer is its IPv4 address.
        assert_eq!(
            trusted.client_of(ip("::ffff:10.1.2.3"), &spoofed),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn nobody_is_trusted_by_default_and_bad_lists_are_refused() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_of(ip("10.1.2.3"), &headers(&["203.0.113.9"])),
            ip("10.1.2.3")
        );
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("load-balancer".parse::<TrustedProxies>().is_err());
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
    }
}
