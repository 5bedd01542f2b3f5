//! Where bytes come from. Each source reads blobs and hands them to the
//! [`Scanner`](crate::Scanner); none of them knows about reports.

pub mod fs;
pub mod git;
pub mod pack;
