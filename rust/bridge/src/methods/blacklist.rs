//! The blacklist: changed through the server, read from the local copy.

use super::rows::{Local, Operation, Row};
use super::settings::NoArgs;
use serde::{Deserialize, Serialize};

pub(super) const ROWS: &[&dyn Row] = &[
    &Operation {
        names: &["addToBlacklist"],
        run: |engine, a: UserArgs, event_id| engine.add_to_blacklist(&a.user_id, event_id),
    },
    &Operation {
        names: &["removeFromBlacklist"],
        run: |engine, a: UserArgs, event_id| engine.remove_from_blacklist(&a.user_id, event_id),
    },
    &Local {
        names: &["getBlacklistStatus", "loadBlacklistStatus"],
        listener: "onBlacklistStatusLoaded",
        field: Some("status"),
        run: |engine, a: &UserArgs| engine.blacklist_status(&a.user_id),
    },
    &Local {
        names: &["getBlacklist", "loadBlacklist"],
        listener: "onBlacklistLoaded",
        field: Some("userIds"),
        run: |engine, _: &NoArgs| engine.blacklist(),
    },
];

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserArgs {
    user_id: String,
}
