//! Media devices: is there a camera, a microphone and speakers, and may the portal's
//! pages use them? For video-call problems. The browser lists devices without asking,
//! but hides their names until permission is given; the permission itself is only
//! asked for after the step has said why.

use super::{COULD_NOT_RUN, Decision, OutcomeDef, Permission};

pub const OK: OutcomeDef = OutcomeDef {
    id: "media_ok",
    by_hand: Some("media_ok_by_hand"),
    english: "Camera and microphone found and allowed",
};
pub const NO_MICROPHONE: OutcomeDef = OutcomeDef {
    id: "no_microphone",
    by_hand: Some("no_microphone_by_hand"),
    english: "No microphone found",
};
pub const NO_CAMERA: OutcomeDef = OutcomeDef {
    id: "no_camera",
    by_hand: Some("no_camera_by_hand"),
    english: "No camera found",
};
pub const BLOCKED: OutcomeDef = OutcomeDef {
    id: "media_blocked",
    by_hand: Some("media_blocked_by_hand"),
    english: "The browser may not use the camera or microphone",
};
pub static OUTCOMES: [OutcomeDef; 5] = [OK, NO_MICROPHONE, NO_CAMERA, BLOCKED, COULD_NOT_RUN];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    /// From `enumerateDevices()`; `None` when the browser cannot list devices.
    pub cameras: Option<usize>,
    pub microphones: Option<usize>,
    /// Audio outputs; Firefox and Safari do not list them, hence often `None`.
    pub speakers: Option<usize>,
    pub camera_permission: Permission,
    pub microphone_permission: Permission,
}

pub fn decide(facts: &Facts) -> Decision {
    let (Some(cameras), Some(microphones)) = (facts.cameras, facts.microphones) else {
        return Decision::could_not_run();
    };
    // A call needs a microphone more than a camera, so a missing one decides first.
    let outcome = if microphones == 0 {
        &NO_MICROPHONE
    } else if cameras == 0 {
        &NO_CAMERA
    } else if facts.camera_permission == Permission::Denied
        || facts.microphone_permission == Permission::Denied
    {
        &BLOCKED
    } else {
        &OK
    };
    let mut d = Decision::new(outcome)
        .with("cameras", cameras.to_string())
        .with("microphones", microphones.to_string());
    if let Some(speakers) = facts.speakers {
        d = d.with("speakers", speakers.to_string());
    }
    d.with("camera_permission", facts.camera_permission.as_str())
        .with(
            "microphone_permission",
            facts.microphone_permission.as_str(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(cameras: usize, microphones: usize) -> Facts {
        Facts {
            cameras: Some(cameras),
            microphones: Some(microphones),
            speakers: Some(1),
            camera_permission: Permission::Granted,
            microphone_permission: Permission::Prompt,
        }
    }

    #[test]
    fn devices_present_and_not_refused_are_ok() {
        let d = decide(&facts(1, 2));
        assert_eq!(d.outcome.id, "media_ok");
        assert!(
            d.findings
                .iter()
                .any(|f| f.key == "microphone_permission" && f.value == "prompt")
        );
    }

    #[test]
    fn asking_is_offered_only_where_a_device_waits_for_permission() {
        use super::super::{CheckKind::MediaDevices, worth_asking};
        assert!(worth_asking(MediaDevices, &decide(&facts(1, 1))));
        assert!(worth_asking(MediaDevices, &decide(&facts(0, 1))));
        // Nothing to open, or already answered either way.
        assert!(!worth_asking(MediaDevices, &decide(&facts(1, 0))));
        let granted = Facts {
            microphone_permission: Permission::Granted,
            ..facts(1, 1)
        };
        assert!(!worth_asking(MediaDevices, &decide(&granted)));
        let denied = Facts {
            camera_permission: Permission::Denied,
            ..facts(1, 1)
        };
        assert!(!worth_asking(MediaDevices, &decide(&denied)));
    }

    #[test]
    fn a_missing_microphone_comes_before_a_missing_camera() {
        assert_eq!(decide(&facts(0, 0)).outcome.id, "no_microphone");
        assert_eq!(decide(&facts(0, 1)).outcome.id, "no_camera");
    }

    #[test]
    fn a_refused_permission_is_blocked() {
        let f = Facts {
            microphone_permission: Permission::Denied,
            ..facts(1, 1)
        };
        assert_eq!(decide(&f).outcome.id, "media_blocked");
    }

    #[test]
    fn no_device_list_could_not_run() {
        assert_eq!(decide(&Facts::default()).outcome.id, "could_not_run");
    }
}
