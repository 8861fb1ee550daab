//! The connection to a gateway: plain TCP, or TLS when navigation hands out the gateway as
//! `tls://host:port` (the server has a certificate). The certificate is checked against
//! `host` with the engine's TLS configuration ([`crate::tls`]).

use rustls::pki_types::ServerName;
use std::sync::Arc;
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tokio_util::either::Either;

/// The scheme of a TLS gateway entry in a navigation reply.
const TLS_SCHEME: &str = "tls://";

/// An open connection to a gateway: plain TCP (a `host:port` entry, left) or TLS over TCP (a
/// `tls://host:port` entry, right).
pub(crate) type GatewayStream = Either<TcpStream, Box<TlsStream<TcpStream>>>;

/// Connects to a navigation entry: `host:port` (or `tcp://host:port`) over TCP,
/// `tls://host:port` over TLS. No timeout here: the caller bounds the whole step.
pub(crate) async fn connect(
    entry: &str,
    tls: &Arc<rustls::ClientConfig>,
) -> std::io::Result<GatewayStream> {
    let (address, secure) = match entry.strip_prefix(TLS_SCHEME) {
        Some(rest) => (rest, true),
        None => (entry.strip_prefix("tcp://").unwrap_or(entry), false),
    };
    let stream = TcpStream::connect(address).await?;
    let _ = stream.set_nodelay(true);
    if !secure {
        return Ok(Either::Left(stream));
    }
    let name = ServerName::try_from(host_of(address).to_string()).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("gateway {entry}: {e}"),
        )
    })?;
    let tls = TlsConnector::from(tls.clone())
        .connect(name, stream)
        .await?;
    Ok(Either::Right(Box::new(tls)))
}

/// The host of `host:port` (`[v6]:port` gives `v6`).
fn host_of(address: &str) -> &str {
    let host = address.rsplit_once(':').map_or(address, |(h, _)| h);
    host.trim_start_matches('[').trim_end_matches(']')
}
