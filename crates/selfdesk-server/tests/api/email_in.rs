//! Email in, against a real IMAP server (Dovecot, `imap.rs`) and the SMTP sink: a
//! reply to a ticket email lands on the ticket as the requester's reply; "not fixed"
//! reopens a resolved ticket and a thank-you does not; a message from an unknown thread
//! files a ticket, confirmed by email, once even when read again by another replica;
//! hostile mail is refused with a record admins see, kept in the mailbox and never
//! answered; one sender files only so many tickets an hour.

use std::time::{Duration, Instant};

use mail_parser::MessageParser;
use selfdesk_server::protect::rate_limits::{Action, RateLimits};
use selfdesk_shared::tickets::{ActorKind, TicketChange, TicketStatus, TicketView};
use serde_json::Value;

use crate::helpers::{TINY_PNG, TestApp, spawn_app_with};
use crate::imap::{self, ImapServer};
use crate::smtp::{ReceivedEmail, SmtpSink};

const ADA: &str = "ada@example.org";

async fn desk() -> (SmtpSink, std::sync::Arc<ImapServer>, TestApp) {
    let sink = SmtpSink::start();
    let imap = ImapServer::start();
    let app = spawn_app_with(|serve| {
        sink.configure(serve);
        imap.configure(serve);
    })
    .await;
    (sink, imap, app)
}

/// The Reply-To of an email the help desk sent.
fn reply_to(mail: &ReceivedEmail) -> String {
    let message = MessageParser::default().parse(mail.raw.as_bytes()).unwrap();
    message
        .reply_to()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .unwrap_or_else(|| panic!("no Reply-To in:\n{}", mail.raw))
        .to_owned()
}

fn reply(to: &str, message_id: &str, text: &str) -> Vec<u8> {
    imap::message(
        &[
            ("From", "Ada Lovelace <ada@example.org>"),
            ("To", to),
            ("Subject", "Re: your ticket"),
            ("Message-ID", message_id),
            ("Date", "Sun, 6 Dec 2026 09:00:00 +0000"),
        ],
        text,
    )
}

