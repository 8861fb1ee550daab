//! Directed group messages (R181–R183): the members a group message goes to travel in
//! `SendMessage.directed_user_ids`. The sender's device keeps them in the row's `extra_json`
//! under [`KEY`], so a send queued offline (or resent after an app restart) goes to the same
//! members; they are never part of the API message.

use serde_json::{Map, Value};

/// `extra_json` key of the members a directed message goes to.
pub(crate) const KEY: &str = "directedUserIds";

/// The members of a directed message from its row's `extra_json` object (`None`: not
/// directed).
pub(crate) fn from_extra(extra: &Map<String, Value>) -> Option<Vec<String>> {
    let ids = extra.get(KEY)?.as_array()?;
    Some(
        ids.iter()
            .filter_map(|id| id.as_str().map(str::to_string))
            .collect(),
    )
}
