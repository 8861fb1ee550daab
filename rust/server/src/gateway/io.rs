//! The two halves of a client connection, plain TCP or TLS: the reader and the writer run
//! side by side in one task and each owns its half. Plain TCP splits without a lock
//! (`TcpStream::into_split`); a TLS stream shares its session state, so its halves go
//! through `tokio::io::split`.

use crate::tls::MaybeTls;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;
use tokio_util::either::Either;

type Tls = Box<TlsStream<TcpStream>>;

/// The read half of a client connection: plain TCP (left) or TLS (right).
pub(crate) type ReadHalf = Either<OwnedReadHalf, tokio::io::ReadHalf<Tls>>;

/// The write half of a client connection: plain TCP (left) or TLS (right).
pub(crate) type WriteHalf = Either<OwnedWriteHalf, tokio::io::WriteHalf<Tls>>;

/// Splits an accepted connection into its halves.
pub(crate) fn split(stream: MaybeTls) -> (ReadHalf, WriteHalf) {
    match stream {
        Either::Left(s) => {
            let (r, w) = s.into_split();
            (Either::Left(r), Either::Left(w))
        }
        Either::Right(s) => {
            let (r, w) = tokio::io::split(s);
            (Either::Right(r), Either::Right(w))
        }
    }
}
