//! The writer's answers: each command's reply is held until its batch is committed (then
//! delivered) or failed.

use super::prune::PruneRun;
use super::push::PushWritten;
use crate::model::SendOutcome;
use crate::store::ultragroup_stream_records::UgWritten;
use anyhow::anyhow;
use tokio::sync::oneshot;

/// A reply to send once the batch is committed.
pub(super) enum Reply {
    Send(
        oneshot::Sender<anyhow::Result<SendOutcome>>,
        anyhow::Result<SendOutcome>,
    ),
    Unit(oneshot::Sender<anyhow::Result<()>>, anyhow::Result<()>),
    Count(
        oneshot::Sender<anyhow::Result<usize>>,
        anyhow::Result<usize>,
    ),
    Time(oneshot::Sender<anyhow::Result<i64>>, anyhow::Result<i64>),
    Push(
        oneshot::Sender<anyhow::Result<PushWritten>>,
        anyhow::Result<PushWritten>,
    ),
    Flag(oneshot::Sender<anyhow::Result<bool>>, anyhow::Result<bool>),
    Ug(
        oneshot::Sender<anyhow::Result<UgWritten>>,
        anyhow::Result<UgWritten>,
    ),
    Pruned(
        oneshot::Sender<anyhow::Result<(usize, PruneRun)>>,
        anyhow::Result<(usize, PruneRun)>,
    ),
}

impl Reply {
    /// Whether the command succeeded (its writes are kept).
    pub(super) fn succeeded(&self) -> bool {
        match self {
            Reply::Send(_, r) => r.is_ok(),
            Reply::Unit(_, r) => r.is_ok(),
            Reply::Count(_, r) => r.is_ok(),
            Reply::Time(_, r) => r.is_ok(),
            Reply::Push(_, r) => r.is_ok(),
            Reply::Flag(_, r) => r.is_ok(),
            Reply::Ug(_, r) => r.is_ok(),
            Reply::Pruned(_, r) => r.is_ok(),
        }
    }

    pub(super) fn fail(self, err: &anyhow::Error) {
        match self {
            Reply::Send(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Unit(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Count(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Time(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Push(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Flag(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Ug(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
            Reply::Pruned(tx, _) => {
                let _ = tx.send(Err(anyhow!("commit failed: {err:#}")));
            }
        }
    }

    pub(super) fn deliver(self) {
        match self {
            Reply::Send(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Unit(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Count(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Time(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Push(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Flag(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Ug(tx, r) => {
                let _ = tx.send(r);
            }
            Reply::Pruned(tx, r) => {
                let _ = tx.send(r);
            }
        }
    }
}
