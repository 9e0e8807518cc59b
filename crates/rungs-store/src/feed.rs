//! `ImportFeed`: people arriving for an import while the export is still being read and checked,
//! so that writing overlaps reading. The sender decides at the end whether the import is kept.

use rungs_core::org::Person;
use tokio::sync::mpsc;

/// Batches in flight between the reader and the writer.
const BATCHES_IN_FLIGHT: usize = 4;

pub(crate) enum FeedItem {
    People(Vec<Person>),
    /// No more people will come; the writer may finish its work while the reader decides.
    AllSent,
    End {
        commit: bool,
    },
}

/// The writer's end of an import.
#[derive(Debug)]
pub struct ImportFeed {
    receiver: mpsc::Receiver<FeedItem>,
}

/// The reader's end of an import. Its methods block: call them from a blocking thread.
#[derive(Debug)]
pub struct FeedSender {
    sender: mpsc::Sender<FeedItem>,
}

impl std::fmt::Debug for FeedItem {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedItem::People(people) => write!(formatter, "People({})", people.len()),
            FeedItem::AllSent => formatter.write_str("AllSent"),
            FeedItem::End { commit } => write!(formatter, "End {{ commit: {commit} }}"),
        }
    }
}

/// A connected pair: send people into one end, hand the other to `Storage::import_people`.
pub fn import_feed() -> (FeedSender, ImportFeed) {
    let (sender, receiver) = mpsc::channel(BATCHES_IN_FLIGHT);
    (FeedSender { sender }, ImportFeed { receiver })
}

impl FeedSender {
    /// Sends a batch. False when the writer has stopped (it failed); stop sending then.
    pub fn send(&self, people: Vec<Person>) -> bool {
        self.sender.blocking_send(FeedItem::People(people)).is_ok()
    }

    /// Says that every person has been sent, before the reader's last checks decide whether
    /// the import is kept: the writer builds indexes and checks constraints meanwhile.
    pub fn all_sent(&self) {
        let _ = self.sender.blocking_send(FeedItem::AllSent);
    }

    /// Ends the import: `commit` keeps it (or, in a dry run, reports it); otherwise the writer
    /// rolls back. Dropping the sender without finishing also rolls back.
    pub fn finish(self, commit: bool) {
        // A writer that already stopped has rolled back on its own.
        let _ = self.sender.blocking_send(FeedItem::End { commit });
    }
}

impl ImportFeed {
    /// A feed of people already in hand, to be kept.
    pub fn of(people: Vec<Person>) -> ImportFeed {
        let (sender, receiver) = mpsc::channel(2);
        // Two items fit the fresh channel's capacity of two.
        let _ = sender.try_send(FeedItem::People(people));
        let _ = sender.try_send(FeedItem::End { commit: true });
        ImportFeed { receiver }
    }

    /// The next item, blocking the current (non-async) thread.
    pub(crate) fn next_blocking(&mut self) -> Option<FeedItem> {
        self.receiver.blocking_recv()
    }

    /// The next item.
    pub(crate) async fn next(&mut self) -> Option<FeedItem> {
        self.receiver.recv().await
    }
}
