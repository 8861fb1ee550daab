//! Which requests are ultra-group requests (served by `gateway::ultragroup`), kept apart from
//! the handlers so the dispatch can ask without depending on them, and the small pieces of
//! ultra-group state the dispatch keeps per connection.

use crate::service::ultragroup::channel_or_default;
use rcim_proto::conversation_type::ULTRA_GROUP;
use rcim_proto::v1::{request, ChangeConversationSetting};
use tokio::sync::oneshot;

/// An ultra group's "" channel in a conversation setting is its RCDefault channel, as
/// everywhere: the push decision looks a channel's level up by the channel's id.
pub(super) fn default_ultragroup_channel(r: &mut ChangeConversationSetting) {
    if r.conversation_type == ULTRA_GROUP {
        r.channel_id = channel_or_default(&r.channel_id).to_owned();
    }
}

/// Keeps one connection's ultra-group sends in order while they wait for their commit off
/// the read loop: each send starts once the previous one is done.
#[derive(Default)]
pub(crate) struct UgSendChain {
    previous: Option<oneshot::Receiver<()>>,
}

impl UgSendChain {
    /// The previous send's completion (to await before starting) and this send's (to signal
    /// when done; dropping it signals too).
    pub(super) fn next(&mut self) -> (Option<oneshot::Receiver<()>>, oneshot::Sender<()>) {
        let (done, next) = oneshot::channel();
        (self.previous.replace(next), done)
    }
}

/// Whether `body` is an ultra-group stream read (24–27).
pub(super) fn is_ultragroup_read(body: &request::Body) -> bool {
    matches!(
        body,
        request::Body::UltragroupSync(_)
            | request::Body::UltragroupChanges(_)
            | request::Body::UltragroupMessages(_)
            | request::Body::UltragroupLevel(_)
    )
}

/// Whether `body` is an ultra-group state-changing request (28–32).
pub(super) fn is_ultragroup_write(body: &request::Body) -> bool {
    matches!(
        body,
        request::Body::UltragroupModify(_)
            | request::Body::UltragroupRecall(_)
            | request::Body::UltragroupExpansion(_)
            | request::Body::UltragroupClear(_)
            | request::Body::UltragroupSetLevel(_)
    )
}
