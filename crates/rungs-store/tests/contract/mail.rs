//! The storage contract for mail notices: a sweep's marks move only from what it read (a
//! racing sweep is refused whole, queueing nothing), a person's waiting notices go into one
//! mail once, a mail is held by one sender at a time until its lease ends, and what became of
//! it is kept; a person on a digest waits a day after their last mail.

use jiff::{SignedDuration, Timestamp};
use rungs_core::assess::{CycleName, NominationState};
use rungs_core::notify::{MailPreferences, NoticeKind};
use rungs_core::org::PersonId;
use rungs_store::{
    Change, MailQueue, MailState, MarkOwner, MarkSink, MarkedNotices, NewMail, NewNotice,
    NoticeMarks, Records, Storage, StoreError,
};

use super::{import, small_org};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_790_000_000 + seconds).unwrap()
}

fn cycle() -> CycleName {
    CycleName::parse("2027-H1").unwrap()
}

fn id(text: &str) -> PersonId {
    PersonId::parse(text).unwrap()
}

#[derive(Default)]
struct Marks(Vec<(String, u16)>);

impl MarkSink for Marks {
    fn add(&mut self, person: &str, marks: u16) {
        self.0.push((person.to_owned(), marks));
    }
}

fn opening(person: &str, manager: &str, before: u16) -> MarkedNotices {
    MarkedNotices {
        owner: MarkOwner::Participant(id(person)),
        before,
        after: before | NoticeKind::CycleOpened.bit() | NoticeKind::AssessAssigned.bit(),
        notices: vec![
            NewNotice {
                recipient: id(person),
                kind: NoticeKind::CycleOpened,
                subject: id(person),
                due: Some("2027-02-14".parse().unwrap()),
            },
            NewNotice {
                recipient: id(manager),
                kind: NoticeKind::AssessAssigned,
                subject: id(person),
                due: Some("2027-02-28".parse().unwrap()),
            },
        ],
    }
}

async fn open_cycle(store: &(impl Storage + Sync)) {
    import(store, &small_org()).await;
    store.apply(&[Change::OpenCycle { name: cycle(), at: at(0) }]).await.unwrap();
}

pub async fn notices_are_queued_once_with_their_marks(store: impl Storage + Sync) {
    open_cycle(&store).await;
    store
        .queue_notices(&cycle(), &[opening("E3", "E2", 0), opening("E4", "E2", 0)], at(1))
        .await
        .unwrap();
    let Marks(mut marks) = store.notice_marks(&cycle(), Marks::default()).await.unwrap();
    marks.sort();
    let both = NoticeKind::CycleOpened.bit() | NoticeKind::AssessAssigned.bit();
    assert_eq!(marks, [("E3".to_owned(), both), ("E4".to_owned(), both)]);
    assert_eq!(store.mail_counts().await.unwrap().waiting, 4);

    // A sweep that read the marks before they moved is refused whole: E5's notices, new,
    // are not queued with it either.
    let raced = store
        .queue_notices(&cycle(), &[opening("E5", "E1", 0), opening("E3", "E2", 0)], at(2))
        .await;
    assert!(matches!(raced, Err(StoreError::Conflict(_))), "{raced:?}");
    assert_eq!(store.mail_counts().await.unwrap().waiting, 4);
    // From the marks as they are, it goes on.
    let reminder = MarkedNotices {
        owner: MarkOwner::Participant(id("E3")),
        before: both,
        after: both | NoticeKind::SelfReminder.bit(),
        notices: vec![NewNotice {
            recipient: id("E3"),
            kind: NoticeKind::SelfReminder,
            subject: id("E3"),
            due: None,
        }],
    };
    store.queue_notices(&cycle(), &[reminder], at(3)).await.unwrap();
    assert_eq!(store.mail_counts().await.unwrap().waiting, 5);

    // Nominations keep marks of their own, moved the same way.
    store
        .apply(&[Change::Nominate {
            cycle: cycle(),
            subject: id("E3"),
            peer: id("E5"),
            state: NominationState::Approved,
            by: "cli".into(),
            at: at(4),
            anonymous: true,
        }])
        .await
        .unwrap();
    let found = store.nominations_to_notice(&cycle(), None, 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].progress.approved && !found[0].progress.submitted);
    assert_eq!(found[0].marks, 0);
    let asked = MarkedNotices {
        owner: MarkOwner::Nomination { subject: id("E3"), peer: id("E5"), approved: true },
        before: 0,
        after: NoticeKind::PeerAsked.bit(),
        notices: vec![NewNotice {
            recipient: id("E5"),
            kind: NoticeKind::PeerAsked,
            subject: id("E3"),
            due: None,
        }],
    };
    store.queue_notices(&cycle(), std::slice::from_ref(&asked), at(5)).await.unwrap();
    let raced = store.queue_notices(&cycle(), &[asked], at(6)).await;
    assert!(matches!(raced, Err(StoreError::Conflict(_))), "{raced:?}");
    let found = store.nominations_to_notice(&cycle(), None, 10).await.unwrap();
    assert_eq!(found[0].marks, NoticeKind::PeerAsked.bit());
    // Paging goes on after the last one read.
    let after =
        store.nominations_to_notice(&cycle(), Some((&id("E3"), &id("E5"))), 10).await.unwrap();
    assert!(after.is_empty());
}

