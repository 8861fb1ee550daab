//! What the push worker and the direct pushes work with.

use crate::hub::Hub;
use crate::push::dispatch::Dispatcher;
use crate::service::ultragroup::Directory;
use crate::store::ServerStore;
use std::sync::Arc;

/// The store, the hub and the bus (who is online here and on the other nodes), the
/// dispatcher, the ultra-group directory (names and default levels) and the App's default
/// language.
pub(crate) struct Parts {
    pub store: Arc<dyn ServerStore>,
    pub hub: Arc<Hub>,
    pub bus: crate::bus::Bus,
    pub dispatcher: Arc<Dispatcher>,
    pub ultragroups: Arc<Directory>,
    /// Language of receivers who chose none.
    pub default_language: String,
}
