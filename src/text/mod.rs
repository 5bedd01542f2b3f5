//! The lowest layer: plain operations on text that every other layer may
//! use and that know nothing of rules, findings or sources — line and
//! column maps, GitHub's line hash, windows over texts too large to hold,
//! and decoding (UTF-16 detection).

pub mod decode;
pub mod line_hash;
pub mod lines;
pub mod window;

pub use line_hash::line_hashes;
pub use lines::LineMap;
pub use window::{Origin, WINDOW_ENV, Windowing};
