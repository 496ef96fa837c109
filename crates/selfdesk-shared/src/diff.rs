//! Line diff between two texts, for comparing article revisions.
//!
//! Myers' O(ND) algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986):
//! time grows with the text length times the number of changed lines, so comparing two
//! close revisions of a long article is quick. The lines common to both ends are set
//! aside first (most edits touch one place), and lines are compared as numbers.
//!
//! The search keeps one row of positions per edit for the way back, so memory grows
//! with the square of the edits: past [`MAX_EDITS`] changed lines, the rest of the
//! changed middle is shown as removed, then added — still a correct diff, only a
//! coarser one, and no revision can make the editor hang.

use std::collections::HashMap;

/// What happened to a line going from the old text to the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    Equal,
    Added,
    Removed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffLine<'a> {
    pub change: Change,
    /// Without its line ending.
    pub line: &'a str,
}

/// Beyond this many added plus removed lines the diff stops looking for the shortest
/// edit (see the module comment): a few megabytes of work memory at the limit.
pub const MAX_EDITS: usize = 1000;

/// The lines of `new` against those of `old`, in order: removed lines come before the
/// lines added in their place. Reading only the `Equal` and `Removed` lines gives
/// `old` back; only `Equal` and `Added`, `new`.
pub fn diff_lines<'a>(old: &'a str, new: &'a str) -> Vec<DiffLine<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();

    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    let mut out = Vec::with_capacity(a.len().max(b.len()) + 8);
    out.extend(a[..prefix].iter().map(|&line| equal(line)));
    // Numbering the distinct lines makes every comparison in the search one integer
    // comparison, however long the lines.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut number = |line: &'a str| {
        let next = ids.len() as u32;
        *ids.entry(line).or_insert(next)
    };
    let a_ids: Vec<u32> = a_mid.iter().map(|&l| number(l)).collect();
    let b_ids: Vec<u32> = b_mid.iter().map(|&l| number(l)).collect();
    match shortest_edit(&a_ids, &b_ids, MAX_EDITS) {
        Some(script) => out.extend(script.into_iter().map(|step| match step {
            Step::Equal(i, _) => equal(a_mid[i]),
            Step::Removed(i) => removed(a_mid[i]),
            Step::Added(j) => added(b_mid[j]),
        })),
        None => {
            out.extend(a_mid.iter().map(|&line| removed(line)));
            out.extend(b_mid.iter().map(|&line| added(line)));
        }
    }
    out.extend(a[a.len() - suffix..].iter().map(|&line| equal(line)));
    out
}

fn equal(line: &str) -> DiffLine<'_> {
    DiffLine {
        change: Change::Equal,
        line,
    }
}

fn added(line: &str) -> DiffLine<'_> {
    DiffLine {
        change: Change::Added,
        line,
    }
}

fn removed(line: &str) -> DiffLine<'_> {
    DiffLine {
        change: Change::Removed,
        line,
    }
}

/// One step of an edit script, by index into the old (`i`) or new (`j`) lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Equal(usize, usize),
    Removed(usize),
    Added(usize),
}

