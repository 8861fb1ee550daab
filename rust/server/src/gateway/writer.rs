//! The writing side of a connection: drains its bounded outbound queue onto the socket, in
//! batches with one flush each.

use super::frames::{release_write_buffer, Writer};
use crate::hub::Outbound;
use futures::SinkExt as _;
use rcim_proto::FrameError;
use std::time::Duration;
use tokio::io::AsyncWriteExt as _;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Frames written before one flush.
const WRITE_BATCH: usize = 64;

/// Writes queued frames until `Close`, cancellation or a write error; then cancels the token
/// so the reader stops too.
pub(crate) async fn write_loop(
    mut writer: Writer,
    mut rx: mpsc::Receiver<Outbound>,
    cancel: CancellationToken,
) {
    loop {
        let first = tokio::select! {
            biased;
            _ = cancel.cancelled() => break,
            m = rx.recv() => m,
        };
        let Some(first) = first else { break };
        let written = tokio::select! {
            _ = cancel.cancelled() => break,
            r = write_batch(&mut writer, first, &mut rx) => r,
        };
        match written {
            Ok(true) => continue,
            Ok(false) => {
                // Close requested: everything before it has been flushed.
                let _ =
                    tokio::time::timeout(Duration::from_secs(2), writer.get_mut().shutdown()).await;
                break;
            }
            Err(e) => {
                tracing::debug!(error = %e, "write failed");
                break;
            }
        }
    }
    cancel.cancel();
}

/// Writes `first` and whatever else is queued (up to a batch), then flushes.
/// Returns `Ok(false)` when a `Close` was reached.
async fn write_batch(
    writer: &mut Writer,
    first: Outbound,
    rx: &mut mpsc::Receiver<Outbound>,
) -> Result<bool, FrameError> {
    let mut next = Some(first);
    let mut n = 0;
    while let Some(item) = next.take() {
        match item {
            Outbound::Frame(f) => writer.feed(*f).await?,
            Outbound::Close => {
                writer.flush().await?;
                return Ok(false);
            }
        }
        n += 1;
        if n < WRITE_BATCH {
            next = rx.try_recv().ok();
        }
    }
    writer.flush().await?;
    release_write_buffer(writer);
    Ok(true)
}
