//! One client connection: the `Connect` handshake and admission, then the request loop
//! ([`super::requests`]) and the writer ([`super::writer`]) side by side until either ends.

use super::acks::{ack_loop, AckRx};
use super::frames::{log_frame_error, new_writer, Reader, Writer};
use super::login::{ack_frame, authenticate, check_ban, refuse, register_push};
use super::requests::Conn;
use super::writer::write_loop;
use crate::bus::UserWatch;
use crate::hub::{
    Admission, Outbound, OutboundTx, Session, OUTBOUND_QUEUE, TRANSIENT_CONNECT_ERROR,
};
use crate::outbound::OutboundRx;
use crate::service::{history, inbox, settings};
use crate::state::Shared;
use crate::tls::MaybeTls;
use crate::util::now_ms;
use futures::StreamExt as _;
use rcim_proto::codes;
use rcim_proto::v1::{client_frame, ClientFrame, ConnectAck, Platform};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Runs one connection to its end.
pub(crate) async fn handle_connection(stream: MaybeTls, peer: SocketAddr, shared: Arc<Shared>) {
    let conn_id = shared.next_conn_id();
    // Boxed: the login's futures are large and done with once the connection is admitted;
    // for the connection's lifetime its task holds only the two loops below.
    let Some(online) = Box::pin(log_in(&shared, conn_id, peer, stream)).await else {
        return;
    };
    let Online {
        conn,
        reader,
        writer,
        rx,
        cancel,
        user_id,
        acks,
        ack_tx,
        watch,
    } = online;
    tokio::join!(
        conn.read_loop(reader),
        write_loop(writer, rx, cancel.clone()),
        ack_loop(acks, shared.clone(), ack_tx, cancel),
    );
    shared.hub.remove(&user_id, conn_id);
    if !shared.hub.is_online(&user_id) {
        // The user's last connection on this node: ultra-group delivery skips them now
        // (pushes reach them instead). A connection admitted meanwhile marks them online
        // after its admission; one admitted before this mark is seen by the check after it.
        shared.ultragroups.set_online(&user_id, false);
        if shared.hub.is_online(&user_id) {
            shared.ultragroups.set_online(&user_id, true);
        }
    }
    shared.chatrooms.connection_closed(conn_id);
    // After the hub forgot the session: the last connection of the user unsubscribes.
    drop(watch);
    tracing::debug!(%peer, conn = conn_id, user = %user_id, "disconnected");
}

/// An admitted connection: its request side, its socket halves and its outbound queue.
struct Online {
    conn: Conn,
    reader: Reader,
    writer: Writer,
    rx: OutboundRx,
    cancel: CancellationToken,
    user_id: String,
    /// The sends the request side hands over, and where their answers go.
    acks: AckRx,
    ack_tx: OutboundTx,
    /// Keeps this node subscribed to the user's bus subject.
    watch: UserWatch,
}

