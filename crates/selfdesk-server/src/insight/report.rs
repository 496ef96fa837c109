//! The figures of one period, counted from the stored facts (`store::insight`), the
//! self-service tables and the search log. Every definition is written once more on
//! the field in `selfdesk_shared::insight` and for people in docs/INSIGHT.md; the
//! comment beside each computation below says the same in one line.
//!
//! The period and the one before it are read together: each read is one index range
//! over both, and each row is counted once, in one pass, into the half its day falls
//! in (and, for the period, into the breakdowns).

use std::collections::{BTreeMap, HashMap, HashSet};

use selfdesk_shared::auth::StaffMember;
use selfdesk_shared::flows::api::ABANDONED_AFTER_SECS;
use selfdesk_shared::insight::{
    ArticleFigures, Bucket, CategoryCount, CategoryFigures, DayFigures, FlowFigures, GOOD_RATING,
    Headline, IncidentFigures, Insight, LOW_RATING, LowRating, Period, PriorityFigures, SearchGap,
    SelfServiceFunnel, SlaFigures, Spread, StepDropOff, TeamFigures, TechnicianFigures,
    TicketFigures, TierBreaches, TierFigures, WordCount, mean, percent,
};
use selfdesk_shared::language::Language;
use selfdesk_shared::sla::{BusinessCalendar, Priority};

use crate::db::Db;
use crate::store::{flows as flow_store, insight as store, staff, tickets};

/// At most this many rows in the lists that say so in `Insight`.
const MAX_LOW_RATINGS: i64 = 20;
const MAX_WORDS: usize = 20;
const MAX_GAPS_PER_LANGUAGE: i64 = 20;
const MAX_ARTICLES: usize = 50;

/// What is asked: the period, the language of names and titles, who asks, and now.
pub struct Asked<'a> {
    pub period: Period,
    pub lang: Language,
    pub viewer: &'a StaffMember,
    pub now: i64,
}

/// The previous period and this one, back to back, in the desk's local days. The reads
/// count days from `start`: days `0..days` are the previous period's, `days..2 × days`
/// the period's.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// The first instant of the previous period.
    start: i64,
    /// The first instant of the period.
    middle: i64,
    /// The first instant after the period.
    end: i64,
    /// Days in each of the two.
    days: i64,
}

/// Which of the two periods: index 0 the previous one, 1 the period asked for.
const PREVIOUS: usize = 0;
const CURRENT: usize = 1;

impl Window {
    fn new(period: Period, calendar: &BusinessCalendar) -> Self {
        let offset = calendar.utc_offset_minutes;
        Self {
            start: period.previous().from.start_in(offset),
            middle: period.from.start_in(offset),
            end: period.to.add_days(1).start_in(offset),
            days: period.days(),
        }
    }

    /// Which period window day `day` is in.
    fn half(&self, day: i64) -> Option<usize> {
        match day {
            d if d < 0 => None,
            d if d < self.days => Some(PREVIOUS),
            d if d < 2 * self.days => Some(CURRENT),
            _ => None,
        }
    }

    /// The day of the period (0 for its first) of window day `day`.
    fn current_day(&self, day: i64) -> Option<usize> {
        (self.half(day) == Some(CURRENT)).then(|| (day - self.days) as usize)
    }
}

/// [`selfdesk_shared::insight::spread`] without sorting: the two nearest ranks are
/// selected in linear time (`select_nth_unstable`), which a year of durations needs
/// several times over.
fn spread_of(mut values: Vec<i64>) -> Spread {
    let count = values.len();
    if count == 0 {
        return Spread::default();
    }
    let rank = |p: usize| (p * count).div_ceil(100).max(1) - 1;
    let (median_rank, p90_rank) = (rank(50), rank(90));
    let (_, &mut median, above) = values.select_nth_unstable(median_rank);
    let p90 = if p90_rank == median_rank {
        median
    } else {
        *above.select_nth_unstable(p90_rank - median_rank - 1).1
    };
    Spread {
        count: count as i64,
        median: Some(median),
        p90: Some(p90),
    }
}

