//! A connection's outbound queue: what its writer task is handed, bounded in frames and in
//! bytes. Whoever queues a frame and finds either bound reached gets `Full` and applies its
//! slow-reader policy (the hub and request answers disconnect the client; chatroom
//! low-priority frames and ultra-group events are dropped for that member).

use rcim_proto::v1::ServerFrame;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::{TryRecvError, TrySendError};

/// What a connection's writer task sends.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Write this frame. Boxed: a `ServerFrame` is about 400 bytes, and every connection's
    /// queue allocates its first block of 32 slots up front, idle or not.
    Frame(Box<ServerFrame>),
    /// Write this already encoded `ServerFrame` (without its length prefix): a chatroom
    /// message or an inbox push ([`crate::push_frame`]) is encoded once and the same bytes
    /// go to every member or device.
    Shared(bytes::Bytes),
    /// Flush and close the connection.
    Close,
}

impl Outbound {
    /// Bytes this item will take on the wire (what the byte bound counts).
    fn weight(&self) -> usize {
        match self {
            Outbound::Frame(f) => prost::Message::encoded_len(f.as_ref()),
            Outbound::Shared(b) => b.len(),
            Outbound::Close => 0,
        }
    }
}

/// A new queue of at most `frames` items and `max_bytes` bytes of frames (0 = frames only).
pub(crate) fn channel(frames: usize, max_bytes: usize) -> (OutboundTx, OutboundRx) {
    let (tx, rx) = mpsc::channel(frames);
    let bytes = Arc::new(AtomicUsize::new(0));
    let tx = OutboundTx {
        tx,
        bytes: bytes.clone(),
        max_bytes,
    };
    (tx, OutboundRx { rx, bytes })
}

/// The sending side of an outbound queue (cheap to clone).
#[derive(Clone, Debug)]
pub(crate) struct OutboundTx {
    /// Each item travels with its weight, so the writer frees exactly what was counted.
    tx: mpsc::Sender<(Outbound, usize)>,
    bytes: Arc<AtomicUsize>,
    max_bytes: usize,
}

impl OutboundTx {
    /// Queues `item` without waiting; `Full` when the queue holds its frames or its bytes
    /// already (an item that alone exceeds the byte bound still fits an empty queue).
    pub(crate) fn try_send(&self, item: Outbound) -> Result<(), TrySendError<Outbound>> {
        let n = item.weight();
        let before = self.bytes.fetch_add(n, Ordering::AcqRel);
        if self.max_bytes > 0 && n > 0 && before > 0 && before + n > self.max_bytes {
            self.bytes.fetch_sub(n, Ordering::AcqRel);
            return Err(TrySendError::Full(item));
        }
        self.tx.try_send((item, n)).map_err(|e| {
            self.bytes.fetch_sub(n, Ordering::AcqRel);
            match e {
                TrySendError::Full((item, _)) => TrySendError::Full(item),
                TrySendError::Closed((item, _)) => TrySendError::Closed(item),
            }
        })
    }

    /// The queue's bound in frames.
    pub(crate) fn max_capacity(&self) -> usize {
        self.tx.max_capacity()
    }

    /// Frames queued now.
    pub(crate) fn queued(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }

    /// Bytes of frames queued now.
    pub(crate) fn queued_bytes(&self) -> usize {
        self.bytes.load(Ordering::Acquire)
    }

    /// The queue's bound in bytes (0 = none).
    pub(crate) fn max_bytes(&self) -> usize {
        self.max_bytes
    }
}

/// The receiving side of an outbound queue (the writer task).
#[derive(Debug)]
pub(crate) struct OutboundRx {
    rx: mpsc::Receiver<(Outbound, usize)>,
    bytes: Arc<AtomicUsize>,
}

impl OutboundRx {
    /// The next item; `None` once every sender is gone.
    pub(crate) async fn recv(&mut self) -> Option<Outbound> {
        let (item, n) = self.rx.recv().await?;
        self.bytes.fetch_sub(n, Ordering::AcqRel);
        Some(item)
    }

    /// The next item if one is queued.
    pub(crate) fn try_recv(&mut self) -> Result<Outbound, TryRecvError> {
        let (item, n) = self.rx.try_recv()?;
        self.bytes.fetch_sub(n, Ordering::AcqRel);
        Ok(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte bound refuses what would exceed it, and room comes back as the writer takes
    /// frames; a frame larger than the bound still passes an empty queue.
    #[test]
    fn bytes_bound_the_queue() {
        let (tx, mut rx) = channel(100, 1000);
        let big = || Outbound::Shared(bytes::Bytes::from(vec![0u8; 600]));
        tx.try_send(big()).unwrap();
        assert!(matches!(tx.try_send(big()), Err(TrySendError::Full(_))));
        assert_eq!(tx.queued_bytes(), 600);
        tx.try_send(Outbound::Close).unwrap();
        rx.try_recv().unwrap();
        assert_eq!(tx.queued_bytes(), 0);
        tx.try_send(Outbound::Shared(bytes::Bytes::from(vec![0u8; 5000])))
            .unwrap();
        assert_eq!(tx.queued(), 2);
    }
}
