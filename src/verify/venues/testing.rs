//! Shared by the venues' unit tests.

use crate::finding::{Verdict, Verification};
use crate::verify::credential::Credential;
use crate::verify::http::Response;
use crate::verify::venue::Venue;

/// A credential of placeholder parts: key `K`, secret `S`, passphrase `P`.
pub fn ksp() -> Credential {
    Credential {
        key: Some("K".into()),
        secret: Some("S".into()),
        passphrase: Some("P".into()),
        ..Default::default()
    }
}

/// How `venue` reads an answer to `c`'s request.
pub fn read(venue: &dyn Venue, c: &Credential, status: u16, body: &str) -> Verification {
    let r = Response {
        status,
        body: body.into(),
    };
    venue.interpret(c, &r)
}

/// `venue` sends nothing for `c`, which lacks a part it needs.
pub fn assert_not_sent(venue: &dyn Venue, c: &Credential) {
    let v = venue.request(c, 0).expect_err("nothing to send");
    assert_eq!(v.verdict, Verdict::Unsupported, "{v:?}");
}
