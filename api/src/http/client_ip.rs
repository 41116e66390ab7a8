//! The client's address, for the anonymous rate limits: the TCP peer, or the rightmost entry
//! of a header the operator's proxy sets (`COPNET_RATE_LIMIT_CLIENT_IP_HEADER`, such as
//! `x-forwarded-for`; the rightmost entry is the one that proxy appended, which a client
//! cannot forge).

use std::{convert::Infallible, net::IpAddr, net::SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, HeaderName, request::Parts},
};

/// The TCP peer's address, when the server was started with connection info.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// The client's address: from the configured header when it holds one, else the peer's.
pub fn client_ip(header: Option<&HeaderName>, headers: &HeaderMap, peer: Peer) -> Option<IpAddr> {
    header
        .and_then(|name| headers.get_all(name).iter().next_back())
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok())
        .or(peer.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxys_rightmost_entry_wins_over_what_the_client_wrote() {
        let name = HeaderName::from_static("x-forwarded-for");
        let mut headers = HeaderMap::new();
        headers.insert(&name, "6.6.6.6, 10.0.0.7".parse().unwrap());
        let peer = Peer(Some("127.0.0.1".parse().unwrap()));
        assert_eq!(
            client_ip(Some(&name), &headers, peer),
            Some("10.0.0.7".parse().unwrap())
        );
        assert_eq!(
            client_ip(None, &headers, peer),
            Some("127.0.0.1".parse().unwrap())
        );
        assert_eq!(
            client_ip(Some(&name), &HeaderMap::new(), peer),
            Some("127.0.0.1".parse().unwrap())
        );
    }
}