fn add(flag: i64) -> i64 {
    i64::from(flag == 1)
}

/// Counts for one period's headline.
#[derive(Default)]
struct Head {
    filed: i64,
    filed_resolved_now: i64,
    repeats: i64,
    answers: i64,
    answers_met: i64,
    answer_minutes: Vec<i64>,
    resolutions: i64,
    resolutions_met: i64,
    reopened_soon: i64,
    first_contact: i64,
    resolution_minutes: Vec<i64>,
    ratings: i64,
    rating_sum: i64,
    good_ratings: i64,
    breaches: i64,
    /// Tickets open at the end of its last day.
    backlog_end: i64,
}

impl Head {
    fn figures(self) -> (TicketFigures, Spread, Spread, SlaFigures, Sat) {
        let tickets = TicketFigures {
            // Tickets filed in the period.
            created: self.filed,
            // Resolutions in the period (a ticket resolved twice counts twice).
            resolved: self.resolutions,
            resolved_pct: percent(self.resolutions, self.filed),
            // Of the tickets filed in the period, those resolved or closed now.
            created_resolved_now: self.filed_resolved_now,
            created_resolved_now_pct: percent(self.filed_resolved_now, self.filed),
            // Tickets open (neither resolved nor closed) at the end of the last day.
            backlog_end: self.backlog_end,
            // Resolutions in the period followed by a reopening within 7 days.
            reopened: self.reopened_soon,
            reopen_rate_pct: percent(self.reopened_soon, self.resolutions),
            // Resolutions with exactly one public staff reply before them, of tickets
            // never escalated and never reopened.
            first_contact_resolutions: self.first_contact,
            first_contact_resolution_pct: percent(self.first_contact, self.resolutions),
            // Tickets filed in the period whose requester filed another in the same
            // category within the 7 days before.
            repeat_contacts: self.repeats,
            repeat_contact_rate_pct: percent(self.repeats, self.filed),
        };
        let sla = SlaFigures {
            // Of the tickets first answered in the period, those answered in time.
            first_response_met_pct: percent(self.answers_met, self.answers),
            // Of the resolutions in the period, those made in time.
            resolution_met_pct: percent(self.resolutions_met, self.resolutions),
            // Deadlines that passed in the period unmet while the ticket was open.
            breaches: self.breaches,
        };
        // Ratings given in the period: how many, per resolution, mean, share of good.
        let satisfaction = Sat {
            responses: self.ratings,
            response_rate_pct: percent(self.ratings, self.resolutions),
            average: mean(self.rating_sum, self.ratings),
            good_pct: percent(self.good_ratings, self.ratings),
        };
        (
            tickets,
            // Business minutes from filing to the first public staff reply, of the
            // tickets first answered in the period.
            spread_of(self.answer_minutes),
            // Business minutes from filing to each resolution made in the period.
            spread_of(self.resolution_minutes),
            sla,
            satisfaction,
        )
    }
}

type Sat = selfdesk_shared::insight::Satisfaction;

/// One priority's counts in the period.
#[derive(Default)]
struct ByPriority {
    answers: i64,
    answers_met: i64,
    answer_minutes: Vec<i64>,
    resolutions: i64,
    resolutions_met: i64,
    resolution_minutes: Vec<i64>,
}

/// One technician's work in the period.
#[derive(Default)]
struct Work {
    resolved: i64,
    first_responses: i64,
    minutes: Vec<i64>,
    rating_sum: i64,
    ratings: i64,
}

/// One tier's counts in the period.
#[derive(Default)]
struct ByTier {
    resolved: i64,
    escalated: i64,
    stay_minutes: Vec<i64>,
    first_response_breaches: i64,
    resolution_breaches: i64,
}

/// One category's counts.
#[derive(Default, Clone)]
struct ByCategory {
    created: i64,
    resolved: i64,
    previous_created: i64,
    repeats: i64,
    trend: Vec<i64>,
}