/// The shortest edit script from `a` to `b`, or `None` when it needs more than
/// `max_edits` insertions and deletions.
fn shortest_edit(a: &[u32], b: &[u32], max_edits: usize) -> Option<Vec<Step>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(max_edits) as isize;
    // `v[k]`: the furthest x reached on diagonal k = x - y; stored at k + offset.
    let offset = max + 1;
    let mut v = vec![0isize; 2 * offset as usize + 1];
    // `trace[d]`: v on diagonals -d-1..=d+1 before round d, for the way back.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let at = |k: isize| (k + offset) as usize;
    let mut reached = None;
    'search: for d in 0..=max {
        trace.push(v[at(-d - 1)..=at(d + 1)].to_vec());
        for k in (-d..=d).step_by(2) {
            let mut x = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) {
                v[at(k + 1)] // down: a line of b added
            } else {
                v[at(k - 1)] + 1 // right: a line of a removed
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                reached = Some(d);
                break 'search;
            }
        }
    }
    reached?;

    // Walk back from (n, m) through the saved rows.
    let mut steps = Vec::with_capacity((n + m) as usize);
    let (mut x, mut y) = (n, m);
    for (d, row) in trace.iter().enumerate().rev() {
        let d = d as isize;
        let get = |k: isize| row[(k + d + 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && get(k - 1) < get(k + 1)) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = get(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            steps.push(Step::Equal(x as usize, y as usize));
        }
        if d > 0 {
            if x == prev_x {
                steps.push(Step::Added(prev_y as usize));
            } else {
                steps.push(Step::Removed(prev_x as usize));
            }
        }
        x = prev_x;
        y = prev_y;
    }
    steps.reverse();
    Some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(diff: &[DiffLine<'_>]) -> String {
        diff.iter()
            .map(|d| {
                let mark = match d.change {
                    Change::Equal => ' ',
                    Change::Added => '+',
                    Change::Removed => '-',
                };
                format!("{mark}{}\n", d.line)
            })
            .collect()
    }

    /// The diff must rebuild both texts, whatever else it does.
    fn assert_rebuilds(old: &str, new: &str) -> Vec<DiffLine<'static>> {
        let diff = diff_lines(old, new);
        let side = |keep: Change| -> Vec<&str> {
            diff.iter()
                .filter(|d| d.change == Change::Equal || d.change == keep)
                .map(|d| d.line)
                .collect()
        };
        assert_eq!(side(Change::Removed), old.lines().collect::<Vec<_>>());
        assert_eq!(side(Change::Added), new.lines().collect::<Vec<_>>());
        diff.into_iter()
            .map(|d| DiffLine {
                change: d.change,
                line: String::leak(d.line.to_owned()),
            })
            .collect()
    }

    #[test]
    fn one_changed_line() {
        let diff = assert_rebuilds("a\nb\nc\n", "a\nx\nc\n");
        assert_eq!(render(&diff), " a\n-b\n+x\n c\n");
    }

    #[test]
    fn identical_and_empty_texts() {
        assert_eq!(render(&assert_rebuilds("a\nb", "a\nb")), " a\n b\n");
        assert!(diff_lines("", "").is_empty());
        assert_eq!(render(&assert_rebuilds("", "new\n")), "+new\n");
        assert_eq!(render(&assert_rebuilds("old\n", "")), "-old\n");
    }

    #[test]
    fn windows_line_endings_compare_equal_to_unix() {
        assert_eq!(render(&assert_rebuilds("a\r\nb\r\n", "a\nb\n")), " a\n b\n");
    }

    #[test]
    fn finds_the_shortest_script() {
        // Myers' paper's example: ABCABBA → CBABAC takes 5 edits.
        let old = "A\nB\nC\nA\nB\nB\nA";
        let new = "C\nB\nA\nB\nA\nC";
        let diff = assert_rebuilds(old, new);
        let edits = diff.iter().filter(|d| d.change != Change::Equal).count();
        assert_eq!(edits, 5, "{}", render(&diff));
    }

    #[test]
    fn insertions_and_moves() {
        assert_eq!(
            render(&assert_rebuilds("1\n2\n3", "0\n1\n2\n2.5\n3\n4")),
            "+0\n 1\n 2\n+2.5\n 3\n+4\n"
        );
        assert_rebuilds("a\nb\nc\nd", "d\nc\nb\na");
        assert_rebuilds("x\n\n\ny\n\n", "\n\nx\ny\n\n\n");
    }

    #[test]
    fn many_changes_fall_back_to_a_coarse_but_correct_diff() {
        let old: String = (0..3000).map(|i| format!("old {i}\n")).collect();
        let new: String = (0..3000).map(|i| format!("new {i}\n")).collect();
        let started = std::time::Instant::now();
        let diff = assert_rebuilds(&format!("top\n{old}end\n"), &format!("top\n{new}end\n"));
        assert!(started.elapsed().as_secs() < 5);
        assert_eq!(diff.len(), 6002);
        assert_eq!(diff[1].change, Change::Removed);
        assert_eq!(diff[3001].change, Change::Added);
    }

    #[test]
    fn pseudo_random_edits_are_shortest_and_rebuild_both_sides() {
        // A small linear congruential generator: deterministic, no dependency.
        let mut seed = 0x2545_f491_u64;
        let mut next = |bound: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % bound
        };
        for _ in 0..200 {
            let old: Vec<String> = (0..next(30)).map(|_| format!("l{}", next(6))).collect();
            let mut new = old.clone();
            for _ in 0..next(8) {
                let at = next(new.len() as u64 + 1) as usize;
                match next(3) {
                    0 if at < new.len() => {
                        new.remove(at);
                    }
                    1 if at < new.len() => new[at] = format!("l{}", next(6)),
                    _ => new.insert(at, format!("l{}", next(6))),
                }
            }
            let diff = assert_rebuilds(&old.join("\n"), &new.join("\n"));
            let edits = diff.iter().filter(|d| d.change != Change::Equal).count();
            assert_eq!(
                edits,
                old.len() + new.len() - 2 * longest_common(&old, &new),
                "not the shortest: {old:?} → {new:?}"
            );
        }
    }

    /// The textbook quadratic LCS length, to check Myers' answer is the shortest.
    fn longest_common(a: &[String], b: &[String]) -> usize {
        let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                table[i][j] = if a[i] == b[j] {
                    table[i + 1][j + 1] + 1
                } else {
                    table[i + 1][j].max(table[i][j + 1])
                };
            }
        }
        table[0][0]
    }
}
