//! Decoders for the two internally tagged enums a ticket's page reads in every event,
//! [`TicketChange`] (`"type"`) and [`SlaStanding`] (`"state"`). serde's derive for such
//! an enum first buffers the whole object into its generic `Content` tree and reads
//! the variant from that: 38 KB of the tracking app's wasm before `wasm-opt` for these
//! two types alone. Here each is read into a flat record of every field any variant
//! has, then checked against its tag, with none of serde's tagged-enum machinery (a
//! `TicketEvent` still buffers its flattened change once). The tracking app's shipped
//! wasm: 894 → 843 KB, 272.3 → 269.3 KB brotli; the staff desk's 319.8 → 314.2 KB. The wire format is the derived
//! `Serialize` one, unchanged (the API document still comes from the serde
//! attributes); the round-trip tests below hold the two together.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, de::Error as _};

use crate::incidents::LinkedIncident;
use crate::queue::StaffRef;
use crate::sla::{Priority, SlaStanding};
use crate::tickets::{TicketChange, TicketStatus};
use crate::tier::Tier;

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ChangeKind {
    Created,
    Reply,
    InternalNote,
    Status,
    Tier,
    Priority,
    Reopened,
    Confirmed,
    Rated,
    AutoClosed,
    AlsoAffected,
    Incident,
    Assigned,
}

/// Every field of every [`TicketChange`] variant.
#[derive(Deserialize)]
struct ChangeFields {
    #[serde(rename = "type")]
    kind: ChangeKind,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    from: Option<Value>,
    #[serde(default)]
    to: Option<Value>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    rating: Option<u8>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    incident: Option<LinkedIncident>,
}

/// `from` and `to`: a status or priority (text), a tier (a number), or who a ticket
/// is assigned to (an object).
enum Value {
    Text(String),
    Number(u64),
    Staff(StaffRef),
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a status, a priority, a tier or a staff member")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Text(v.to_owned()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        u64::try_from(v)
            .map(Value::Number)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // serde_wasm_bindgen hands whole numbers to `visit_i64`; a client that wrote
        // a tier as 2.0 is still read.
        if v.fract() == 0.0 && (0.0..=255.0).contains(&v) {
            Ok(Value::Number(v as u64))
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        StaffRef::deserialize(de::value::MapAccessDeserializer::new(map)).map(Value::Staff)
    }
}

fn need<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

fn text<E: de::Error>(value: Option<Value>, field: &'static str) -> Result<String, E> {
    match need(value, field)? {
        Value::Text(text) => Ok(text),
        _ => Err(E::invalid_type(de::Unexpected::Other(field), &"text")),
    }
}

fn status<E: de::Error>(value: Option<Value>, field: &'static str) -> Result<TicketStatus, E> {
    let text = text(value, field)?;
    TicketStatus::parse(&text).ok_or_else(|| E::unknown_variant(&text, &["a ticket status"]))
}

fn priority<E: de::Error>(value: Option<Value>, field: &'static str) -> Result<Priority, E> {
    let text = text(value, field)?;
    Priority::parse(&text).ok_or_else(|| E::unknown_variant(&text, &["p1", "p2", "p3", "p4"]))
}

fn tier<E: de::Error>(value: Option<Value>, field: &'static str) -> Result<Tier, E> {
    match need(value, field)? {
        Value::Number(n) => u8::try_from(n)
            .ok()
            .and_then(Tier::new)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(n), &"a tier: 1, 2 or 3")),
        _ => Err(E::invalid_type(de::Unexpected::Other(field), &"a tier")),
    }
}

