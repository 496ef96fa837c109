//! Which staff role the provider's groups give someone: the configured claim
//! (`SELFDESK_OIDC_ROLE_CLAIM`, `groups` by default) read from the ID token, and the
//! four configured groups (`SELFDESK_OIDC_GROUP_TIER1/TIER2/TIER3/ADMIN`). Someone in
//! several gets the highest role; someone in none is not staff.

use std::collections::HashMap;

use selfdesk_shared::auth::StaffRole;
use serde_json::Value;

use crate::config::OidcArgs;

#[derive(Debug, Clone)]
pub struct StaffGroups {
    claim: String,
    groups: Vec<(String, StaffRole)>,
}

impl StaffGroups {
    /// `None` when no group is configured: staff sign-in with the provider is off,
    /// and staff sign in with their passwords only.
    pub fn from_args(args: &OidcArgs) -> Option<Self> {
        let groups: Vec<(String, StaffRole)> = [
            (&args.oidc_group_tier1, StaffRole::Tier1),
            (&args.oidc_group_tier2, StaffRole::Tier2),
            (&args.oidc_group_tier3, StaffRole::Tier3),
            (&args.oidc_group_admin, StaffRole::Admin),
        ]
        .into_iter()
        .filter_map(|(group, role)| {
            let group = group.as_deref()?.trim();
            (!group.is_empty()).then(|| (group.to_owned(), role))
        })
        .collect();
        (!groups.is_empty()).then(|| Self {
            claim: args.oidc_role_claim.trim().to_owned(),
            groups,
        })
    }

    /// The highest role any of the person's groups gives, if any. The claim may be a
    /// list of names (most providers) or one name; anything else gives nothing.
    pub fn role(&self, claims: &HashMap<String, Value>) -> Option<StaffRole> {
        let names: Vec<&str> = match claims.get(&self.claim) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(one)) => vec![one.as_str()],
            _ => Vec::new(),
        };
        self.groups
            .iter()
            .filter(|(group, _)| names.contains(&group.as_str()))
            .map(|(_, role)| *role)
            .max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups() -> StaffGroups {
        StaffGroups::from_args(&OidcArgs {
            oidc_group_tier1: Some("desk-1".into()),
            oidc_group_tier2: Some(" desk-2 ".into()),
            oidc_group_admin: Some("desk-admins".into()),
            oidc_group_tier3: Some(String::new()),
            ..OidcArgs::default()
        })
        .unwrap()
    }

    fn claims(value: Value) -> HashMap<String, Value> {
        HashMap::from([("groups".to_owned(), value)])
    }

    #[test]
    fn no_group_configured_means_no_staff_sign_in() {
        assert!(StaffGroups::from_args(&OidcArgs::default()).is_none());
    }

    #[test]
    fn the_highest_role_of_the_persons_groups_wins() {
        let g = groups();
        assert_eq!(
            g.role(&claims(serde_json::json!(["desk-1"]))),
            Some(StaffRole::Tier1)
        );
        assert_eq!(
            g.role(&claims(serde_json::json!(["staff", "desk-2", "desk-1"]))),
            Some(StaffRole::Tier2)
        );
        assert_eq!(
            g.role(&claims(serde_json::json!(["desk-admins", "desk-1"]))),
            Some(StaffRole::Admin)
        );
        assert_eq!(
            g.role(&claims(serde_json::json!("desk-2"))),
            Some(StaffRole::Tier2)
        );
    }

    #[test]
    fn no_matching_group_or_no_claim_gives_nothing() {
        let g = groups();
        assert_eq!(g.role(&claims(serde_json::json!(["engineering"]))), None);
        assert_eq!(g.role(&claims(serde_json::json!([]))), None);
        // An empty setting is no group, not "everyone without a group".
        assert_eq!(g.role(&claims(serde_json::json!([""]))), None);
        assert_eq!(g.role(&claims(serde_json::json!({"desk-1": true}))), None);
        assert_eq!(g.role(&HashMap::new()), None);
        // Names are matched exactly.
        assert_eq!(g.role(&claims(serde_json::json!(["Desk-1"]))), None);
    }
}
