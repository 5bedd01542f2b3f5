//! Bytes -> credential parts.
//!
//! The pipeline, per blob:
//! 1. **Prefilter**: one Aho–Corasick pass (ASCII case-insensitive) over all
//!    anchors: venue names, header names, SDK calls, self-identifying prefixes,
//!    credential words. A blob with no hit (and no telling path) costs that one
//!    pass and nothing more.
//! 2. **Candidates**: only lines near hits are tokenised; each value token is
//!    bound to its name (or call and argument position) by [`syntax`].
//! 3. **Classify**: the name gives the part, the name/line/block/path/file
//!    gives the venue, and the venue's rules give the exact shape.
//! 4. **Judge**: placeholders, references, identifiers, randomness for the
//!    alphabet, checksums.
//! 5. **Verdict**: the file's context (code, config, test, docs, vendored)
//!    and the value's surroundings make each part a leak, a documentation
//!    example, a test fixture or vendored code (`verdict`).
//!
//! Pairing parts into findings lives in [`pair`].

pub mod judge;
pub mod pair;
pub mod syntax;

mod binding;
mod classify;
mod context;
mod engine;
mod lexicon;
mod mnemonic;
mod parts;
mod pass;
mod pem;
mod solana;
mod testnet;
mod verdict;

pub use engine::Engine;
pub use lexicon::part_from_name;
pub use parts::{PartHit, Strength};
