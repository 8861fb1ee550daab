//! Login: checking a `Connect` (protocol version, app key, token) and refusing one.

use super::frames::{frame, Writer};
use crate::hub::TRANSIENT_CONNECT_ERROR;
use crate::model::MAX_ID_LEN;
use crate::service::users;
use crate::state::Shared;
use crate::util::now_ms;
use futures::SinkExt as _;
use rcim_proto::codes;
use rcim_proto::v1::{server_frame, Connect, ConnectAck, ServerFrame};
use std::time::Duration;
use tokio::io::AsyncWriteExt as _;

/// Longest `Connect.device_id`, in bytes (the client engine's are 32 hex digits).
pub(crate) const MAX_DEVICE_ID_LEN: usize = 128;

/// A `ConnectAck` frame answering the `Connect` of frame `seq`.
pub(crate) fn ack_frame(seq: u64, ack: ConnectAck) -> ServerFrame {
    frame(seq, server_frame::Body::ConnectAck(ack))
}

/// Writes one `ConnectAck{code}` and closes the socket (refused logins).
pub(crate) async fn refuse(mut writer: Writer, seq: u64, code: u32) {
    let ack = ConnectAck {
        code,
        ..Default::default()
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        let _ = writer.send(ack_frame(seq, ack)).await;
        let _ = writer.get_mut().shutdown().await;
    })
    .await;
}

/// Refuses a banned user (31009). Called once the login is registered with the hub
/// ([`crate::hub::Hub::begin_login`]), so a ban that lands after this read still refuses the
/// login (the ban kicks it).
pub(crate) async fn check_ban(shared: &Shared, user_id: &str) -> Result<(), u32> {
    let banned = crate::service::moderation::is_banned(shared.store.as_ref(), user_id)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading the user's ban failed");
            TRANSIENT_CONNECT_ERROR
        })?;
    if banned {
        return Err(codes::CONN_USER_BLOCKED);
    }
    Ok(())
}

/// Checks a `Connect` and returns the user id, or the ConnectAck code to refuse with.
pub(crate) async fn authenticate(shared: &Shared, c: &Connect) -> Result<String, u32> {
    if c.protocol_version != rcim_proto::PROTOCOL_VERSION {
        return Err(codes::PROTOCOL_VERSION_ERROR);
    }
    if c.app_key != shared.config.app_key {
        return Err(codes::CONN_ID_REJECT);
    }
    if c.device_id.len() > MAX_DEVICE_ID_LEN {
        // It travels in inbox entries other users sync (`ExpansionChange.operator_device_id`):
        // an unbounded one could make an entry larger than a frame and stop their sync.
        return Err(codes::PARAMETER_INVALID);
    }
    let claims = crate::token::verify_signature(&c.token, &shared.config.app_secret)
        .ok_or(codes::CONN_TOKEN_INCORRECT)?;
    if claims.app_key != shared.config.app_key
        || claims.user_id.is_empty()
        || claims.user_id.len() > MAX_ID_LEN
    {
        return Err(codes::CONN_TOKEN_INCORRECT);
    }
    if claims.expiry_ms != 0 && claims.expiry_ms <= now_ms() {
        return Err(codes::CONN_TOKEN_INCORRECT);
    }
    let valid =
        users::token_still_valid(shared.store.as_ref(), &claims.user_id, claims.issued_at_ms)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "reading tokens_valid_after failed");
                TRANSIENT_CONNECT_ERROR
            })?;
    if !valid {
        return Err(codes::CONN_TOKEN_INCORRECT);
    }

    Ok(claims.user_id)
}
