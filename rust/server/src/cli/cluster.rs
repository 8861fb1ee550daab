//! Several nodes: the message bus and the gateways navigation lists besides this node's.

use crate::config::ServerConfig;

/// Options of this group; each also reads an `RCIM_*` environment variable.
#[derive(Debug, clap::Args)]
pub(super) struct ClusterArgs {
    /// The NATS server the nodes of a cluster share, nats://HOST:PORT (several separated by
    /// commas). Each node then delivers to its recipients on every node, enforces the device
    /// rules across nodes and announces its gateway to the others' navigation. Unset: one
    /// node, delivery in this process.
    #[arg(long, env = "RCIM_BUS")]
    bus: Option<String>,
    /// The cluster's name on the bus (several deployments may share one NATS server).
    /// Unset: derived from the app key.
    #[arg(long, env = "RCIM_CLUSTER_NAME")]
    cluster_name: Option<String>,
    /// Gateways navigation lists besides this node's own, HOST:PORT[,HOST:PORT...] (with an
    /// optional tls:// or tcp:// scheme each): the other nodes' fixed addresses.
    #[arg(long, env = "RCIM_CLUSTER_GATEWAYS", value_delimiter = ',')]
    cluster_gateways: Vec<String>,
}

impl ClusterArgs {
    pub(super) fn apply(self, config: &mut ServerConfig) -> anyhow::Result<()> {
        config.cluster.bus = self.bus.filter(|b| !b.trim().is_empty());
        config.cluster.name = self.cluster_name.filter(|n| !n.trim().is_empty());
        config.cluster.gateways = self
            .cluster_gateways
            .into_iter()
            .map(|g| g.trim().to_owned())
            .filter(|g| !g.is_empty())
            .collect();
        config.cluster.validate()
    }
}
