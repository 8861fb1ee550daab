//! The client gateway: TCP (TLS when the server has a certificate, [`crate::tls`]),
//! length-prefixed protobuf frames (`rcim_proto::FrameCodec`).
//!
//! One task per connection ([`connection`]) runs the request loop ([`requests`]: one handler
//! per `Request` body, calling `crate::service`), the answers of its sends after their commits
//! ([`acks`]) and the writer ([`writer`]) side by side. The
//! writer owns the socket's write half and drains a bounded queue
//! ([`crate::hub::OUTBOUND_QUEUE`] frames); whoever finds that queue full disconnects the
//! client. Any protocol violation (first frame not `Connect`, malformed or oversize frame)
//! closes that connection only. Limits ([`crate::config::LimitsConfig`]): connections per
//! IP and overall (admitted here, before any byte is read), the login timeout, caps on every
//! `Connect` field and on every request's size ([`fields`]), [`rate`] (sends and other
//! requests per second, per connection and per user), in-flight requests per connection,
//! outbound queues bounded in frames and bytes ([`crate::outbound`]), sessions per user
//! ([`crate::hub`]), sync backlog.

mod acks;
mod answers;
mod chatroom;
mod connection;
mod fields;
mod frames;
pub(crate) mod io;
mod login;
mod rate;
mod requests;
mod sends;
mod ultragroup;
mod ultragroup_kinds;
mod writer;

use crate::state::Shared;
use crate::tls::Tls;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::either::Either;

/// Accepts client connections until the server stops; with `tls`, each connection's TLS
/// handshake runs in its own task (bounded by [`crate::tls::HANDSHAKE_TIMEOUT`]) so a slow
/// client never holds up the others.
pub(crate) async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, tls: Option<Tls>) {
    loop {
        let accepted = tokio::select! {
            biased;
            _ = shared.stop.cancelled() => break,
            _ = shared.kill.cancelled() => break,
            r = listener.accept() => r,
        };
        match accepted {
            Ok((stream, peer)) => {
                // Over the per-IP or overall limit: closed before any byte is read.
                let Some(permit) = shared.gateway_conns.try_admit(peer.ip()) else {
                    tracing::debug!(%peer, "connection limit reached; closing");
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let s = shared.clone();
                let kill = shared.kill.clone();
                let tls = tls.clone();
                shared.tracker.spawn(async move {
                    let run = async move {
                        let stream = match tls {
                            None => Either::Left(stream),
                            Some(tls) => match tls.accept(stream).await {
                                Ok(s) => Either::Right(Box::new(s)),
                                Err(e) => {
                                    tracing::debug!(%peer, error = %e, "TLS handshake failed");
                                    return;
                                }
                            },
                        };
                        connection::handle_connection(stream, peer, s).await
                    };
                    tokio::select! {
                        _ = kill.cancelled() => {}
                        _ = run => {}
                    }
                    drop(permit);
                });
            }
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    tracing::debug!("gateway stopped accepting");
}
