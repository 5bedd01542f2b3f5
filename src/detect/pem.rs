//! PEM private-key blocks (real or escaped newlines).

use super::judge;
use super::parts::{PartHit, Strength};
use super::syntax::{self};
use super::{context::Subject, engine::Engine};
use crate::rules::{Confidence, Detector, Part};
use memchr;

impl Engine {
    pub(super) fn classify_pem(
        &self,
        blob: &Subject,
        start: usize,
        end: usize,
        label: &str,
        out: &mut Vec<PartHit>,
    ) {
        if !label.contains("PRIVATE KEY") {
            return;
        }
        let line_no = blob.line_of(start);
        let (ls, _) = blob.line_range(line_no);
        // The name: on the BEGIN line, or on the line above (`KEY = """`).
        let mut name_venue = None;
        let mut named = false;
        for l in [Some(line_no), line_no.checked_sub(1)]
            .into_iter()
            .flatten()
        {
            let (a, b) = blob.line_range(l);
            let upto = if l == line_no { start.max(a) } else { b };
            let text = syntax::normalize(&blob.data[a..upto]);
            if text.contains("key") || text.contains("secret") || text.contains("private") {
                named = true;
            }
            if name_venue.is_none() {
                name_venue = self.venue_in(&text);
            }
        }
        let _ = ls;
        let value = String::from_utf8_lossy(&blob.data[start..end]).into_owned();
        for (v, strength) in self.venues_for(blob, line_no, name_venue) {
            let info = &self.venues[v as usize];
            for part in [Part::Secret, Part::PrivateKey] {
                for &ri in info.by_part.get(&part).into_iter().flatten() {
                    let r = &self.rules.rules[ri];
                    if r.spec.detector != Detector::Pem || !r.shape_matches(label) {
                        continue;
                    }
                    let body = pem_body(&value);
                    // A real key body is at least 64 base64 characters
                    // (Ed25519 PKCS#8); shorter is an excerpt or a stub.
                    if body.len() < 64 || judge::is_placeholder(&body) {
                        return;
                    }
                    let conf = match strength {
                        Strength::Named | Strength::Line | Strength::Enclosing => {
                            r.max_confidence()
                        }
                        Strength::Block | Strength::Path => {
                            r.max_confidence().min(Confidence::Medium)
                        }
                        Strength::File if named => Confidence::Medium,
                        Strength::File => Confidence::Low,
                    };
                    out.push(self.hit(ri, &value, start, end, conf));
                    return;
                }
            }
        }
    }
}

/// Finds the end of the PEM block starting at `start` (`-----BEGIN`),
/// accepting real or escaped (`\n`) newlines; returns (end, label).
pub(super) fn pem_block(data: &[u8], start: usize) -> Option<(usize, String)> {
    let head = &data[start..(start + 100).min(data.len())];
    let rest = head.get(11..)?;
    let label_end = memchr::memmem::find(rest, b"-----")?;
    let label = std::str::from_utf8(&rest[..label_end])
        .ok()?
        .trim()
        .to_ascii_uppercase();
    let end_marker = format!("-----END {label}-----");
    let window = &data[start..(start + 16 * 1024).min(data.len())];
    let p = memchr::memmem::find(window, end_marker.as_bytes())?;
    Some((start + p + end_marker.len(), label))
}

pub(super) fn pem_body(pem: &str) -> String {
    pem.lines()
        .flat_map(|l| l.split("\\n"))
        .filter(|l| !l.starts_with("-----") && !l.contains("-----"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_blocks_with_real_or_escaped_newlines() {
        let real =
            b"x = '-----BEGIN EC PRIVATE KEY-----\nMHcC\nAQEE\n-----END EC PRIVATE KEY-----'";
        let start = 5;
        let (end, label) = pem_block(real, start).unwrap();
        assert_eq!(label, "EC PRIVATE KEY");
        assert!(real[..end].ends_with(b"-----END EC PRIVATE KEY-----"));
        let escaped = br#""-----BEGIN PRIVATE KEY-----\nMC4C\n-----END PRIVATE KEY-----\n""#;
        let (end, label) = pem_block(escaped, 1).unwrap();
        assert_eq!(label, "PRIVATE KEY");
        assert_eq!(&escaped[end..], br#"\n""#);
        // No END line: no block.
        assert!(pem_block(b"-----BEGIN RSA PRIVATE KEY-----\nMIIE", 0).is_none());
    }

    #[test]
    fn pem_bodies_drop_the_armour() {
        assert_eq!(
            pem_body("-----BEGIN EC PRIVATE KEY-----\\nMHcC\\nAQEE\\n-----END EC PRIVATE KEY-----"),
            "MHcCAQEE"
        );
        assert_eq!(
            pem_body("-----BEGIN X-----\nAB\nCD\n-----END X-----"),
            "ABCD"
        );
    }
}
