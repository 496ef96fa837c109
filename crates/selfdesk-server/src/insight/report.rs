//! The figures of one period, counted from the stored facts (`store::insight`), the
//! self-service tables and the search log. Every definition is written once more on
//! the field in `selfdesk_shared::insight` and for people in docs/INSIGHT.md; the
//! comment beside each computation below says the same in one line.
//!
//! The period and the one before it are read together: each read is one index range
//! over both, and each row is counted in the half its day falls in.

use std::collections::{BTreeMap, HashMap};

use selfdesk_shared::auth::StaffMember;
use selfdesk_shared::flows::api::ABANDONED_AFTER_SECS;
use selfdesk_shared::insight::{
    ArticleFigures, Bucket, CategoryCount, CategoryFigures, DayFigures, FlowFigures, GOOD_RATING,
    Headline, IncidentFigures, Insight, LOW_RATING, LowRating, Period, PriorityFigures, SearchGap,
    SelfServiceFunnel, SlaFigures, Spread, StepDropOff, TeamFigures, TechnicianFigures,
    TicketFigures, TierBreaches, TierFigures, WordCount, mean, nearest_rank, percent, spread,
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

/// The previous period and this one, back to back, in the desk's local days.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Half {
    Previous,
    Current,
}

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

    /// Which half day `day` (counted from `start`) is in.
    fn half(&self, day: i64) -> Option<Half> {
        match day {
            d if d < 0 => None,
            d if d < self.days => Some(Half::Previous),
            d if d < 2 * self.days => Some(Half::Current),
            _ => None,
        }
    }

    /// The day of the period (0 for its first) of window day `day`.
    fn current_day(&self, day: i64) -> Option<usize> {
        (self.half(day) == Some(Half::Current)).then(|| (day - self.days) as usize)
    }
}

struct Created {
    day: i64,
    category: usize,
    repeat: bool,
    done: bool,
}

struct FirstAnswer {
    day: i64,
    priority: usize,
    met: bool,
    by: i64,
    minutes: i64,
}

struct Resolved {
    day: i64,
    category: usize,
    priority: usize,
    tier: i64,
    met: bool,
    reopened_soon: bool,
    first_contact: bool,
    by: i64,
    minutes: i64,
}

struct Stay {
    day: i64,
    tier: i64,
    escalated: bool,
    minutes: i64,
}

struct Rated {
    day: i64,
    rating: i64,
    by: i64,
}

struct Missed {
    day: i64,
    tier: i64,
}

/// Everything read for the window, decoded.
struct Facts {
    window: Window,
    created: Vec<Created>,
    first_answers: Vec<FirstAnswer>,
    resolved: Vec<Resolved>,
    reopenings: Vec<i64>,
    stays: Vec<Stay>,
    ratings: Vec<Rated>,
    first_response_missed: Vec<Missed>,
    resolution_missed: Vec<Missed>,
    /// Tickets open at the end of each window day.
    open_after: Vec<i64>,
}