impl<'de> Deserialize<'de> for TicketChange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = ChangeFields::deserialize(deserializer)?;
        Ok(match f.kind {
            ChangeKind::Created => Self::Created,
            ChangeKind::Reply => Self::Reply {
                body: need(f.body, "body")?,
            },
            ChangeKind::InternalNote => Self::InternalNote {
                body: need(f.body, "body")?,
            },
            ChangeKind::Status => Self::Status {
                from: status(f.from, "from")?,
                to: status(f.to, "to")?,
                summary: f.summary,
            },
            ChangeKind::Tier => Self::Tier {
                from: tier(f.from, "from")?,
                to: tier(f.to, "to")?,
                reason: need(f.reason, "reason")?,
            },
            ChangeKind::Priority => Self::Priority {
                from: priority(f.from, "from")?,
                to: priority(f.to, "to")?,
            },
            ChangeKind::Reopened => Self::Reopened {
                reason: need(f.reason, "reason")?,
            },
            ChangeKind::Confirmed => Self::Confirmed,
            ChangeKind::Rated => Self::Rated {
                rating: need(f.rating, "rating")?,
                comment: f.comment.unwrap_or_default(),
            },
            ChangeKind::AutoClosed => Self::AutoClosed,
            ChangeKind::AlsoAffected => Self::AlsoAffected {
                name: need(f.name, "name")?,
                email: need(f.email, "email")?,
            },
            ChangeKind::Incident => Self::Incident {
                incident: f.incident,
            },
            ChangeKind::Assigned => Self::Assigned {
                to: match f.to {
                    None => None,
                    Some(Value::Staff(staff)) => Some(staff),
                    Some(_) => {
                        return Err(D::Error::invalid_type(
                            de::Unexpected::Other("to"),
                            &"a staff member",
                        ));
                    }
                },
            },
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum StandingKind {
    Met,
    OnTrack,
    DueSoon,
    Breached,
    Paused,
}

/// Every field of every [`SlaStanding`] variant.
#[derive(Deserialize)]
struct StandingFields {
    state: StandingKind,
    #[serde(default)]
    at: Option<i64>,
    #[serde(default)]
    due: Option<i64>,
}

impl<'de> Deserialize<'de> for SlaStanding {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = StandingFields::deserialize(deserializer)?;
        Ok(match f.state {
            StandingKind::Met => Self::Met {
                at: need(f.at, "at")?,
            },
            StandingKind::OnTrack => Self::OnTrack {
                due: need(f.due, "due")?,
            },
            StandingKind::DueSoon => Self::DueSoon {
                due: need(f.due, "due")?,
            },
            StandingKind::Breached => Self::Breached {
                due: need(f.due, "due")?,
            },
            StandingKind::Paused => Self::Paused,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::LinkedIncident;

    fn round_trip<T>(value: &T) -> T
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        serde_json::from_value(serde_json::to_value(value).unwrap()).unwrap()
    }

    #[test]
    fn every_change_reads_back_as_written() {
        let tier = |n| Tier::new(n).unwrap();
        let changes = [
            TicketChange::Created,
            TicketChange::Reply { body: "Hi".into() },
            TicketChange::InternalNote { body: "Odd".into() },
            TicketChange::Status {
                from: TicketStatus::New,
                to: TicketStatus::Resolved,
                summary: Some("Replaced the cable".into()),
            },
            TicketChange::Status {
                from: TicketStatus::Resolved,
                to: TicketStatus::InProgress,
                summary: None,
            },
            TicketChange::Tier {
                from: tier(1),
                to: tier(3),
                reason: "Needs the network team".into(),
            },
            TicketChange::Priority {
                from: Priority::P4,
                to: Priority::P1,
            },
            TicketChange::Reopened {
                reason: "Still broken".into(),
            },
            TicketChange::Confirmed,
            TicketChange::Rated {
                rating: 5,
                comment: String::new(),
            },
            TicketChange::Rated {
                rating: 2,
                comment: "Slow".into(),
            },
            TicketChange::AutoClosed,
            TicketChange::AlsoAffected {
                name: "Ada".into(),
                email: "ada@example.org".into(),
            },
            TicketChange::Incident {
                incident: Some(LinkedIncident {
                    id: 4,
                    title: "Wi-Fi down".into(),
                }),
            },
            TicketChange::Incident { incident: None },
            TicketChange::Assigned {
                to: Some(StaffRef {
                    id: 7,
                    display_name: "Tove Tier".into(),
                }),
            },
            TicketChange::Assigned { to: None },
        ];
        for change in changes {
            assert_eq!(round_trip(&change), change);
        }
    }

    #[test]
    fn a_tier_written_as_a_double_is_read() {
        let change: TicketChange = serde_json::from_str(
            r#"{"type":"tier","from":1.0,"to":2.0,"reason":"Needs hands","extra":true}"#,
        )
        .unwrap();
        assert_eq!(
            change,
            TicketChange::Tier {
                from: Tier::new(1).unwrap(),
                to: Tier::new(2).unwrap(),
                reason: "Needs hands".into(),
            }
        );
    }

    #[test]
    fn what_a_change_lacks_or_gets_wrong_is_refused() {
        for bad in [
            r#"{"type":"reply"}"#,
            r#"{"type":"status","from":"new","to":"gone"}"#,
            r#"{"type":"tier","from":1,"to":4,"reason":"x"}"#,
            r#"{"type":"tier","from":"1","to":2,"reason":"x"}"#,
            r#"{"type":"priority","from":"p1"}"#,
            r#"{"type":"assigned","to":"Tove"}"#,
            r#"{"type":"teleported"}"#,
            r#"{"body":"no type"}"#,
        ] {
            assert!(serde_json::from_str::<TicketChange>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_event_reads_back_with_its_change_flattened() {
        use crate::tickets::{ActorKind, TicketEvent};
        let event = TicketEvent {
            id: 9,
            at: 1_700_000_000,
            actor: ActorKind::Staff,
            actor_name: "Tove Tier".into(),
            change: TicketChange::Tier {
                from: Tier::new(1).unwrap(),
                to: Tier::new(2).unwrap(),
                reason: "Needs hands".into(),
            },
            attachments: Vec::new(),
            html: Some("<p>Needs hands</p>".into()),
        };
        assert_eq!(round_trip(&event), event);
    }

    #[test]
    fn every_standing_reads_back_as_written() {
        for standing in [
            SlaStanding::Met { at: 10 },
            SlaStanding::OnTrack { due: 20 },
            SlaStanding::DueSoon { due: 30 },
            SlaStanding::Breached { due: 40 },
            SlaStanding::Paused,
        ] {
            assert_eq!(round_trip(&standing), standing);
        }
        assert!(serde_json::from_str::<SlaStanding>(r#"{"state":"met"}"#).is_err());
        assert!(serde_json::from_str::<SlaStanding>(r#"{"state":"late","due":1}"#).is_err());
    }
}