pub async fn a_persons_notices_go_into_one_mail_sent_once(store: impl Storage + Sync) {
    open_cycle(&store).await;
    store
        .queue_notices(&cycle(), &[opening("E3", "E2", 0), opening("E4", "E2", 0)], at(1))
        .await
        .unwrap();
    let waiting = store.waiting_recipients(at(0), 10).await.unwrap();
    assert_eq!(waiting, [id("E3"), id("E2"), id("E4")], "oldest first");
    let manager = store.mail_recipient(&id("E2"), 100).await.unwrap();
    assert_eq!(
        manager.name_and_address,
        Some(("Person E2".to_owned(), Some("e2@example.com".to_owned())))
    );
    assert_eq!(manager.preferences, MailPreferences::default());
    assert_eq!(manager.last_mail, None);
    let kinds: Vec<(NoticeKind, String)> =
        manager.notices.iter().map(|notice| (notice.kind, notice.subject_name.clone())).collect();
    assert_eq!(
        kinds,
        [
            (NoticeKind::AssessAssigned, "Person E3".to_owned()),
            (NoticeKind::AssessAssigned, "Person E4".to_owned())
        ]
    );
    let mail = NewMail {
        recipient: id("E2"),
        address: "e2@example.com".into(),
        subject: "2 things to do in Rungs".into(),
        body: "Hello".into(),
        undeliverable: None,
        notices: manager.notices.iter().map(|notice| notice.key).collect(),
    };
    let key = store.keep_mail(&mail, at(10)).await.unwrap();
    // A second sender composing from the same read attaches nothing and keeps nothing.
    let again = store.keep_mail(&mail, at(11)).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let counts = store.mail_counts().await.unwrap();
    assert_eq!((counts.waiting, counts.queued), (2, 1));

    // One sender at a time: the lease keeps others off until it ends.
    let claimed = store.claim_mails(at(20), at(80), 5).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        (claimed[0].key, claimed[0].attempts, claimed[0].state),
        (key, 1, MailState::Queued)
    );
    assert!(store.claim_mails(at(30), at(90), 5).await.unwrap().is_empty());
    let retaken = store.claim_mails(at(81), at(140), 5).await.unwrap();
    assert_eq!(retaken[0].attempts, 2, "a lease that ended is taken again");
    // The sender whose lease ran out records nothing over the one holding the mail now.
    let late = store.mail_sent(&claimed[0], at(82)).await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
    let late = store.mail_failed(&claimed[0], "timed out", None).await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
    // A failure waits for its retry; a success is recorded and never taken again.
    store.mail_failed(&retaken[0], "451 try later", Some(at(200))).await.unwrap();
    assert!(store.claim_mails(at(150), at(210), 5).await.unwrap().is_empty());
    let third = store.claim_mails(at(200), at(260), 5).await.unwrap();
    assert_eq!(third[0].attempts, 3);
    store.mail_sent(&third[0], at(201)).await.unwrap();
    assert!(store.claim_mails(at(300), at(360), 5).await.unwrap().is_empty());
    let recent = store.recent_mails(10).await.unwrap();
    assert_eq!(recent[0].state, MailState::Sent);
    assert_eq!(recent[0].sent_at, Some(at(201)));
    assert_eq!(recent[0].last_error, None);
    let waiting = store.recent_waiting_notices(10).await.unwrap();
    assert_eq!(waiting.len(), 2);
    assert_eq!(waiting[0].recipient_name, "Person E4");

    // Given up: kept as failed with its error.
    let other = store.mail_recipient(&id("E3"), 100).await.unwrap();
    let lost = NewMail {
        recipient: id("E3"),
        address: String::new(),
        subject: "Review cycle 2027-H1 is open".into(),
        body: "Hello".into(),
        undeliverable: Some("they have no email address".into()),
        notices: other.notices.iter().map(|notice| notice.key).collect(),
    };
    store.keep_mail(&lost, at(400)).await.unwrap();
    let counts = store.mail_counts().await.unwrap();
    assert_eq!((counts.waiting, counts.queued, counts.sent, counts.failed), (1, 0, 1, 1));
    assert!(store.claim_mails(at(500), at(560), 5).await.unwrap().is_empty());
    // Queued again only when there is somewhere to send it.
    assert_eq!(store.requeue_failed_mails(at(600)).await.unwrap(), 0);
    let refused = NewMail {
        recipient: id("E2"),
        address: "e2@example.com".into(),
        subject: "Again".into(),
        body: "Hello".into(),
        undeliverable: None,
        notices: vec![],
    };
    store.keep_mail(&refused, at(610)).await.unwrap();
    let taken = store.claim_mails(at(611), at(670), 5).await.unwrap();
    store.mail_failed(&taken[0], "535 authentication failed", None).await.unwrap();
    assert_eq!(store.requeue_failed_mails(at(620)).await.unwrap(), 1);
    let again = store.claim_mails(at(621), at(680), 5).await.unwrap();
    assert_eq!((again[0].attempts, again[0].last_error.as_deref()), (1, None));
    store.mail_sent(&again[0], at(622)).await.unwrap();

    // Notices of a cycle closed before they went out are dropped.
    store.apply(&[Change::CloseCycle { name: cycle(), at: at(700) }]).await.unwrap();
    assert_eq!(store.drop_closed_notices().await.unwrap(), 1);
    assert_eq!(store.mail_counts().await.unwrap().waiting, 0);
}

