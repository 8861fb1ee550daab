//! Login: checking a `Connect` (protocol version, app key, token, push registration) and
//! refusing one; recording the device's push registration once it is admitted.

use super::fields::{MAX_APP_KEY_LEN, MAX_CLIENT_VERSION_LEN, MAX_TOKEN_LEN};
use super::frames::{frame, Writer};
use crate::hub::TRANSIENT_CONNECT_ERROR;
use crate::model::MAX_ID_LEN;
use crate::push::records::PushDevice;
use crate::push::ProviderKind;
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

/// Longest `Connect.push.token`, in bytes.
pub(crate) const MAX_PUSH_TOKEN_LEN: usize = 512;

/// Whether `token` has the shape of a `provider` token: hex digits for APNs, FCM's
/// `[A-Za-z0-9_:-]` for FCM. Anything else could not be a token, and would end in a request
/// URL (APNs) or JSON (FCM) where it does not belong.
fn token_shape_ok(provider: ProviderKind, token: &str) -> bool {
    match provider {
        ProviderKind::Apns => token.bytes().all(|b| b.is_ascii_hexdigit()),
        ProviderKind::Fcm => token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-')),
    }
}

/// The push registration of `c` (`None` when it carries none), or 33003 when it is malformed:
/// an empty token or one over [`MAX_PUSH_TOKEN_LEN`] bytes, a token not of its provider's
/// shape ([`token_shape_ok`]), or an unknown provider.
pub(crate) fn push_registration(c: &Connect) -> Result<Option<PushDevice>, u32> {
    let Some(p) = &c.push else { return Ok(None) };
    let provider = ProviderKind::from_wire(p.provider).ok_or(codes::PARAMETER_INVALID)?;
    if p.token.is_empty()
        || p.token.len() > MAX_PUSH_TOKEN_LEN
        || !token_shape_ok(provider, &p.token)
    {
        return Err(codes::PARAMETER_INVALID);
    }
    Ok(Some(PushDevice {
        device_id: c.device_id.clone(),
        provider,
        token: p.token.clone(),
    }))
}

/// Records that an admitted device connected: its pushes are enabled again, its badge is 0,
/// and its token (when it sent one) is registered. A failure is logged, not fatal: the
/// device is online and gets its messages live.
pub(crate) async fn register_push(shared: &Shared, user_id: &str, c: &Connect) {
    // Checked by `authenticate`.
    let device = push_registration(c).unwrap_or(None);
    if let Err(e) = shared
        .store
        .push_device_connected(user_id.to_owned(), c.device_id.clone(), device)
        .await
    {
        tracing::warn!(error = %e, user = %user_id, "recording the push registration failed");
    }
}

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
    // Size caps first (33003), so no oversize field is compared or parsed.
    if c.app_key.len() > MAX_APP_KEY_LEN
        || c.token.len() > MAX_TOKEN_LEN
        || c.client_version.len() > MAX_CLIENT_VERSION_LEN
    {
        return Err(codes::PARAMETER_INVALID);
    }
    if c.app_key != shared.config.app_key {
        return Err(codes::CONN_ID_REJECT);
    }
    if c.device_id.len() > MAX_DEVICE_ID_LEN {
        // It travels in inbox entries other users sync (`ExpansionChange.operator_device_id`):
        // an unbounded one could make an entry larger than a frame and stop their sync.
        return Err(codes::PARAMETER_INVALID);
    }
    push_registration(c)?;
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