/// The self-service funnel from the period's session lists.
fn funnel(lists: &store::Sessions, created: i64) -> SelfServiceFunnel {
    fn set(list: &str) -> HashSet<&str> {
        store::Sessions::hashes(list).collect()
    }
    let mut engaged = set(&lists.opened);
    engaged.extend(store::Sessions::hashes(&lists.walked));
    engaged.extend(store::Sessions::hashes(&lists.voted));
    let mut any = set(&lists.searched);
    any.extend(engaged.iter().copied());
    let mut helped = set(&lists.fixed);
    helped.extend(store::Sessions::hashes(&lists.helped));
    let filed = set(&lists.filed);
    let sessions = any.len() as i64;
    SelfServiceFunnel {
        // Sessions that searched, opened an article or a suggestion, walked a flow or
        // answered "Did this help?" (on an article's page) in the period.
        sessions,
        // Of those, sessions that opened an article or a suggestion, walked a flow or
        // answered "Did this help?".
        engaged: engaged.len() as i64,
        // Of those, sessions told an article helped or that reached a "fixed" end.
        helped: helped.len() as i64,
        // Of those, sessions that filed a ticket in the period anyway.
        filed: any.intersection(&filed).count() as i64,
        // Self-service sessions per ticket filed in the period.
        score: mean(sessions, created),
    }
}

