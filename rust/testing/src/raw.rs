//! Raw protocol clients: a gateway connection that speaks frames itself, with no engine in
//! between, for the benchmarks that measure the server alone.

use futures::{SinkExt, StreamExt};
use rcim_proto::v1::{client_frame, server_frame, ClientFrame, Connect, Platform, ServerFrame};
use rcim_proto::FrameCodec;
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

/// A gateway connection framed as the client sees it.
pub type RawConnection = Framed<TcpStream, FrameCodec<ServerFrame, ClientFrame>>;

/// Logs in over `stream` (connected, options set) as the desktop device `device_id` of the
/// user that `token` names; panics unless the server accepts.
pub async fn login(
    stream: TcpStream,
    app_key: &str,
    token: String,
    device_id: String,
) -> RawConnection {
    let mut framed = Framed::new(stream, FrameCodec::new());
    framed
        .send(ClientFrame {
            seq: 0,
            body: Some(client_frame::Body::Connect(Connect {
                protocol_version: rcim_proto::PROTOCOL_VERSION,
                app_key: app_key.into(),
                token,
                device_id: device_id.clone(),
                platform: Platform::Desktop as i32,
                ..Default::default()
            })),
        })
        .await
        .unwrap();
    match framed.next().await {
        Some(Ok(ServerFrame {
            body: Some(server_frame::Body::ConnectAck(ack)),
            ..
        })) if ack.code == 0 => framed,
        other => panic!("login of {device_id} failed: {other:?}"),
    }
}
