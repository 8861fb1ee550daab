//! The connection to a gateway: plain TCP, or TLS when navigation hands out the gateway as
//! `tls://host:port` (the server has a certificate). The certificate is checked against
//! `host` with the engine's TLS configuration ([`crate::tls`]).

use rustls::pki_types::ServerName;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

/// The scheme of a TLS gateway entry in a navigation reply.
const TLS_SCHEME: &str = "tls://";

/// An open connection to a gateway.
pub(crate) enum GatewayStream {
    /// Plain TCP (a `host:port` entry).
    Plain(TcpStream),
    /// TLS over TCP (a `tls://host:port` entry).
    Tls(Box<TlsStream<TcpStream>>),
}

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
        return Ok(GatewayStream::Plain(stream));
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
    Ok(GatewayStream::Tls(Box::new(tls)))
}

/// The host of `host:port` (`[v6]:port` gives `v6`).
fn host_of(address: &str) -> &str {
    let host = address.rsplit_once(':').map_or(address, |(h, _)| h);
    host.trim_start_matches('[').trim_end_matches(']')
}

impl AsyncRead for GatewayStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for GatewayStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts_of_gateway_entries() {
        assert_eq!(host_of("example.com:443"), "example.com");
        assert_eq!(host_of("127.0.0.1:9000"), "127.0.0.1");
        assert_eq!(host_of("[::1]:9000"), "::1");
    }
}
