//! Push: the device token sent when connecting and the user's push settings, changed through
//! the server.

use super::rows::{Operation, Row};
use serde::Deserialize;

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["setDeviceToken"],
        run: |engine, a: DeviceTokenArgs, _| engine.set_device_token(&a.device_token),
    },
    &Operation {
        names: &["changePushLanguage"],
        run: |engine, a: LanguageArgs, event_id| engine.change_push_language(&a.language, event_id),
    },
    &Operation {
        names: &["changePushContentShowStatus"],
        run: |engine, a: ContentShowArgs, event_id| {
            engine.change_push_content_show_status(a.show_content, event_id)
        },
    },
    &Operation {
        names: &["changePushReceiveStatus"],
        run: |engine, a: ReceiveArgs, event_id| {
            engine.change_push_receive_status(a.receive, event_id)
        },
    },
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct DeviceTokenArgs {
    device_token: String,
}

#[derive(Deserialize)]
pub(super) struct LanguageArgs {
    language: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ContentShowArgs {
    show_content: bool,
}

#[derive(Deserialize)]
pub(super) struct ReceiveArgs {
    receive: bool,
}
