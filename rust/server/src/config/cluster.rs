//! Running several nodes: the message bus that connects them and the gateways navigation
//! hands out besides this node's own.

use std::time::Duration;

/// Settings of a multi-node deployment. The default is one node: an in-process bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// The NATS server(s) the nodes share, `nats://HOST:PORT` (several separated by commas).
    /// Default none: delivery stays in this process (one node).
    pub bus: Option<String>,
    /// Names the cluster on the bus (the first token after `rcim.` of every subject), so
    /// several deployments can share one NATS server. Default none: derived from the app
    /// key (see [`crate::bus::subjects`]).
    pub name: Option<String>,
    /// Gateways navigation always lists besides this node's own (`HOST:PORT`,
    /// `tls://HOST:PORT` or `tcp://HOST:PORT`), e.g. the fixed addresses of the other
    /// nodes. Default none.
    pub gateways: Vec<String>,
    /// How often a node announces its gateway on the bus. Default 2 s.
    pub announce_every: Duration,
    /// How long an announcement keeps a node listed by navigation. Default 6 s (three
    /// announcements).
    pub node_ttl: Duration,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            bus: None,
            name: None,
            gateways: Vec::new(),
            announce_every: Duration::from_secs(2),
            node_ttl: Duration::from_secs(6),
        }
    }
}

impl ClusterConfig {
    /// Refuses a bus URL that is not `nats://` (or `tls://`) and static gateways that are
    /// not `[scheme://]HOST:PORT`.
    pub(crate) fn validate(&self) -> anyhow::Result<()> {
        if let Some(bus) = &self.bus {
            for url in bus.split(',') {
                let url = url.trim();
                if !(url.starts_with("nats://") || url.starts_with("tls://")) {
                    anyhow::bail!(
                        "the bus must be nats://HOST:PORT (or tls://HOST:PORT), not {url:?}"
                    );
                }
            }
        }
        for gw in &self.gateways {
            super::OpsConfig {
                public_gateway: Some(gw.clone()),
                ..Default::default()
            }
            .validate()
            .map_err(|_| {
                anyhow::anyhow!("a cluster gateway must be [tls://|tcp://]HOST:PORT, not {gw:?}")
            })?;
        }
        if self.node_ttl < self.announce_every {
            anyhow::bail!("the node TTL must be at least the announcement interval");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bus_urls_and_gateways_are_checked() {
        let with = |bus: &str, gws: &[&str]| ClusterConfig {
            bus: Some(bus.into()),
            gateways: gws.iter().map(|g| g.to_string()).collect(),
            ..Default::default()
        };
        assert!(ClusterConfig::default().validate().is_ok());
        assert!(with("nats://127.0.0.1:4222", &[]).validate().is_ok());
        assert!(
            with("nats://a:4222,nats://b:4222", &["tls://im.example.com:443"])
                .validate()
                .is_ok()
        );
        assert!(with("http://127.0.0.1:4222", &[]).validate().is_err());
        assert!(with("nats://a:4222", &["im.example.com"])
            .validate()
            .is_err());
    }
}
