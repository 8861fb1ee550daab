//! The engine's database thread: one thread owns the [`Store`] (one writer); async code sends
//! it closures and awaits their results.

use rcim_store::{Store, StoreError};
use std::path::PathBuf;
use tokio::sync::{mpsc, oneshot};

type Job = Box<dyn FnOnce(&mut Store) + Send>;

/// How many database jobs may wait before callers are slowed down.
const QUEUE_LEN: usize = 1024;

/// Handle to a database thread. Dropping every handle stops the thread.
#[derive(Clone)]
pub(crate) struct Db {
    jobs: mpsc::Sender<Job>,
}

/// A database job failed or the thread is gone.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DbError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database thread stopped")]
    Stopped,
    #[error("database queue full")]
    Busy,
}

/// The next job; when none waits, the WAL is checkpointed first if due, so checkpoints run
/// between jobs instead of inside the commit of one (often a send on its way to the wire).
fn next_job(rx: &mut mpsc::Receiver<Job>, store: &mut Store) -> Option<Job> {
    match rx.try_recv() {
        Ok(job) => Some(job),
        Err(mpsc::error::TryRecvError::Disconnected) => None,
        Err(mpsc::error::TryRecvError::Empty) => {
            if let Err(e) = store.checkpoint_if_due() {
                tracing::warn!(error = %e, "WAL checkpoint failed");
            }
            rx.blocking_recv()
        }
    }
}

impl Db {
    /// Opens the database at `path` on a new thread.
    pub(crate) async fn open(path: PathBuf) -> Result<Db, DbError> {
        let (jobs, mut rx) = mpsc::channel::<Job>(QUEUE_LEN);
        let (opened_tx, opened_rx) = oneshot::channel();
        std::thread::Builder::new()
            .name("rcim-db".into())
            .spawn(move || {
                let mut store = match Store::open(&path) {
                    Ok(store) => {
                        let _ = opened_tx.send(Ok(()));
                        store
                    }
                    Err(e) => {
                        let _ = opened_tx.send(Err(e));
                        return;
                    }
                };
                while let Some(job) = next_job(&mut rx, &mut store) {
                    job(&mut store);
                }
            })
            .map_err(|e| DbError::Store(StoreError::Io(e)))?;
        opened_rx.await.map_err(|_| DbError::Stopped)??;
        Ok(Db { jobs })
    }

    /// Queues `f` now (so jobs run in the order they were submitted) and returns a future of
    /// its result. Fails at once when the queue is full or the thread is gone.
    pub(crate) fn submit<R, F>(
        &self,
        f: F,
    ) -> Result<impl std::future::Future<Output = Result<R, DbError>> + Send + 'static, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Store) -> Result<R, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |store| {
            let _ = tx.send(f(store));
        });
        self.jobs.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(_) => DbError::Busy,
            mpsc::error::TrySendError::Closed(_) => DbError::Stopped,
        })?;
        Ok(async move {
            rx.await
                .map_err(|_| DbError::Stopped)?
                .map_err(DbError::from)
        })
    }

    /// Runs `f` on the database thread, waiting for room in the queue.
    pub(crate) async fn call<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Store) -> Result<R, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |store| {
            let _ = tx.send(f(store));
        });
        self.jobs.send(job).await.map_err(|_| DbError::Stopped)?;
        Ok(rx.await.map_err(|_| DbError::Stopped)??)
    }
}
