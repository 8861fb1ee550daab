//! Prometheus metrics of one server (`GET /metrics`, text exposition in the OpenMetrics
//! format).
//!
//! Built on `prometheus-client`: every server owns its [`Registry`], so servers started in
//! the same process (the tests) never mix their figures, and the metric types are plain
//! atomics without a global recorder to install. Events are counted where they happen
//! ([`Metrics::send_answered`], [`Metrics::api_answered`], [`MeteredCommits`], the
//! requests in flight held by [`InFlight`]); figures that
//! already live elsewhere (connections, online users, the writer queue, the push service's
//! counters) are read at each scrape ([`Live`]).

use crate::fanout::CommitObserver;
use crate::model::Push;
use crate::service::push::PushStats;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric as _};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The `Content-Type` of `/metrics`.
pub(crate) const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Labels of the Server API response counter: `code` (RongCloud's business code).
type CodeLabel = Vec<(&'static str, String)>;

/// The figures read at each scrape.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Live {
    /// Authenticated client connections.
    pub(crate) connections: usize,
    /// Users with at least one connection (or a login in progress).
    pub(crate) online_users: usize,
    /// Commands waiting in the database writer's queue.
    pub(crate) writer_queue: usize,
    /// The offline push service's counters.
    pub(crate) push: PushStats,
    /// The bus counters (all 0 in process).
    pub(crate) bus: crate::bus::BusStats,
}

/// The metrics of one server.
pub(crate) struct Metrics {
    registry: Registry,
    messages_in: Counter,
    send_acks: Histogram,
    inbox_entries: Counter,
    api_responses: Family<CodeLabel, Counter>,
    requests_in_flight: Gauge,
    live: Arc<Mutex<Live>>,
}

/// Something held while a client request executes off its connection's read loop (its
/// in-flight slot), counted in `rcim_requests_in_flight` until dropped.
pub(crate) struct InFlight<T> {
    _held: T,
    gauge: Gauge,
}

impl<T> Drop for InFlight<T> {
    fn drop(&mut self) {
        self.gauge.dec();
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("rcim");
        let messages_in = Counter::default();
        registry.register(
            "messages_received",
            "Private and group messages sent by clients and stored (acknowledged)",
            messages_in.clone(),
        );
        // 0.5 ms .. ~4 s: a commit with group commit takes a few ms, a stalled disk seconds.
        let send_acks = Histogram::new(exponential_buckets(0.0005, 2.0, 14));
        registry.register(
            "send_ack_seconds",
            "Time from a client's send to its acknowledgement (after the commit)",
            send_acks.clone(),
        );
        let inbox_entries = Counter::default();
        registry.register(
            "inbox_entries_delivered",
            "Inbox entries (messages and events, one per recipient) committed and handed to \
             live delivery",
            inbox_entries.clone(),
        );
        let api_responses = Family::<CodeLabel, Counter>::default();
        registry.register(
            "server_api_responses",
            "Server API answers by business code (200 = success)",
            api_responses.clone(),
        );
        let requests_in_flight = Gauge::default();
        registry.register(
            "requests_in_flight",
            "Client requests executing off their connection's read loop, all connections \
             together (each connection at most --max-in-flight)",
            requests_in_flight.clone(),
        );
        let live = Arc::new(Mutex::new(Live::default()));
        registry.register_collector(Box::new(LiveCollector(live.clone())));
        Self {
            registry,
            messages_in,
            send_acks,
            inbox_entries,
            api_responses,
            requests_in_flight,
            live,
        }
    }
}

impl Metrics {
    /// A client send was answered `code` (0 = stored) after `took`.
    pub(crate) fn send_answered(&self, took: Duration, code: u32) {
        self.send_acks.observe(took.as_secs_f64());
        if code == 0 {
            self.messages_in.inc();
        }
    }

    /// The Server API answered with business code `code`.
    pub(crate) fn api_answered(&self, code: u32) {
        self.api_responses
            .get_or_create(&vec![("code", code.to_string())])
            .inc();
    }

    /// Counts a request in flight while `held` (its slot) is.
    pub(crate) fn in_flight<T>(&self, held: T) -> InFlight<T> {
        self.requests_in_flight.inc();
        InFlight {
            _held: held,
            gauge: self.requests_in_flight.clone(),
        }
    }

    /// Client requests in flight now, all connections together.
    pub(crate) fn requests_in_flight(&self) -> i64 {
        self.requests_in_flight.get()
    }

    /// The exposition text with the figures of `live`.
    pub(crate) fn render(&self, live: Live) -> String {
        *self.live.lock().unwrap_or_else(|e| e.into_inner()) = live;
        let mut text = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::error!(error = %e, "encoding the metrics failed");
        }
        text
    }

    /// Wraps the observer of committed batches so their entries are counted first.
    pub(crate) fn metered(
        self: &Arc<Self>,
        inner: Arc<dyn CommitObserver>,
    ) -> Arc<dyn CommitObserver> {
        Arc::new(MeteredCommits {
            counter: self.inbox_entries.clone(),
            inner,
        })
    }
}