/// The figures of `asked.period` and the headline of the period before it.
pub async fn insight(
    db: &Db,
    calendar: &BusinessCalendar,
    asked: Asked<'_>,
) -> anyhow::Result<Insight> {
    let period = asked.period;
    let previous = period.previous();
    let w = Window::new(period, calendar);
    let breaches_until = w.end.min(asked.now).max(w.start);

    let (categories, staff_list, days_begin) = tokio::try_join!(
        tickets::categories(db, asked.lang),
        staff::list(db),
        store::day_start(db)
    )?;
    // The day tables count the desk's local days unless its UTC offset changed since
    // they were counted (insight::upkeep counts them again).
    let utc_offset_seconds = i64::from(calendar.utc_offset_minutes) * 60;
    let day_tables = (days_begin == utc_offset_seconds).then_some(utc_offset_seconds);
    let slugs: Vec<String> = categories.iter().map(|c| c.slug.to_string()).collect();
    let gaps =
        |lang| store::searches_without_results(db, w.middle, w.end, lang, MAX_GAPS_PER_LANGUAGE);
    let [en, ru, fr, nb] = Language::ALL;
    // Every read at once: the database works while earlier answers are counted.
    let (
        (open_now, first_filed),
        created,
        first_answers,
        resolved,
        reopenings,
        stays,
        ratings,
        (first_missed, resolution_missed),
        low,
        words,
        incidents,
        sessions_now,
        sessions_before,
        articles,
        flow_walks,
        drop_off,
        published_flows,
        gap_lists,
    ) = tokio::try_join!(
        store::open_now(db),
        store::created(db, w.start, w.end, day_tables, &slugs),
        store::first_responses(db, w.start, w.end),
        store::resolutions(db, w.start, w.end, &slugs),
        store::reopenings(db, w.start, w.end),
        store::tier_stays(db, w.middle, w.end),
        store::ratings(db, w.start, w.end),
        store::breaches(db, w.start, breaches_until),
        store::low_ratings(db, w.middle, w.end, LOW_RATING, MAX_LOW_RATINGS),
        store::subject_words(db, w.middle, w.end, day_tables),
        store::incidents(db, w.middle, w.end),
        store::sessions(db, w.middle, w.end),
        store::sessions(db, w.start, w.middle),
        store::article_figures(db, w.middle, w.end, day_tables),
        store::flow_walks(db, w.middle, w.end),
        store::flow_drop_off(db, w.middle, w.end, asked.now - ABANDONED_AFTER_SECS),
        flow_store::published(db),
        async { tokio::try_join!(gaps(en), gaps(ru), gaps(fr), gaps(nb)) },
    )?;

    let buckets = period.bucket_starts();
    let step = match period.bucket() {
        Bucket::Day => 1,
        Bucket::Week => 7,
    };
    let mut head: [Head; 2] = Default::default();
    let mut by_priority: [ByPriority; 4] = Default::default();
    let mut by_tier: [ByTier; 3] = Default::default();
    let mut by_category = vec![
        ByCategory {
            trend: vec![0; buckets.len()],
            ..ByCategory::default()
        };
        categories.len()
    ];
    let mut work: BTreeMap<i64, Work> = BTreeMap::new();
    let mut team_minutes = Vec::new();
    let (mut team_rating_sum, mut team_ratings) = (0, 0);
    let window_days = (2 * w.days) as usize;
    // Per window day: filed, resolved, and the change in open tickets.
    let mut per_day = vec![(0_i64, 0_i64, 0_i64); window_days];
    // Category numbers count from 1 in the portal's order; 0 is none.
    let category = |number: i64| usize::try_from(number - 1).ok();
    let tier = |number: i64| usize::try_from(number - 1).ok().filter(|&t| t < 3);

    // Each row is `tickets` tickets filed on one day with the same category and flags.
    let mut filed_in_window = 0;
    for &[day, number, repeat, done, tickets] in &created {
        filed_in_window += tickets;
        let Some(half) = w.half(day) else { continue };
        let h = &mut head[half];
        h.filed += tickets;
        h.filed_resolved_now += add(done) * tickets;
        h.repeats += add(repeat) * tickets;
        per_day[day as usize].0 += tickets;
        per_day[day as usize].2 += tickets;
        if let Some(c) = category(number).and_then(|c| by_category.get_mut(c)) {
            match w.current_day(day) {
                Some(d) => {
                    c.created += tickets;
                    c.repeats += add(repeat) * tickets;
                    c.trend[d / step] += tickets;
                }
                None => c.previous_created += tickets,
            }
        }
    }
    for &[day, priority, met, by, minutes] in &first_answers {
        let Some(half) = w.half(day) else { continue };
        let h = &mut head[half];
        h.answers += 1;
        h.answers_met += add(met);
        h.answer_minutes.push(minutes);
        if half == CURRENT {
            let p = &mut by_priority[priority.clamp(0, 3) as usize];
            p.answers += 1;
            p.answers_met += add(met);
            p.answer_minutes.push(minutes);
            if by > 0 {
                work.entry(by).or_default().first_responses += 1;
            }
        }
    }
    for &[
        day,
        number,
        priority,
        at_tier,
        met,
        soon,
        first,
        by,
        minutes,
    ] in &resolved
    {
        let Some(half) = w.half(day) else { continue };
        let h = &mut head[half];
        h.resolutions += 1;
        h.resolutions_met += add(met);
        h.reopened_soon += add(soon);
        h.first_contact += add(first);
        h.resolution_minutes.push(minutes);
        per_day[day as usize].1 += 1;
        per_day[day as usize].2 -= 1;
        if half == CURRENT {
            let p = &mut by_priority[priority.clamp(0, 3) as usize];
            p.resolutions += 1;
            p.resolutions_met += add(met);
            p.resolution_minutes.push(minutes);
            if let Some(t) = tier(at_tier) {
                by_tier[t].resolved += 1;
            }
            if let Some(c) = category(number).and_then(|c| by_category.get_mut(c)) {
                c.resolved += 1;
            }
            if by > 0 {
                let entry = work.entry(by).or_default();
                entry.resolved += 1;
                entry.minutes.push(minutes);
                team_minutes.push(minutes);
            }
        }
    }
    for &[day] in &reopenings {
        if let Some(slot) = usize::try_from(day).ok().and_then(|d| per_day.get_mut(d)) {
            slot.2 += 1;
        }
    }
    // Stays are read from the period's first day: their days count from there.
    for &[_, at_tier, ended, minutes] in &stays {
        if let Some(t) = tier(at_tier) {
            by_tier[t].escalated += i64::from(ended == 1);
            by_tier[t].stay_minutes.push(minutes);
        }
    }
    for &[day, rating, by] in &ratings {
        let Some(half) = w.half(day) else { continue };
        let h = &mut head[half];
        h.ratings += 1;
        h.rating_sum += rating;
        h.good_ratings += i64::from(rating >= i64::from(GOOD_RATING));
        if half == CURRENT && by > 0 {
            team_rating_sum += rating;
            team_ratings += 1;
            if let Some(entry) = work.get_mut(&by) {
                entry.rating_sum += rating;
                entry.ratings += 1;
            }
        }
    }
    for (missed, first_response) in [(&first_missed, true), (&resolution_missed, false)] {
        for &[day, at_tier] in missed {
            let Some(half) = w.half(day) else { continue };
            head[half].breaches += 1;
            if half == CURRENT
                && let Some(t) = tier(at_tier)
            {
                if first_response {
                    by_tier[t].first_response_breaches += 1;
                } else {
                    by_tier[t].resolution_breaches += 1;
                }
            }
        }
    }

    // Tickets open at the end of each day: those open when the window starts, plus
    // those filed, less those resolved, plus those reopened, day by day (a ticket is
    // open from its filing to a resolution and again from a reopening). Open when it
    // starts: filed before it, less the resolutions, plus the reopenings before it;
    // or, when fewer tickets came after the window than before it, those open now,
    // less what happened in the window and since.
    let count_back = first_filed.is_some_and(|first| asked.now - w.end < w.start - first);
    let mut open = if count_back {
        let since = store::totals_since(db, w.end).await?;
        open_now - (filed_in_window + since.filed) + (resolved.len() as i64 + since.resolved)
            - (reopenings.len() as i64 + since.reopened)
    } else {
        let before = store::totals_before(db, w.start).await?;
        before.filed - before.resolved + before.reopened
    };
    let open_after: Vec<i64> = per_day
        .iter()
        .map(|&(_, _, change)| {
            open += change;
            open
        })
        .collect();
    head[PREVIOUS].backlog_end = open_after[w.days as usize - 1];
    head[CURRENT].backlog_end = open_after[window_days - 1];

    let [head_before, head_now] = head;
    let (tickets_now, first_now, resolution_now, sla_now, satisfaction_now) = head_now.figures();
    let (tickets_before, first_before, resolution_before, sla_before, satisfaction_before) =
        head_before.figures();

    // Per priority: speed and deadlines met, of the tickets first answered and the
    // resolutions made in the period.
    let by_priority = Priority::ALL
        .into_iter()
        .zip(by_priority)
        .map(|(priority, p)| PriorityFigures {
            priority,
            first_response_met_pct: percent(p.answers_met, p.answers),
            resolution_met_pct: percent(p.resolutions_met, p.resolutions),
            first_response_minutes: spread_of(p.answer_minutes),
            resolution_minutes: spread_of(p.resolution_minutes),
        })
        .collect();

    // Deadlines missed in the period, by the tier the ticket was at when each passed;
    // per tier, resolutions made at it and escalations from it in the period, and the
    // median time at it of the stays that ended in the period.
    let breaches_by_tier = (1..=3)
        .zip(&by_tier)
        .map(|(tier, t)| TierBreaches {
            tier,
            first_response: t.first_response_breaches,
            resolution: t.resolution_breaches,
        })
        .collect();
    let by_tier = (1..=3)
        .zip(by_tier)
        .map(|(tier, t)| TierFigures {
            tier,
            resolved: t.resolved,
            escalated: t.escalated,
            escalation_rate_pct: percent(t.escalated, t.resolved + t.escalated),
            minutes_at_tier_median: spread_of(t.stay_minutes).median,
        })
        .collect();

    // Per category, in the portal's order: filed and resolved in the period, filed in
    // the previous one, filed per chart bucket; and the repeat contacts.
    let mut repeat_categories: Vec<CategoryCount> = categories
        .iter()
        .zip(&by_category)
        .filter(|(_, c)| c.repeats > 0)
        .map(|(category, c)| CategoryCount {
            category: category.slug.to_string(),
            name: category.name.clone(),
            count: c.repeats,
        })
        .collect();
    repeat_categories.sort_by_key(|c| std::cmp::Reverse(c.count));
    let by_category = categories
        .iter()
        .zip(by_category)
        .map(|(category, c)| CategoryFigures {
            category: category.slug.to_string(),
            name: category.name.clone(),
            created: c.created,
            resolved: c.resolved,
            previous_created: c.previous_created,
            trend: c.trend,
        })
        .collect();

    // Per technician: resolutions and first answers in the period, the median of their
    // resolutions' minutes, and the ratings given in the period to tickets they
    // resolved. Only administrators see their colleagues' rows.
    let names: HashMap<i64, &StaffMember> = staff_list.iter().map(|m| (m.id, m)).collect();
    let mut by_technician: Vec<TechnicianFigures> = work
        .into_iter()
        .filter(|(_, w)| w.resolved > 0 || w.first_responses > 0)
        .filter_map(|(id, w)| {
            let member = names.get(&id)?;
            Some(TechnicianFigures {
                id,
                display_name: member.display_name.clone(),
                active: member.active,
                resolved: w.resolved,
                first_responses: w.first_responses,
                resolution_minutes_median: spread_of(w.minutes).median,
                satisfaction_responses: w.ratings,
                satisfaction_average: mean(w.rating_sum, w.ratings),
            })
        })
        .collect();
    by_technician.sort_by(|a, b| {
        (b.resolved, b.first_responses)
            .cmp(&(a.resolved, a.first_responses))
            .then_with(|| a.display_name.cmp(&b.display_name))
    });
    // The whole team: every technician with work in the period, together.
    let team = TeamFigures {
        technicians: by_technician.len() as i64,
        resolved: by_technician.iter().map(|t| t.resolved).sum(),
        first_responses: by_technician.iter().map(|t| t.first_responses).sum(),
        resolution_minutes_median: spread_of(team_minutes).median,
        satisfaction_average: mean(team_rating_sum, team_ratings),
    };
    if !asked.viewer.role.is_admin() {
        by_technician.retain(|t| t.id == asked.viewer.id);
    }

    // The trend: filed, resolved and open at the end, per day or per week.
    let daily = buckets
        .iter()
        .enumerate()
        .map(|(b, start)| {
            let first = w.days as usize + b * step;
            let last = (w.days as usize + (b + 1) * step).min(window_days) - 1;
            DayFigures {
                date: start.to_string(),
                created: per_day[first..=last].iter().map(|d| d.0).sum(),
                resolved: per_day[first..=last].iter().map(|d| d.1).sum(),
                backlog: open_after[last],
            }
        })
        .collect();

    // The words of the period's subjects, in how many subjects each appears.
    let mut subject_words: Vec<WordCount> = words
        .into_iter()
        .map(|(word, count)| WordCount { word, count })
        .collect();
    subject_words.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
    subject_words.truncate(MAX_WORDS);

    // Searches in the period that found nothing, per language and query.
    let mut searches_without_results: Vec<SearchGap> = [
        (en, gap_lists.0),
        (ru, gap_lists.1),
        (fr, gap_lists.2),
        (nb, gap_lists.3),
    ]
    .into_iter()
    .flat_map(|(lang, list)| {
        list.into_iter().map(move |(query, searches)| SearchGap {
            lang: lang.code().to_owned(),
            query,
            searches,
        })
    })
    .collect();
    let language_rank = |code: &str| Language::ALL.iter().position(|l| l.code() == code);
    searches_without_results.sort_by(|a, b| {
        b.searches
            .cmp(&a.searches)
            .then_with(|| language_rank(&a.lang).cmp(&language_rank(&b.lang)))
            .then_with(|| a.query.cmp(&b.query))
    });

    // Articles: sessions that opened each, answers to "Did this help?", tickets filed
    // after reading it in the same session.
    let mut articles = articles.with_views(&sessions_now.article_views);
    articles.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| (b.2 + b.3).cmp(&(a.2 + a.3)))
            .then_with(|| a.0.cmp(&b.0))
    });
    articles.truncate(MAX_ARTICLES);
    let slugs: Vec<String> = articles.iter().map(|a| a.0.clone()).collect();
    let titles = store::article_titles(db, &slugs, asked.lang).await?;
    let articles = articles
        .into_iter()
        .map(
            |(slug, views, helpful, not_helpful, tickets_after)| ArticleFigures {
                title: titles.get(&slug).cloned().unwrap_or_else(|| slug.clone()),
                slug,
                views,
                helpful,
                not_helpful,
                helpful_pct: percent(helpful, helpful + not_helpful),
                tickets_after,
            },
        )
        .collect();

    // Guided diagnostics: walks started in the period, ended, fixed, and where the
    // unfinished ones stopped.
    let flow_titles: HashMap<&str, &str> = published_flows
        .iter()
        .map(|f| (f.slug.as_str(), f.title.resolve(asked.lang)))
        .collect();
    let mut stops: HashMap<String, Vec<StepDropOff>> = HashMap::new();
    for (flow, node, walks) in drop_off {
        stops
            .entry(flow)
            .or_default()
            .push(StepDropOff { node, walks });
    }
    let mut flows: Vec<FlowFigures> = flow_walks
        .into_iter()
        .map(|(slug, title, walks, completed, fixed)| {
            let mut drop_off = stops.remove(&slug).unwrap_or_default();
            drop_off.sort_by(|a, b| b.walks.cmp(&a.walks).then_with(|| a.node.cmp(&b.node)));
            FlowFigures {
                title: flow_titles
                    .get(slug.as_str())
                    .map_or(title, |t| (*t).to_owned()),
                slug,
                walks,
                completed,
                fixed,
                completion_pct: percent(completed, walks),
                fixed_pct: percent(fixed, walks),
                drop_off,
            }
        })
        .collect();
    flows.sort_by(|a, b| b.walks.cmp(&a.walks).then_with(|| a.slug.cmp(&b.slug)));

    Ok(Insight {
        from: period.from.to_string(),
        to: period.to.to_string(),
        self_service: funnel(&sessions_now, tickets_now.created),
        previous: Headline {
            from: previous.from.to_string(),
            to: previous.to.to_string(),
            self_service: funnel(&sessions_before, tickets_before.created),
            tickets: tickets_before,
            first_response_minutes: first_before,
            resolution_minutes: resolution_before,
            sla: sla_before,
            satisfaction: satisfaction_before,
        },
        tickets: tickets_now,
        first_response_minutes: first_now,
        resolution_minutes: resolution_now,
        sla: sla_now,
        satisfaction: satisfaction_now,
        by_priority,
        breaches_by_tier,
        repeat_categories,
        low_ratings: low
            .into_iter()
            .map(|(number, rating, comment, rated_at)| LowRating {
                number,
                rating: rating.clamp(1, 5) as u8,
                comment,
                rated_at,
            })
            .collect(),
        by_category,
        subject_words,
        incidents: incidents
            .into_iter()
            .map(|(id, title, open, tickets)| IncidentFigures {
                id,
                title,
                tickets,
                open,
            })
            .collect(),
        by_technician,
        team,
        by_tier,
        searches_without_results,
        articles,
        flows,
        bucket: period.bucket(),
        daily,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_by_selection_are_the_nearest_ranks() {
        let mut seed = 0x2545_f491_u64;
        for len in 0..200 {
            let values: Vec<i64> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 50) as i64
                })
                .collect();
            assert_eq!(
                spread_of(values.clone()),
                selfdesk_shared::insight::spread(values),
                "{len}"
            );
        }
    }
}
