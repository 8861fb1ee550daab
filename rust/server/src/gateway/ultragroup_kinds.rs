//! Which requests are ultra-group requests (served by `gateway::ultragroup`), kept apart from
//! the handlers so the dispatch can ask without depending on them.

use rcim_proto::v1::request;

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
