//! Spanmark: a workbench for labelling spans in articles.
pub mod model;
pub mod store;
