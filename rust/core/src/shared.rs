//! [`Shared`]: the state the engine and its connection task both hold (configuration, HTTP
//! client, device id, event sender).

use crate::config::EngineConfig;
use crate::event::Event;
use crate::event_queue::EventSender;

/// State shared by the engine and its tasks.
pub(crate) struct Shared {
    pub(crate) config: EngineConfig,
    pub(crate) http: reqwest::Client,
    /// For media transfers: no overall timeout (a large file may take long).
    pub(crate) media_http: reqwest::Client,
    /// TLS of the gateway connection; `http` and `media_http` use the same.
    pub(crate) tls: std::sync::Arc<rustls::ClientConfig>,
    pub(crate) device_id: String,
    pub(crate) events: EventSender,
}

impl Shared {
    /// Hands `event` to the embedder (waits while its queue is full).
    pub(crate) async fn emit(&self, event: Event) {
        if self.events.send(event).await.is_err() {
            tracing::debug!("event dropped: nobody listens");
        }
    }
}
