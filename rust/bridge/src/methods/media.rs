//! Media messages: send with upload, download, and cancelling either. Their outcomes are
//! engine events (progress, attached/sent/downloaded, and the cancel events, which carry the
//! event id of the call they end under `eventIds`).

use super::rows::{Operation, Row};
use rcim_core::Message;
use serde::Deserialize;

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["sendMediaMessage"],
        run: |engine, a: MediaArgs, event_id| engine.send_media_message(a.message, event_id),
    },
    &Operation {
        names: &["cancelSendingMediaMessage"],
        run: |engine, a: MediaArgs, event_id| {
            engine.cancel_sending_media_message(a.message, event_id)
        },
    },
    &Operation {
        names: &["downloadMediaMessage"],
        run: |engine, a: MediaArgs, event_id| engine.download_media_message(a.message, event_id),
    },
    &Operation {
        names: &["cancelDownloadingMediaMessage"],
        run: |engine, a: MediaArgs, event_id| {
            engine.cancel_downloading_media_message(a.message, event_id)
        },
    },
];

#[derive(Deserialize)]
pub(super) struct MediaArgs {
    message: Message,
}