impl Facts {
    fn in_half<'a, T>(
        &self,
        rows: &'a [T],
        day: impl Fn(&T) -> i64 + 'a,
        half: Half,
    ) -> impl Iterator<Item = &'a T> + 'a {
        let window = self.window;
        rows.iter()
            .filter(move |row| window.half(day(row)) == Some(half))
    }

    /// The headline figures of one half.
    fn headline(&self, half: Half) -> (TicketFigures, Spread, Spread, SlaFigures, Sat) {
        let created: Vec<&Created> = self.in_half(&self.created, |r| r.day, half).collect();
        let resolved: Vec<&Resolved> = self.in_half(&self.resolved, |r| r.day, half).collect();
        let answers: Vec<&FirstAnswer> =
            self.in_half(&self.first_answers, |r| r.day, half).collect();
        let ratings: Vec<&Rated> = self.in_half(&self.ratings, |r| r.day, half).collect();
        let count = |n: usize| n as i64;

        // Tickets filed in the period.
        let n_created = count(created.len());
        // Resolutions in the period (a ticket resolved twice counts twice).
        let n_resolved = count(resolved.len());
        // Of the tickets filed in the period, those resolved or closed now.
        let resolved_now = count(created.iter().filter(|c| c.done).count());
        // Resolutions in the period followed by a reopening within 7 days.
        let reopened = count(resolved.iter().filter(|r| r.reopened_soon).count());
        // Resolutions with exactly one public staff reply before them, of tickets
        // never escalated and never reopened.
        let first_contact = count(resolved.iter().filter(|r| r.first_contact).count());
        // Tickets filed in the period whose requester filed another in the same
        // category within the 7 days before.
        let repeats = count(created.iter().filter(|c| c.repeat).count());
        let last_day = match half {
            Half::Previous => self.window.days - 1,
            Half::Current => 2 * self.window.days - 1,
        };
        let tickets = TicketFigures {
            created: n_created,
            resolved: n_resolved,
            resolved_pct: percent(n_resolved, n_created),
            created_resolved_now: resolved_now,
            created_resolved_now_pct: percent(resolved_now, n_created),
            // Tickets open (neither resolved nor closed) at the end of the last day.
            backlog_end: self.open_after[last_day as usize],
            reopened,
            reopen_rate_pct: percent(reopened, n_resolved),
            first_contact_resolutions: first_contact,
            first_contact_resolution_pct: percent(first_contact, n_resolved),
            repeat_contacts: repeats,
            repeat_contact_rate_pct: percent(repeats, n_created),
        };
        // Business minutes from filing to the first public staff reply, of the
        // tickets first answered in the period.
        let first_response = spread(answers.iter().map(|a| a.minutes).collect());
        // Business minutes from filing to each resolution made in the period.
        let resolution = spread(resolved.iter().map(|r| r.minutes).collect());
        let missed = self
            .in_half(&self.first_response_missed, |m| m.day, half)
            .count()
            + self
                .in_half(&self.resolution_missed, |m| m.day, half)
                .count();
        let sla = SlaFigures {
            // Of the tickets first answered in the period, those answered in time.
            first_response_met_pct: percent(
                count(answers.iter().filter(|a| a.met).count()),
                count(answers.len()),
            ),
            // Of the resolutions in the period, those made in time.
            resolution_met_pct: percent(
                count(resolved.iter().filter(|r| r.met).count()),
                n_resolved,
            ),
            // Deadlines that passed in the period unmet while the ticket was open.
            breaches: count(missed),
        };
        // Ratings given in the period: how many, per resolution, mean, share of good.
        let responses = count(ratings.len());
        let satisfaction = Sat {
            responses,
            response_rate_pct: percent(responses, n_resolved),
            average: mean(ratings.iter().map(|r| r.rating).sum(), responses),
            good_pct: percent(
                count(
                    ratings
                        .iter()
                        .filter(|r| r.rating >= i64::from(GOOD_RATING))
                        .count(),
                ),
                responses,
            ),
        };
        (tickets, first_response, resolution, sla, satisfaction)
    }
}

type Sat = selfdesk_shared::insight::Satisfaction;