pub async fn a_digest_waits_a_day_after_the_last_mail(store: impl Storage + Sync) {
    open_cycle(&store).await;
    let digest = MailPreferences { reminders: false, digest: true };
    store
        .apply(&[Change::SetMailPreferences { person: id("E2"), preferences: digest }])
        .await
        .unwrap();
    assert_eq!(store.mail_preferences(&id("E2")).await.unwrap(), digest);
    assert_eq!(store.without_reminders().await.unwrap(), [id("E2")]);
    store.queue_notices(&cycle(), &[opening("E3", "E2", 0)], at(1)).await.unwrap();
    let notices: Vec<i64> = store
        .mail_recipient(&id("E2"), 100)
        .await
        .unwrap()
        .notices
        .iter()
        .map(|notice| notice.key)
        .collect();
    let mail = NewMail {
        recipient: id("E2"),
        address: "e2@example.com".into(),
        subject: "Your Rungs digest".into(),
        body: "Hello".into(),
        undeliverable: None,
        notices,
    };
    store.keep_mail(&mail, at(10)).await.unwrap();
    store.queue_notices(&cycle(), &[opening("E4", "E2", 0)], at(20)).await.unwrap();
    let day = SignedDuration::from_hours(24);
    let within_the_day =
        store.waiting_recipients(at(30).checked_sub(day).unwrap(), 10).await.unwrap();
    assert_eq!(within_the_day, [id("E3"), id("E4")], "E2 waits; the others do not");
    // A day after E2's last mail (made at 10), they are listed again.
    let a_day_later = store.waiting_recipients(at(11), 10).await.unwrap();
    assert_eq!(a_day_later, [id("E3"), id("E4"), id("E2")]);
}
