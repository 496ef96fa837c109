//! The one way a form is built, so every form looks, reads aloud and fails alike (the
//! GOV.UK pattern):
//!
//! - [`Field`]: label, hint, the message under it when refused, and the control, which
//!   gets its `id`, `aria-invalid` and `aria-describedby` from [`Control`];
//!   [`ChoiceField`] is the same for a group of radio buttons, [`TextField`] a
//!   Field with its one-line text box, [`StarsField`] a rating of one to five;
//! - [`ErrorSummary`]: at the top of a refused form, focused so screen readers announce
//!   it, one link per refused field, and a failed request's own sentence;
//! - [`RequestFailure`]: the same for a form of one or two fields, on one line;
//! - [`SubmitButton`]: with a busy label while the form is being sent, a second
//!   press then sending nothing (it keeps the focus: `aria-disabled`, not `disabled`);
//! - [`Problems`]: what a refused form shows, keyed by the control's id;
//! - [`reason_text`]: a refusal's [`Reason`](selfdesk_shared::error::Reason) in the
//!   reader's language. The English sentence of a refusal cannot reach a page.

mod choice;
mod failure;
mod field;
mod problems;
mod reasons;
mod stars;
mod submit;
mod summary;
mod text_field;

pub use choice::ChoiceField;
pub use failure::{FailureText, RequestFailure};
pub use field::{Control, Field};
pub use problems::{Problem, Problems};
pub use reasons::{
    problem_for, reason_text, refusal, refusal_worded, staff_reason_text, word_staff_reasons,
};
pub use stars::StarsField;
pub use submit::SubmitButton;
pub use summary::ErrorSummary;
pub use text_field::{TextField, TextKind};
