//! Environment: which browser, system and device, what screen, language and time
//! zone, and whether the clock is right. The questions a technician asks first,
//! which people in trouble answer badly ("what browser?"). A wrong clock breaks
//! sign-ins and certificates, so it is the one fact that decides the branch, before
//! an outdated browser.

use super::{COULD_NOT_RUN, Decision, OutcomeDef};

pub const OK: OutcomeDef = OutcomeDef {
    id: "env_ok",
    by_hand: Some("env_ok_by_hand"),
    english: "Browser and clock look fine",
};
pub const CLOCK_WRONG: OutcomeDef = OutcomeDef {
    id: "clock_wrong",
    by_hand: Some("clock_wrong_by_hand"),
    english: "The device's clock is wrong",
};
pub const OLD_BROWSER: OutcomeDef = OutcomeDef {
    id: "old_browser",
    by_hand: Some("old_browser_by_hand"),
    english: "The browser is out of date",
};
pub static OUTCOMES: [OutcomeDef; 4] = [OK, CLOCK_WRONG, OLD_BROWSER, COULD_NOT_RUN];

/// Kerberos and most single sign-on refuse a clock more than five minutes off.
pub const MAX_CLOCK_SKEW_MS: f64 = 5.0 * 60.0 * 1000.0;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    pub user_agent: String,
    /// CSS pixels.
    pub screen_width: Option<u32>,
    pub screen_height: Option<u32>,
    pub pixel_ratio: Option<f64>,
    /// `navigator.maxTouchPoints`: an iPad says it is a Mac, but has a touch screen.
    pub touch_points: u32,
    pub language: Option<String>,
    pub time_zone: Option<String>,
    /// This device's clock minus the server's, when the server's time was had.
    pub clock_skew_ms: Option<f64>,
}

/// A browser's name and major version, as read from its user agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser {
    pub name: &'static str,
    pub major: u32,
}

/// The oldest major versions still updated when this was written; older ones miss
/// security fixes and features the portals people use need.
fn oldest_supported(name: &str) -> u32 {
    match name {
        "Chrome" | "Edge" | "Opera" => 109,
        "Firefox" => 115,
        "Safari" => 16,
        _ => 0,
    }
}

/// The user agent's browser. Order matters: Edge and Opera also say "Chrome", and
/// Chrome also says "Safari".
pub fn browser(ua: &str) -> Option<Browser> {
    const MARKERS: [(&str, &str); 6] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
    ];
    MARKERS.iter().find_map(|(marker, name)| {
        let at = ua.find(marker)? + marker.len();
        let major = ua[at..]
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()?;
        // "Version/" is Safari's only with "Safari/" beside it.
        (*name != "Safari" || ua.contains("Safari/")).then_some(Browser { name, major })
    })
}

/// The operating system, as precisely as the user agent says.
pub fn operating_system(ua: &str, touch_points: u32) -> &'static str {
    if ua.contains("iPhone")
        || ua.contains("iPad")
        || (ua.contains("Macintosh") && touch_points > 1)
    {
        // Browsers on iPads ask for desktop pages by claiming to be a Mac.
        "iOS / iPadOS"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Windows") {
        // Windows 11 still says "Windows NT 10.0": the user agent cannot tell them apart.
        "Windows"
    } else if ua.contains("Macintosh") || ua.contains("Mac OS X") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        "unknown"
    }
}

pub fn device_type(ua: &str, touch_points: u32) -> &'static str {
    if ua.contains("iPad")
        || (ua.contains("Macintosh") && touch_points > 1)
        || (ua.contains("Android") && !ua.contains("Mobile"))
    {
        "tablet"
    } else if ua.contains("Mobi") || ua.contains("iPhone") {
        "phone"
    } else {
        "computer"
    }
}

/// "+0:03:20" (ahead), "−2:05:00" (behind): a skew in no particular language.
/// A pixel ratio to two decimals at most ("2", "1.5", "1.25"), formatted as integers:
/// a float's formatter is kilobytes of wasm for one figure.
fn hundredths(ratio: f64) -> String {
    let h = (ratio * 100.0).round() as u64;
    match (h / 100, h % 100) {
        (whole, 0) => whole.to_string(),
        (whole, part) if part % 10 == 0 => format!("{whole}.{}", part / 10),
        (whole, part) => format!("{whole}.{part:02}"),
    }
}

