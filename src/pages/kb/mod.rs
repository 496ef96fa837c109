//! The knowledge base, reader side.

pub mod article;
pub mod browse;
pub mod category;
