//! The in-process bus: one node, every session in this process. It publishes nothing and
//! asks nobody; the hub, the chatroom registry and the ultra-group readers are the whole
//! delivery (see [`super::Bus`], whose methods do nothing for it).

/// The bus of a single node.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LocalBus;