fn priority_index(value: i64) -> usize {
    (value.clamp(0, 3)) as usize
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
    let breaches_until = w.end.min(asked.now);

    let (categories, staff_list, totals, created, first_answers, resolved, reopenings, stays) = tokio::try_join!(
        tickets::categories(db, asked.lang),
        staff::list(db),
        store::totals_before(db, w.start),
        store::created(db, w.start, w.end),
        store::first_responses(db, w.start, w.end),
        store::resolutions(db, w.start, w.end),
        store::reopenings(db, w.start, w.end),
        store::tier_stays(db, w.start, w.end),
    )?;
    let (
        ratings,
        (first_missed, resolution_missed),
        low,
        words,
        incidents,
        funnel_now,
        funnel_before,
    ) = tokio::try_join!(
        store::ratings(db, w.start, w.end),
        store::breaches(db, w.start, breaches_until.max(w.start)),
        store::low_ratings(db, w.middle, w.end, LOW_RATING, MAX_LOW_RATINGS),
        store::subject_words(db, w.middle, w.end),
        store::incidents(db, w.middle, w.end),
        store::funnel(db, w.middle, w.end),
        store::funnel(db, w.start, w.middle),
    )?;
    let (articles, flow_walks, drop_off, published_flows) = tokio::try_join!(
        store::article_figures(db, w.middle, w.end),
        store::flow_walks(db, w.middle, w.end),
        store::flow_drop_off(db, w.middle, w.end, asked.now - ABANDONED_AFTER_SECS),
        flow_store::published(db),
    )?;
    let mut gaps = Vec::new();
    for lang in Language::ALL {
        for (query, searches) in
            store::searches_without_results(db, w.middle, w.end, lang, MAX_GAPS_PER_LANGUAGE)
                .await?
        {
            gaps.push(SearchGap {
                lang: lang.code().to_owned(),
                query,
                searches,
            });
        }
    }

    let category_index: HashMap<&str, usize> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.slug.as_str(), i))
        .collect();
    let index_of = |slug: &str| category_index.get(slug).copied().unwrap_or(usize::MAX);
    let mut facts = Facts {
        window: w,
        created: created
            .iter()
            .flat_map(|(slug, rows)| {
                let category = index_of(slug);
                rows.iter().map(move |&[day, repeat, done]| Created {
                    day,
                    category,
                    repeat: repeat == 1,
                    done: done == 1,
                })
            })
            .collect(),
        first_answers: first_answers
            .iter()
            .map(|&[day, priority, met, by, minutes]| FirstAnswer {
                day,
                priority: priority_index(priority),
                met: met == 1,
                by,
                minutes,
            })
            .collect(),
        resolved: resolved
            .iter()
            .flat_map(|(slug, rows)| {
                let category = index_of(slug);
                rows.iter().map(
                    move |&[
                        day,
                        priority,
                        tier,
                        met,
                        reopened_soon,
                        first_contact,
                        by,
                        minutes,
                    ]| {
                        Resolved {
                            day,
                            category,
                            priority: priority_index(priority),
                            tier,
                            met: met == 1,
                            reopened_soon: reopened_soon == 1,
                            first_contact: first_contact == 1,
                            by,
                            minutes,
                        }
                    },
                )
            })
            .collect(),
        reopenings: reopenings.iter().map(|&[day]| day).collect(),
        stays: stays
            .iter()
            .map(|&[day, tier, ended, minutes]| Stay {
                day,
                tier,
                escalated: ended == 1,
                minutes,
            })
            .collect(),
        ratings: ratings
            .iter()
            .map(|&[day, rating, by]| Rated { day, rating, by })
            .collect(),
        first_response_missed: first_missed
            .iter()
            .map(|&[day, tier]| Missed { day, tier })
            .collect(),
        resolution_missed: resolution_missed
            .iter()
            .map(|&[day, tier]| Missed { day, tier })
            .collect(),
        open_after: Vec::new(),
    };

    // Tickets open at the end of each day: those filed, less those resolved, plus
    // those reopened, up to then (a ticket is open from its filing to a resolution
    // and again from a reopening).
    let window_days = (2 * w.days) as usize;
    let mut change = vec![0_i64; window_days];
    let mut add = |day: i64, by: i64| {
        if let Some(slot) = usize::try_from(day).ok().and_then(|d| change.get_mut(d)) {
            *slot += by;
        }
    };
    facts.created.iter().for_each(|c| add(c.day, 1));
    facts.resolved.iter().for_each(|r| add(r.day, -1));
    facts.reopenings.iter().for_each(|&day| add(day, 1));
    let (filed_before, resolved_before, reopened_before) = totals;
    let mut open = filed_before - resolved_before + reopened_before;
    facts.open_after = change
        .iter()
        .map(|delta| {
            open += delta;
            open
        })
        .collect();

    let (tickets_now, first_now, resolution_now, sla_now, satisfaction_now) =
        facts.headline(Half::Current);
    let (tickets_before, first_before, resolution_before, sla_before, satisfaction_before) =
        facts.headline(Half::Previous);
    let funnel = |(sessions, engaged, helped, filed): (i64, i64, i64, i64), created: i64| {
        SelfServiceFunnel {
            sessions,
            engaged,
            helped,
            filed,
            // Self-service sessions per ticket filed in the period.
            score: mean(sessions, created),
        }
    };

    let current = |day: i64| w.current_day(day).is_some();

    // Per priority: speed and deadlines met, of the tickets first answered and the
    // resolutions made in the period.
    let by_priority = Priority::ALL
        .iter()
        .map(|&priority| {
            let i = priority.index();
            let answers: Vec<&FirstAnswer> = facts
                .first_answers
                .iter()
                .filter(|a| a.priority == i && current(a.day))
                .collect();
            let resolved: Vec<&Resolved> = facts
                .resolved
                .iter()
                .filter(|r| r.priority == i && current(r.day))
                .collect();
            PriorityFigures {
                priority,
                first_response_minutes: spread(answers.iter().map(|a| a.minutes).collect()),
                resolution_minutes: spread(resolved.iter().map(|r| r.minutes).collect()),
                first_response_met_pct: percent(
                    answers.iter().filter(|a| a.met).count() as i64,
                    answers.len() as i64,
                ),
                resolution_met_pct: percent(
                    resolved.iter().filter(|r| r.met).count() as i64,
                    resolved.len() as i64,
                ),
            }
        })
        .collect();

    // Deadlines missed in the period, by the tier the ticket was at when each passed.
    let breaches_by_tier = (1..=3)
        .map(|tier| TierBreaches {
            tier: tier as u8,
            first_response: facts
                .first_response_missed
                .iter()
                .filter(|m| m.tier == tier && current(m.day))
                .count() as i64,
            resolution: facts
                .resolution_missed
                .iter()
                .filter(|m| m.tier == tier && current(m.day))
                .count() as i64,
        })
        .collect();

    // Per category, in the portal's order: filed and resolved in the period, filed
    // in the previous one, filed per chart bucket; and repeat contacts.
    let buckets = period.bucket_starts();
    let step = match period.bucket() {
        Bucket::Day => 1,
        Bucket::Week => 7,
    };
    let bucket_of = |day: usize| day / step;
    let mut per_category =
        vec![(0_i64, 0_i64, 0_i64, 0_i64, vec![0_i64; buckets.len()]); categories.len()];
    for c in &facts.created {
        let Some(row) = per_category.get_mut(c.category) else {
            continue;
        };
        match w.half(c.day) {
            Some(Half::Current) => {
                row.0 += 1;
                if c.repeat {
                    row.3 += 1;
                }
                if let Some(slot) = w
                    .current_day(c.day)
                    .and_then(|d| row.4.get_mut(bucket_of(d)))
                {
                    *slot += 1;
                }
            }
            Some(Half::Previous) => row.2 += 1,
            None => {}
        }
    }
    for r in &facts.resolved {
        if let Some(row) = per_category.get_mut(r.category)
            && current(r.day)
        {
            row.1 += 1;
        }
    }
    let mut repeat_categories: Vec<CategoryCount> = categories
        .iter()
        .zip(&per_category)
        .filter(|(_, row)| row.3 > 0)
        .map(|(c, row)| CategoryCount {
            category: c.slug.to_string(),
            name: c.name.clone(),
            count: row.3,
        })
        .collect();
    repeat_categories.sort_by_key(|c| std::cmp::Reverse(c.count));
    let by_category = categories
        .iter()
        .zip(per_category)
        .map(
            |(c, (created, resolved, previous_created, _, trend))| CategoryFigures {
                category: c.slug.to_string(),
                name: c.name.clone(),
                created,
                resolved,
                previous_created,
                trend,
            },
        )
        .collect();

    // Per technician: resolutions and first answers in the period, the median of
    // their resolutions' minutes, and the ratings given in the period to tickets
    // they resolved.
    #[derive(Default)]
    struct Work {
        resolved: i64,
        first_responses: i64,
        minutes: Vec<i64>,
        rating_sum: i64,
        ratings: i64,
    }
    let mut work: BTreeMap<i64, Work> = BTreeMap::new();
    for r in facts.resolved.iter().filter(|r| r.by > 0 && current(r.day)) {
        let entry = work.entry(r.by).or_default();
        entry.resolved += 1;
        entry.minutes.push(r.minutes);
    }
    for a in facts
        .first_answers
        .iter()
        .filter(|a| a.by > 0 && current(a.day))
    {
        work.entry(a.by).or_default().first_responses += 1;
    }
    let mut team_minutes: Vec<i64> = work.values().flat_map(|w| w.minutes.clone()).collect();
    team_minutes.sort_unstable();
    let (mut team_rating_sum, mut team_ratings) = (0, 0);
    for r in facts.ratings.iter().filter(|r| r.by > 0 && current(r.day)) {
        team_rating_sum += r.rating;
        team_ratings += 1;
        if let Some(entry) = work.get_mut(&r.by) {
            entry.rating_sum += r.rating;
            entry.ratings += 1;
        }
    }
    let names: HashMap<i64, &StaffMember> = staff_list.iter().map(|m| (m.id, m)).collect();
    let mut by_technician: Vec<TechnicianFigures> = work
        .iter_mut()
        .filter(|(_, w)| w.resolved > 0 || w.first_responses > 0)
        .filter_map(|(id, w)| {
            let member = names.get(id)?;
            w.minutes.sort_unstable();
            Some(TechnicianFigures {
                id: *id,
                display_name: member.display_name.clone(),
                active: member.active,
                resolved: w.resolved,
                first_responses: w.first_responses,
                resolution_minutes_median: nearest_rank(&w.minutes, 50),
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
        resolution_minutes_median: nearest_rank(&team_minutes, 50),
        satisfaction_average: mean(team_rating_sum, team_ratings),
    };
    // Only administrators see their colleagues' rows.
    if !asked.viewer.role.is_admin() {
        by_technician.retain(|t| t.id == asked.viewer.id);
    }

    // Per tier: resolutions made at it and escalations from it in the period, and
    // the median time at it of the stays that ended in the period.
    let by_tier = (1..=3)
        .map(|tier| {
            let resolved = facts
                .resolved
                .iter()
                .filter(|r| r.tier == tier && current(r.day))
                .count() as i64;
            let ended: Vec<&Stay> = facts
                .stays
                .iter()
                .filter(|s| s.tier == tier && current(s.day))
                .collect();
            let escalated = ended.iter().filter(|s| s.escalated).count() as i64;
            TierFigures {
                tier: tier as u8,
                resolved,
                escalated,
                escalation_rate_pct: percent(escalated, resolved + escalated),
                minutes_at_tier_median: spread(ended.iter().map(|s| s.minutes).collect()).median,
            }
        })
        .collect();

    // The trend: filed, resolved and open at the end, per day or per week.
    let mut per_day = vec![(0_i64, 0_i64); w.days as usize];
    for c in &facts.created {
        if let Some(d) = w.current_day(c.day) {
            per_day[d].0 += 1;
        }
    }
    for r in &facts.resolved {
        if let Some(d) = w.current_day(r.day) {
            per_day[d].1 += 1;
        }
    }
    let daily = buckets
        .iter()
        .enumerate()
        .map(|(b, start)| {
            let first = b * step;
            let last = ((b + 1) * step).min(w.days as usize) - 1;
            DayFigures {
                date: start.to_string(),
                created: per_day[first..=last].iter().map(|d| d.0).sum(),
                resolved: per_day[first..=last].iter().map(|d| d.1).sum(),
                backlog: facts.open_after[w.days as usize + last],
            }
        })
        .collect();

    // The words of the period's subjects, in how many subjects each appears.
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for word in words.split(' ').filter(|w| !w.is_empty()) {
        *counts.entry(word).or_default() += 1;
    }
    let mut subject_words: Vec<WordCount> = counts
        .into_iter()
        .map(|(word, count)| WordCount {
            word: word.to_owned(),
            count,
        })
        .collect();
    subject_words.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
    subject_words.truncate(MAX_WORDS);

    // Searches in the period that found nothing, per language and query.
    let language_rank = |code: &str| Language::ALL.iter().position(|l| l.code() == code);
    gaps.sort_by(|a, b| {
        b.searches
            .cmp(&a.searches)
            .then_with(|| language_rank(&a.lang).cmp(&language_rank(&b.lang)))
            .then_with(|| a.query.cmp(&b.query))
    });

    // Articles: sessions that opened each, answers to "Did this help?", tickets filed
    // after reading it in the same session.
    let mut articles = articles;
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
        self_service: funnel(funnel_now, tickets_now.created),
        previous: Headline {
            from: previous.from.to_string(),
            to: previous.to.to_string(),
            self_service: funnel(funnel_before, tickets_before.created),
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
        searches_without_results: gaps,
        articles,
        flows,
        bucket: period.bucket(),
        daily,
    })
}