/// Waits until the ticket, as its requester sees it, satisfies `done`.
async fn wait_for_ticket(
    app: &TestApp,
    number: &str,
    token: &str,
    done: impl Fn(&TicketView) -> bool,
) -> TicketView {
    let started = Instant::now();
    loop {
        let view: TicketView = app
            .client()
            .get(app.url(&format!("/api/v1/tickets/{number}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if done(&view) {
            return view;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the ticket did not change as expected within 20 s: {:#?}",
            view.events
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn requester_replies(view: &TicketView) -> Vec<(String, usize)> {
    view.events
        .iter()
        .filter(|e| e.actor == ActorKind::Requester)
        .filter_map(|e| match &e.change {
            TicketChange::Reply { body } => Some((body.clone(), e.attachments.len())),
            _ => None,
        })
        .collect()
}

/// The admins' list of mail read.
async fn mail_in(app: &TestApp) -> Vec<Value> {
    let admin = app.staff("admin").await;
    let list: Value = admin.get_json("/api/v1/staff/mail-in").await;
    list["messages"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_technicians_email_answered_by_email_lands_on_the_ticket() {
    let (sink, imap, app) = desk().await;
    let created = app.file("Printer prints blank pages").await;
    let staff = app.staff("tier1").await;
    staff.reply(&created.number, "Is it plugged in?").await;
    let mail = sink.wait_for_mail(ADA, "—").await;
    let staff_mail = loop {
        let mails = sink.received();
        if let Some(m) = mails.iter().find(|m| m.body.contains("Is it plugged in?")) {
            break m.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let address = reply_to(&staff_mail);
    assert!(
        address.starts_with("help+") && address.ends_with("@selfdesk.test"),
        "{address}"
    );
    assert!(
        !address.contains(&created.access_token),
        "the reply address is not the tracking token"
    );
    assert!(
        staff_mail.raw.contains("Auto-Submitted: auto-generated"),
        "{}",
        staff_mail.raw
    );
    assert_ne!(reply_to(&mail), address, "each email has its own token");

    let mut raw = imap::with_attachment(
        &[
            ("From", "Ada Lovelace <ada@example.org>"),
            ("To", &address),
            ("Subject", "Re: Ticket — new reply"),
            ("Message-ID", "<reply-1@example.org>"),
            ("In-Reply-To", &staff_mail.message_id),
        ],
        "Yes, it is plugged in. Photo attached.\r\n\r\nOn Sun, 6 Dec 2026 at 09:00, Selfdesk <help@selfdesk.test> wrote:\r\n> Is it plugged in?\r\n",
        "photo.png",
        "image/png",
        &TINY_PNG,
    );
    imap.append(&raw).await;
    let view = wait_for_ticket(&app, &created.number, &created.access_token, |v| {
        !requester_replies(v).is_empty()
    })
    .await;
    assert_eq!(
        requester_replies(&view),
        [("Yes, it is plugged in. Photo attached.".to_owned(), 1)]
    );
    assert_eq!(view.status, TicketStatus::InProgress);

    // Our own email, delivered back into the mailbox (a forwarding loop), is
    // recognised and not answered; the same reply delivered twice lands once.
    imap.append(staff_mail.raw.as_bytes()).await;
    raw.extend_from_slice(b"\r\n");
    imap.append(&raw).await;
    imap.wait_until_read(3).await;
    let sent_before = sink.received().len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let view = wait_for_ticket(&app, &created.number, &created.access_token, |_| true).await;
    assert_eq!(requester_replies(&view).len(), 1, "{:#?}", view.events);
    assert_eq!(sink.received().len(), sent_before, "nothing answered");
    let outcomes: Vec<String> = mail_in(&app)
        .await
        .iter()
        .map(|m| m["outcome"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(outcomes, ["ignored", "replied"], "newest first");
    let flags = imap.flags().await;
    assert!(
        flags.iter().all(|f| !f.iter().any(|x| x == "Flagged")),
        "{flags:?}"
    );
}

#[tokio::test]
async fn a_reply_to_a_resolved_ticket_reopens_it_only_when_not_fixed() {
    let (sink, imap, app) = desk().await;
    let created = app.file("Printer prints blank pages").await;
    let staff = app.staff("tier1").await;
    staff.resolve(&created.number, "Replaced the toner").await;
    let resolved = loop {
        if let Some(m) = sink
            .received()
            .into_iter()
            .find(|m| m.body.contains("Replaced the toner"))
        {
            break m;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let address = reply_to(&resolved);

    imap.append(&reply(
        &address,
        "<thanks@example.org>",
        "Merci beaucoup !\n\n-- \nAda",
    ))
    .await;
    let view = wait_for_ticket(&app, &created.number, &created.access_token, |v| {
        !requester_replies(v).is_empty()
    })
    .await;
    assert_eq!(
        view.status,
        TicketStatus::Resolved,
        "a thank-you leaves it resolved"
    );
    assert_eq!(requester_replies(&view)[0].0, "Merci beaucoup !");

    imap.append(&reply(
        &address,
        "<not-fixed@example.org>",
        "Sorry, it is still not working: the pages are still blank.\n\n> Replaced the toner\n",
    ))
    .await;
    let view = wait_for_ticket(&app, &created.number, &created.access_token, |v| {
        v.status != TicketStatus::Resolved
    })
    .await;
    assert_eq!(view.status, TicketStatus::InProgress);
    assert!(
        view.events.iter().any(|e| matches!(&e.change, TicketChange::Reopened { reason } if reason == "Sorry, it is still not working: the pages are still blank.")),
        "{:#?}",
        view.events
    );
}

#[tokio::test]
async fn an_email_from_an_unknown_thread_files_a_ticket_once() {
    let (sink, imap, app) = desk().await;
    imap.append(&imap::message(
        &[
            ("From", "Grace Hopper <Grace@Example.net>"),
            ("To", "IT <help@selfdesk.test>"),
            ("Subject", "VPN drops every hour"),
            ("Message-ID", "<vpn-1@example.net>"),
        ],
        "Since Monday the VPN drops every hour.\n\n-- \nGrace\n",
    ))
    .await;
    let mail = sink.wait_for_mail("grace@example.net", "we have it").await;
    let number = mail
        .subject
        .split_whitespace()
        .find(|w| w.starts_with("SD-"))
        .unwrap()
        .to_owned();
    let prefix = format!("/tickets/{number}#access=");
    let token = mail.body[mail.body.find(&prefix).unwrap() + prefix.len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let view = wait_for_ticket(&app, &number, &token, |_| true).await;
    assert_eq!(view.subject, "VPN drops every hour");
    assert_eq!(view.category.slug.as_str(), "other");
    assert_eq!(view.requester_name, "Grace Hopper");
    assert!(
        view.description
            .starts_with("Since Monday the VPN drops every hour."),
        "{}",
        view.description
    );
    assert!(
        reply_to(&mail).starts_with("help+"),
        "the confirmation can be answered too"
    );

    // Read again — by a person marking it unread, and by a second replica — it files
    // nothing more.
    let replica = app
        .replica_with(|serve| {
            sink.configure(serve);
            imap.configure(serve);
        })
        .await;
    imap.mark_all_unread().await;
    imap.wait_until_read(1).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let filed: Vec<Value> = mail_in(&replica).await;
    assert_eq!(filed.len(), 1, "{filed:#?}");
    assert_eq!(filed[0]["outcome"], "filed");
    assert_eq!(filed[0]["ticket_number"], number.as_str());
    let confirmations = sink
        .received()
        .iter()
        .filter(|m| m.rcpt_tos.iter().any(|r| r == "grace@example.net"))
        .count();
    assert_eq!(confirmations, 1);
}

#[tokio::test]
async fn hostile_mail_is_refused_kept_flagged_and_never_answered() {
    let (sink, imap, app) = desk().await;
    let forged = reply(
        "help+00000000000000000000000000000000@selfdesk.test",
        "<forged@example.org>",
        "Let me in",
    );
    let auto_reply = imap::message(
        &[
            ("From", "Ada Lovelace <ada@example.org>"),
            ("To", "help@selfdesk.test"),
            ("Subject", "Out of office"),
            ("Auto-Submitted", "auto-replied"),
            ("Message-ID", "<ooo@example.org>"),
        ],
        "I am away until Monday.",
    );
    let bounce = imap::message(
        &[
            (
                "From",
                "Mail Delivery System <MAILER-DAEMON@mx.example.net>",
            ),
            ("To", "help@selfdesk.test"),
            ("Subject", "Undelivered Mail Returned to Sender"),
            ("Message-ID", "<bounce@mx.example.net>"),
        ],
        "This is the mail system. Your message could not be delivered.",
    );
    let mut executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    executable.extend(std::iter::repeat_n(0u8, 512));
    let renamed = imap::with_attachment(
        &[
            ("From", "Mallory <mallory@example.net>"),
            ("To", "help@selfdesk.test"),
            ("Subject", "Invoice"),
            ("Message-ID", "<invoice@example.net>"),
        ],
        "Please open the invoice.",
        "invoice.pdf",
        "application/pdf",
        &executable,
    );
    let huge = imap::with_attachment(
        &[
            ("From", "Ada Lovelace <ada@example.org>"),
            ("To", "help@selfdesk.test"),
            ("Subject", "The whole disk image"),
            ("Message-ID", "<huge@example.org>"),
        ],
        "Here is everything.",
        "disk.png",
        "image/png",
        &vec![0x42u8; 30 * 1024 * 1024],
    );
    let malformed = b"\x00\xff\xfe\x01 not a message \x00\x00\r\n\r\n\xff".to_vec();
    for raw in [&forged, &auto_reply, &bounce, &renamed, &huge, &malformed] {
        imap.append(raw).await;
    }
    let flags = imap.wait_until_read(6).await;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let records = mail_in(&app).await;
    let by_subject = |subject: &str| {
        records
            .iter()
            .find(|m| m["subject"] == subject)
            .unwrap_or_else(|| panic!("no record of {subject:?}: {records:#?}"))
            .clone()
    };
    let forged = by_subject("Re: your ticket");
    assert_eq!(forged["outcome"], "rejected");
    assert!(
        forged["reason"]
            .as_str()
            .unwrap()
            .contains("names no ticket"),
        "{forged}"
    );
    assert_eq!(by_subject("Out of office")["outcome"], "ignored");
    assert_eq!(
        by_subject("Undelivered Mail Returned to Sender")["outcome"],
        "ignored"
    );
    let invoice = by_subject("Invoice");
    assert_eq!(
        invoice["outcome"], "filed",
        "the text is filed, the file is not"
    );
    assert!(
        invoice["reason"].as_str().unwrap().contains("invoice.pdf"),
        "{invoice}"
    );
    let huge = by_subject("The whole disk image");
    assert_eq!(huge["outcome"], "rejected");
    assert!(
        huge["reason"]
            .as_str()
            .unwrap()
            .contains("kept in the mailbox"),
        "{huge}"
    );
    let malformed = records
        .iter()
        .find(|m| m["message_key"].as_str().unwrap().starts_with("sha256:"))
        .unwrap_or_else(|| panic!("no record of the malformed message: {records:#?}"));
    assert_eq!(malformed["outcome"], "rejected");
    assert_eq!(records.len(), 6, "{records:#?}");

    // Refused ones are flagged in the mailbox; all stay there.
    assert_eq!(flags.len(), 6);
    let flagged = flags
        .iter()
        .filter(|f| f.iter().any(|x| x == "Flagged"))
        .count();
    assert_eq!(flagged, 4, "forged, executable, huge, malformed: {flags:?}");

    // Only the filed invoice was answered; loops and refusals never are. The answer
    // goes out through the outbox after the mailbox was read, so it is waited for (a
    // busy machine may take seconds); any other answer would have gone out with it.
    sink.wait_for_mail("mallory@example.net", "").await;
    let mails = sink.received();
    let recipients: Vec<&String> = mails.iter().flat_map(|m| &m.rcpt_tos).collect();
    assert_eq!(recipients, ["mallory@example.net"], "{recipients:?}");
    let invoice_number = invoice["ticket_number"].as_str().unwrap();
    let staff = app.staff("tier1").await;
    let view = staff.ticket(invoice_number).await;
    assert!(view.events.iter().all(|e| e.attachments.is_empty()));
    assert!(
        view.description.contains("[Not attached: invoice.pdf"),
        "{}",
        view.description
    );
}

#[tokio::test]
async fn one_sender_files_only_so_many_tickets_an_hour_by_email() {
    let sink = SmtpSink::start();
    let imap = ImapServer::start();
    let app = spawn_app_with(|serve| {
        sink.configure(serve);
        imap.configure(serve);
        serve.protect.rate_limits = RateLimits::default().with(Action::Filing, 2);
    })
    .await;
    for n in 1..=3 {
        imap.append(&imap::message(
            &[
                ("From", "Flood <Flood@Example.net>"),
                ("To", "help@selfdesk.test"),
                ("Subject", &format!("Printer jammed {n}")),
                ("Message-ID", &format!("<flood-{n}@example.net>")),
            ],
            "It jammed again.",
        ))
        .await;
    }
    // Another sender is not held back by the first one's allowance.
    imap.append(&imap::message(
        &[
            ("From", "Grace Hopper <grace@example.net>"),
            ("To", "help@selfdesk.test"),
            ("Subject", "Monitor flickers"),
            ("Message-ID", "<grace-monitor@example.net>"),
        ],
        "The monitor flickers.",
    ))
    .await;
    let flags = imap.wait_until_read(4).await;
    let log = mail_in(&app).await;
    let outcome = |subject: &str| {
        log.iter()
            .find(|m| m["subject"] == subject)
            .unwrap_or_else(|| panic!("{subject} not in {log:#?}"))
    };
    assert_eq!(outcome("Printer jammed 1")["outcome"], "filed");
    assert_eq!(outcome("Printer jammed 2")["outcome"], "filed");
    let third = outcome("Printer jammed 3");
    assert_eq!(third["outcome"], "rejected");
    assert!(
        third["reason"]
            .as_str()
            .unwrap()
            .contains("limit of 2 filings"),
        "{third}"
    );
    assert_eq!(outcome("Monitor flickers")["outcome"], "filed");
    // The refused message stays in the mailbox, flagged for a person to look at.
    let flagged = flags
        .iter()
        .filter(|f| f.iter().any(|x| x == "Flagged"))
        .count();
    assert_eq!(flagged, 1, "{flags:?}");
    // Only the two filed by the flooding sender were confirmed; nothing answers the
    // refused one.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let to_flood = sink
        .received()
        .iter()
        .filter(|m| m.rcpt_tos.iter().any(|r| r == "flood@example.net"))
        .count();
    assert_eq!(to_flood, 2);
}
