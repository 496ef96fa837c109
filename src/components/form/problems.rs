//! A refused form's problems, shown under each field and in the summary.

use leptos::prelude::*;

/// One refused control: its element id (the summary links to it), the sentence, and
/// the field's label when the sentence does not name the field (the summary then
/// says "Label: sentence").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub id: String,
    pub text: String,
    pub label: Option<String>,
}

impl Problem {
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            text: text.into(),
            label: None,
        }
    }

    /// A sentence about a field that it does not name, such as a refusal's reason.
    pub fn labelled(
        id: impl Into<String>,
        label: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Self {
            label: Some(label.into()),
            ..Self::new(id, text)
        }
    }
}

/// The problems a form shows now; copied freely into closures.
#[derive(Debug, Clone, Copy)]
pub struct Problems(RwSignal<Vec<Problem>>);

impl Default for Problems {
    fn default() -> Self {
        Self::new()
    }
}

impl Problems {
    pub fn new() -> Self {
        Self(RwSignal::new(Vec::new()))
    }

    /// Replaces what is shown; returns whether the form may be sent (no problem).
    pub fn show(self, problems: Vec<Problem>) -> bool {
        let none = problems.is_empty();
        self.0.set(problems);
        none
    }

    pub fn clear(self) {
        self.0.set(Vec::new());
    }

    /// Adds one (a refusal the server found), replacing an earlier one for that control.
    pub fn add(self, problem: Problem) {
        self.0.update(|all| {
            all.retain(|p| p.id != problem.id);
            all.push(problem);
        });
    }

    pub fn is_empty(self) -> bool {
        self.0.with(Vec::is_empty)
    }

    pub fn list(self) -> Vec<Problem> {
        self.0.get()
    }

    /// The sentence for the control `id`, if refused: what its [`Field`](super::Field)
    /// shows.
    pub fn at(self, id: impl Into<String>) -> Signal<Option<String>> {
        let id = id.into();
        Signal::derive(move || {
            self.0
                .with(|all| all.iter().find(|p| p.id == id).map(|p| p.text.clone()))
        })
    }
}