fn skew(ms: f64) -> String {
    let s = (ms.abs() / 1000.0).round() as u64;
    let sign = if ms < 0.0 { '−' } else { '+' };
    format!("{sign}{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
}

pub fn decide(facts: &Facts) -> Decision {
    if facts.user_agent.trim().is_empty() && facts.clock_skew_ms.is_none() {
        return Decision::could_not_run();
    }
    let browser = browser(&facts.user_agent);
    let clock_wrong = facts
        .clock_skew_ms
        .is_some_and(|s| s.abs() > MAX_CLOCK_SKEW_MS);
    let old = browser
        .as_ref()
        .is_some_and(|b| b.major < oldest_supported(b.name));
    let mut d = Decision::new(if clock_wrong {
        &CLOCK_WRONG
    } else if old {
        &OLD_BROWSER
    } else {
        &OK
    });
    d = d.with(
        "browser",
        browser.map_or_else(
            || "unknown".to_owned(),
            |b| format!("{} {}", b.name, b.major),
        ),
    );
    d = d
        .with(
            "os",
            operating_system(&facts.user_agent, facts.touch_points),
        )
        .with("device", device_type(&facts.user_agent, facts.touch_points));
    if let (Some(w), Some(h)) = (facts.screen_width, facts.screen_height) {
        d = d.with("screen", format!("{w} × {h}"));
    }
    if let Some(ratio) = facts.pixel_ratio {
        d = d.with("pixel_ratio", hundredths(ratio));
    }
    if let Some(language) = &facts.language {
        d = d.with("language", language.clone());
    }
    if let Some(zone) = &facts.time_zone {
        d = d.with("time_zone", zone.clone());
    }
    if let Some(skew) = facts.clock_skew_ms {
        // Within two seconds: the server's Date header has a resolution of one.
        let value = if skew.abs() < 2000.0 {
            "right".to_owned()
        } else {
            self::skew(skew)
        };
        d = d.with("clock", value);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME_WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                              (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, \
                        like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86";
    const FIREFOX_LINUX: &str =
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    const SAFARI_IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) \
                                 AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 \
                                 Mobile/15E148 Safari/604.1";
    const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) \
                              AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.1 Safari/605.1.15";
    const ANDROID_TABLET: &str = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 \
                                  (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

    fn facts(ua: &str) -> Facts {
        Facts {
            user_agent: ua.to_owned(),
            screen_width: Some(1920),
            screen_height: Some(1080),
            pixel_ratio: Some(1.5),
            touch_points: 0,
            language: Some("nb-NO".into()),
            time_zone: Some("Europe/Oslo".into()),
            clock_skew_ms: Some(300.0),
        }
    }

    #[test]
    fn pixel_ratios_are_written_to_two_decimals_at_most() {
        assert_eq!(hundredths(2.0), "2");
        assert_eq!(hundredths(1.5), "1.5");
        assert_eq!(hundredths(1.25), "1.25");
        assert_eq!(hundredths(2.625), "2.63");
        assert_eq!(hundredths(0.9), "0.9");
    }

    fn found(d: &Decision, key: &str) -> String {
        d.findings
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    }

    #[test]
    fn browsers_systems_and_devices_are_read_from_the_user_agent() {
        let d = decide(&facts(CHROME_WIN));
        assert_eq!(d.outcome.id, "env_ok");
        assert_eq!(found(&d, "browser"), "Chrome 131");
        assert_eq!(found(&d, "os"), "Windows");
        assert_eq!(found(&d, "device"), "computer");
        assert_eq!(found(&d, "screen"), "1920 × 1080");
        assert_eq!(found(&d, "pixel_ratio"), "1.5");
        assert_eq!(found(&d, "time_zone"), "Europe/Oslo");
        assert_eq!(found(&d, "clock"), "right");
        assert_eq!(browser(EDGE).unwrap().name, "Edge");
        let d = decide(&facts(FIREFOX_LINUX));
        assert_eq!(found(&d, "browser"), "Firefox 133");
        assert_eq!(found(&d, "os"), "Linux");
        let d = decide(&facts(SAFARI_IPHONE));
        assert_eq!(found(&d, "browser"), "Safari 17");
        assert_eq!(found(&d, "os"), "iOS / iPadOS");
        assert_eq!(found(&d, "device"), "phone");
        assert_eq!(device_type(ANDROID_TABLET, 5), "tablet");
        // An iPad asking for the desktop site.
        assert_eq!(device_type(SAFARI_MAC, 5), "tablet");
        assert_eq!(operating_system(SAFARI_MAC, 0), "macOS");
        assert_eq!(browser("curl/8.0"), None);
    }

    #[test]
    fn a_clock_off_by_more_than_five_minutes_is_wrong() {
        let mut f = facts(CHROME_WIN);
        f.clock_skew_ms = Some(-(6.0 * 60_000.0 + 5_000.0));
        let d = decide(&f);
        assert_eq!(d.outcome.id, "clock_wrong");
        assert_eq!(found(&d, "clock"), "−0:06:05");
        f.clock_skew_ms = Some(2.0 * 3_600_000.0);
        assert_eq!(found(&decide(&f), "clock"), "+2:00:00");
        f.clock_skew_ms = Some(4.0 * 60_000.0);
        assert_eq!(decide(&f).outcome.id, "env_ok");
    }

    #[test]
    fn an_outdated_browser_is_old_but_a_wrong_clock_comes_first() {
        let mut f = facts(SAFARI_MAC);
        assert_eq!(decide(&f).outcome.id, "old_browser");
        f.clock_skew_ms = Some(MAX_CLOCK_SKEW_MS * 2.0);
        assert_eq!(decide(&f).outcome.id, "clock_wrong");
        // An unknown browser is not called old.
        assert_eq!(decide(&facts("SomeKiosk/1.0")).outcome.id, "env_ok");
    }

    #[test]
    fn nothing_known_could_not_run() {
        assert_eq!(decide(&Facts::default()).outcome.id, "could_not_run");
    }
}
