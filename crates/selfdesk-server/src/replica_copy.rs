//! A replica's copy of a setting admins change at run time and every replica follows
//! (the service levels, the reach check's services): read by every request that
//! needs it, replaced whole when the setting changes here or is seen changed in the
//! database.

use std::sync::{Arc, RwLock};

#[derive(Debug, Default)]
pub struct ReplicaCopy<T> {
    current: RwLock<Arc<T>>,
}

impl<T> ReplicaCopy<T> {
    pub fn new(value: T) -> Self {
        Self {
            current: RwLock::new(Arc::new(value)),
        }
    }

    /// The value as it is now; a caller keeps it for the whole of one decision, so a
    /// request never mixes two versions.
    pub fn current(&self) -> Arc<T> {
        self.current
            .read()
            .map(|p| p.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    pub fn replace(&self, value: T) {
        let mut slot = self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *slot = Arc::new(value);
    }
}