/// Counts the entries of every committed batch, then hands it to the next observer.
struct MeteredCommits {
    counter: Counter,
    inner: Arc<dyn CommitObserver>,
}

impl CommitObserver for MeteredCommits {
    fn offer(&self, entries: &[Push]) {
        self.counter.inc_by(entries.len() as u64);
        self.inner.offer(entries);
    }
}

/// Encodes the [`Live`] figures of the current scrape.
#[derive(Debug)]
struct LiveCollector(Arc<Mutex<Live>>);

impl LiveCollector {
    fn gauge(encoder: &mut DescriptorEncoder, name: &str, help: &str, v: usize) -> FmtResult {
        let g = ConstGauge::new(i64::try_from(v).unwrap_or(i64::MAX));
        g.encode(encoder.encode_descriptor(name, help, None, g.metric_type())?)
    }

    fn counter(encoder: &mut DescriptorEncoder, name: &str, help: &str, v: u64) -> FmtResult {
        let c = ConstCounter::new(v);
        c.encode(encoder.encode_descriptor(name, help, None, c.metric_type())?)
    }
}

type FmtResult = Result<(), std::fmt::Error>;

impl Collector for LiveCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> FmtResult {
        let live = *self.0.lock().unwrap_or_else(|e| e.into_inner());
        let e = &mut encoder;
        Self::gauge(
            e,
            "connections",
            "Authenticated client connections",
            live.connections,
        )?;
        Self::gauge(
            e,
            "online_users",
            "Users online (or logging in)",
            live.online_users,
        )?;
        Self::gauge(
            e,
            "writer_queue_depth",
            "Commands waiting for the database writer",
            live.writer_queue,
        )?;
        let p = live.push;
        Self::counter(e, "pushes_decided", "Offline pushes decided", p.decided)?;
        Self::counter(
            e,
            "pushes_delivered",
            "Offline pushes accepted by their provider",
            p.dispatch.delivered,
        )?;
        Self::counter(
            e,
            "pushes_failed",
            "Offline pushes given up",
            p.dispatch.failed,
        )?;
        Self::counter(
            e,
            "pushes_dropped",
            "Offline pushes never sent (queues full, no provider)",
            p.dispatch.dropped + p.not_queued + p.dropped_entries,
        )?;
        let b = live.bus;
        Self::counter(
            e,
            "bus_published",
            "Messages published on the bus to the other nodes",
            b.published,
        )?;
        Self::counter(
            e,
            "bus_received",
            "Messages received on the bus from the other nodes",
            b.received,
        )?;
        Self::counter(
            e,
            "bus_dropped",
            "Messages for the bus dropped (queue toward NATS full, or refused)",
            b.dropped,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample line of `name` (with its labels), e.g. `rcim_connections 3`.
    fn sample<'a>(text: &'a str, name: &str) -> Option<&'a str> {
        text.lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with([' ', '{']))
    }

    #[test]
    fn exposition_has_every_figure() {
        let m = Metrics::default();
        m.send_answered(Duration::from_millis(3), 0);
        m.send_answered(Duration::from_millis(1), 20604);
        m.api_answered(200);
        m.api_answered(200);
        m.api_answered(1004);
        let live = Live {
            connections: 3,
            online_users: 2,
            writer_queue: 7,
            push: PushStats::default(),
            bus: crate::bus::BusStats {
                published: 5,
                ..Default::default()
            },
        };
        let text = m.render(live);
        assert_eq!(
            sample(&text, "rcim_connections"),
            Some("rcim_connections 3")
        );
        assert_eq!(
            sample(&text, "rcim_bus_published_total"),
            Some("rcim_bus_published_total 5")
        );
        assert_eq!(
            sample(&text, "rcim_online_users"),
            Some("rcim_online_users 2")
        );
        assert_eq!(
            sample(&text, "rcim_writer_queue_depth"),
            Some("rcim_writer_queue_depth 7")
        );
        assert_eq!(
            sample(&text, "rcim_messages_received_total"),
            Some("rcim_messages_received_total 1")
        );
        assert_eq!(
            sample(&text, "rcim_send_ack_seconds_count"),
            Some("rcim_send_ack_seconds_count 2")
        );
        assert!(
            text.contains("rcim_server_api_responses_total{code=\"200\"} 2"),
            "{text}"
        );
        assert!(
            text.contains("rcim_server_api_responses_total{code=\"1004\"} 1"),
            "{text}"
        );
        assert_eq!(
            sample(&text, "rcim_pushes_delivered_total"),
            Some("rcim_pushes_delivered_total 0")
        );
        assert!(text.ends_with("# EOF\n"));
    }
}