/// The `Connect` handshake and admission; `None` when the connection ended during it (the
/// refusal, if any, was written).
async fn log_in(
    shared: &Arc<Shared>,
    conn_id: u64,
    peer: SocketAddr,
    stream: MaybeTls,
) -> Option<Online> {
    let (rd, wr) = super::io::split(stream);
    let mut reader = Reader::new(rd);
    let writer = new_writer(wr);
    // Its own bound, not the idle timeout: an anonymous socket must log in quickly.
    let login_timeout = shared.config.limits.login_timeout;

    let first = tokio::select! {
        _ = shared.stop.cancelled() => return None,
        r = tokio::time::timeout(login_timeout, reader.next()) => r,
    };
    let (seq, connect) = match first {
        Ok(Some(Ok(ClientFrame {
            seq,
            body: Some(client_frame::Body::Connect(c)),
        }))) => (seq, c),
        Ok(Some(Ok(_))) => {
            tracing::warn!(%peer, conn = conn_id, "first frame is not Connect; closing");
            return None;
        }
        Ok(Some(Err(e))) => {
            log_frame_error(peer, conn_id, &e);
            return None;
        }
        Ok(None) => return None,
        Err(_) => {
            tracing::debug!(%peer, conn = conn_id, "no Connect frame in time; closing");
            return None;
        }
    };

    let user_id = match authenticate(shared, &connect).await {
        Ok(u) => u,
        Err(code) => {
            tracing::info!(%peer, conn = conn_id, code, "login refused");
            refuse(writer, seq, code).await;
            return None;
        }
    };
    // Heads delivered from here on are recorded by the hub until the admission is decided.
    let login = shared.hub.begin_login(&user_id);
    // Subscribed before the head is read: every entry committed on another node after the
    // read reaches this node (and is pushed or counted in the head, as local ones are).
    let watch = shared.bus.watch_user(&user_id).await;
    if let Err(code) = check_ban(shared, &user_id).await {
        tracing::info!(%peer, conn = conn_id, user = %user_id, code, "login refused");
        drop(login);
        refuse(writer, seq, code).await;
        return None;
    }
    let db_head = match inbox::head(shared.store.as_ref(), &user_id).await {
        Ok(h) => h,
        Err(e) => {
            tracing::error!(error = %e, "reading the inbox head failed");
            drop(login);
            refuse(writer, seq, TRANSIENT_CONNECT_ERROR).await;
            return None;
        }
    };

    // Offline compensation: a device without a cursor starts after the entries older than
    // the configured days (at the head when that is 0).
    let since = shared.config.compensation_since(now_ms());
    let compensation =
        match history::compensation_after(shared.store.as_ref(), &user_id, since, db_head).await {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "reading the compensation start failed");
                drop(login);
                refuse(writer, seq, TRANSIENT_CONNECT_ERROR).await;
                return None;
            }
        };
    // Read after the login began: a change committed later reaches this device as an entry.
    let settings_version = match settings::version(shared.store.as_ref(), &user_id).await {
        Ok(v) => v,
        Err(e) => {
            tracing::error!(error = %e, "reading the settings version failed");
            drop(login);
            refuse(writer, seq, TRANSIENT_CONNECT_ERROR).await;
            return None;
        }
    };
    let (tx, rx) =
        crate::outbound::channel(OUTBOUND_QUEUE, shared.config.limits.max_outbound_bytes);
    let cancel = CancellationToken::new();
    let platform = Platform::try_from(connect.platform).unwrap_or(Platform::Unspecified);
    let session = Session {
        conn_id,
        user_id: user_id.clone(),
        device_id: connect.device_id.clone(),
        platform,
        tx: tx.clone(),
        cancel: cancel.clone(),
        since_ms: now_ms(),
    };
    let since_ms = session.since_ms;
    let heartbeat_secs = shared.config.heartbeat_secs;
    let ack_user = user_id.clone();
    let inbox_epoch = shared.store.inbox_epoch();
    // The user's devices on the other nodes count for the device rules.
    let remote = shared.bus.remote_devices(&user_id).await;
    if !remote.is_empty() {
        // Their rates count on every node they are on.
        shared.user_rates.mark_spread(&user_id);
    }
    let admission = shared.hub.admit_with(
        &login,
        session,
        connect.is_reconnect,
        connect.kick_reconnect_device,
        db_head,
        &remote,
        |inbox_head| {
            ack_frame(
                seq,
                ConnectAck {
                    code: codes::OK,
                    user_id: ack_user,
                    server_time: now_ms(),
                    inbox_head,
                    heartbeat_secs,
                    compensation_after: if since.is_some() {
                        compensation
                    } else {
                        inbox_head
                    },
                    settings_version,
                    inbox_epoch,
                },
            )
        },
    );
    drop(login);
    match admission {
        Admission::Refused(code) => {
            tracing::info!(%peer, conn = conn_id, user = %user_id, code, "login refused by device rules");
            refuse(writer, seq, code).await;
            return None;
        }
        Admission::Accepted { inbox_head } => {
            tracing::debug!(%peer, conn = conn_id, user = %user_id, device = %connect.device_id,
                ?platform, inbox_head, "connected");
            // Idempotent: the first connection makes the user an online ultra-group reader.
            shared.ultragroups.set_online(&user_id, true);
            // The other nodes replace this device's session there and kick other mobiles.
            shared
                .bus
                .announce_login(&user_id, &connect.device_id, platform, since_ms);
        }
    }
    if shared.stop.is_cancelled() {
        let _ = tx.try_send(Outbound::Close);
    }
    register_push(shared, &user_id, &connect).await;

    let (conn, acks) = Conn::new(
        shared.clone(),
        conn_id,
        user_id.clone(),
        connect.device_id.clone(),
        peer,
        tx.clone(),
        cancel.clone(),
    );
    Some(Online {
        conn,
        reader,
        writer,
        rx,
        cancel,
        user_id,
        acks,
        ack_tx: tx,
        watch,
    })
}
