//! Reads the blobs a history scan needs straight from the repository's pack
//! files, inflating each pack entry once.
//!
//! Most blobs in a pack are deltas against another version of the same file,
//! in chains up to 50 deep. Reading them one by one through libgit2 inflates
//! and applies a chain for each, with a small cache of bases; a history scan
//! spent most of its time there. Here the entries of each pack form a forest
//! (a delta's parent is its base): each tree that leads to a needed blob is
//! walked depth-first from its base, so every entry is inflated once and
//! every delta applied once, and the trees are shared among threads.
//!
//! Formats: <https://git-scm.com/docs/pack-format> (pack index version 2,
//! pack version 2 and 3, OFS_DELTA and REF_DELTA entries, the delta
//! instruction stream). Anything this reader cannot use (loose objects, a
//! pack it cannot parse, a damaged entry, a base in another pack) is left to
//! the caller, which reads those blobs through libgit2 as before.

use flate2::{Decompress, FlushDecompress, Status};
use git2::Oid;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

const OBJ_TREE: u8 = 2;
const OBJ_BLOB: u8 = 3;
/// Larger objects (or deltas) are left to libgit2: a damaged size field
/// must not make this reader allocate gigabytes.
const LARGEST: usize = 1 << 30;
const OBJ_OFS_DELTA: u8 = 6;
const OBJ_REF_DELTA: u8 = 7;

/// One pack file and its index.
struct Pack {
    data: Vec<u8>,
    /// Object ids, sorted (the index's order).
    oids: Vec<[u8; 20]>,
    /// Pack offset of each object id.
    offsets: Vec<u64>,
}

/// One entry of a pack, in offset order.
#[derive(Clone, Copy)]
struct Entry {
    /// Position in `Pack::oids`.
    id: u32,
    kind: u8,
    /// Where the zlib stream starts.
    start: usize,
    /// Inflated size of the entry's data (for a delta: of the delta).
    size: usize,
    /// The entry this one is a delta against (index into the entries).
    base: Option<u32>,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl Pack {
    fn open(pack: &Path) -> Result<Pack, String> {
        let idx_path = pack.with_extension("idx");
        let idx = std::fs::read(&idx_path).map_err(|e| format!("{}: {e}", idx_path.display()))?;
        let data = std::fs::read(pack).map_err(|e| format!("{}: {e}", pack.display()))?;
        let bad = |what: &str| format!("{}: {what}", idx_path.display());
        if idx.get(..8) != Some(&[0xff, b't', b'O', b'c', 0, 0, 0, 2]) {
            return Err(bad("not a version 2 pack index"));
        }
        let n = u32_at(&idx, 8 + 255 * 4).ok_or_else(|| bad("truncated"))? as usize;
        let names = 8 + 256 * 4;
        let offs32 = names + n * 20 + n * 4;
        let offs64 = offs32 + n * 4;
        if idx.len() < offs64 + 40 {
            return Err(bad("truncated"));
        }
        let oids: Vec<[u8; 20]> = (0..n)
            .map(|i| idx[names + i * 20..names + i * 20 + 20].try_into().unwrap())
            .collect();
        let mut offsets = Vec::with_capacity(n);
        for i in 0..n {
            let o = u32_at(&idx, offs32 + i * 4).unwrap();
            let off = if o & 0x8000_0000 == 0 {
                o as u64
            } else {
                let at = offs64 + (o & 0x7fff_ffff) as usize * 8;
                u64::from_be_bytes(
                    idx.get(at..at + 8)
                        .ok_or_else(|| bad("bad large offset"))?
                        .try_into()
                        .unwrap(),
                )
            };
            offsets.push(off);
        }
        if data.get(..4) != Some(b"PACK") || !matches!(u32_at(&data, 4), Some(2 | 3)) {
            return Err(format!("{}: not a version 2 or 3 pack", pack.display()));
        }
        Ok(Pack {
            data,
            oids,
            offsets,
        })
    }

    fn find(&self, oid: &[u8; 20]) -> Option<usize> {
        self.oids.binary_search(oid).ok()
    }

    /// Every entry, in offset order, with its base resolved; `None` when
    /// the pack is damaged.
    fn entries(&self) -> Option<Vec<Entry>> {
        let mut order: Vec<u32> = (0..self.oids.len() as u32).collect();
        order.sort_unstable_by_key(|&i| self.offsets[i as usize]);
        let by_offset: Vec<u64> = order.iter().map(|&i| self.offsets[i as usize]).collect();
        let mut entries = Vec::with_capacity(order.len());
        for &id in &order {
            let at = self.offsets[id as usize] as usize;
            let (kind, size, mut p) = entry_header(&self.data, at)?;
            let base = match kind {
                OBJ_OFS_DELTA => {
                    let (back, len) = ofs_delta_offset(self.data.get(p..)?)?;
                    p += len;
                    let base_at = (at as u64).checked_sub(back)?;
                    Some(by_offset.binary_search(&base_at).ok()? as u32)
                }
                OBJ_REF_DELTA => {
                    let oid: [u8; 20] = self.data.get(p..p + 20)?.try_into().ok()?;
                    p += 20;
                    // A base in another pack: left to libgit2.
                    let base_id = self.find(&oid)?;
                    let base_at = self.offsets[base_id];
                    Some(by_offset.binary_search(&base_at).ok()? as u32)
                }
                1..=4 => None,
                _ => return None,
            };
            entries.push(Entry {
                id,
                kind,
                start: p,
                size,
                base,
            });
        }
        Some(entries)
    }
}

/// Type, inflated size and header length of the entry at `at`.
fn entry_header(data: &[u8], at: usize) -> Option<(u8, usize, usize)> {
    let mut p = at;
    let mut b = *data.get(p)?;
    p += 1;
    let kind = (b >> 4) & 7;
    let mut size = (b & 15) as u64;
    let mut shift = 4;
    while b & 0x80 != 0 {
        b = *data.get(p)?;
        p += 1;
        if shift > 56 {
            return None;
        }
        size |= ((b & 0x7f) as u64) << shift;
        shift += 7;
    }
    Some((kind, usize::try_from(size).ok()?, p))
}

/// The OFS_DELTA base distance and its encoded length.
fn ofs_delta_offset(d: &[u8]) -> Option<(u64, usize)> {
    let mut i = 0;
    let mut b = *d.first()?;
    let mut v = (b & 0x7f) as u64;
    while b & 0x80 != 0 {
        i += 1;
        b = *d.get(i)?;
        v = v.checked_add(1)?.checked_mul(128)? | (b & 0x7f) as u64;
    }
    Some((v, i + 1))
}

/// Inflates exactly `size` bytes from `data`.
fn inflate(z: &mut Decompress, data: &[u8], size: usize) -> Option<Vec<u8>> {
    if size > LARGEST {
        return None;
    }
    z.reset(true);
    let mut out = Vec::with_capacity(size);
    match z.decompress_vec(data, &mut out, FlushDecompress::Finish) {
        Ok(Status::StreamEnd) if out.len() == size => Some(out),
        // An empty object's stream can end without reporting StreamEnd
        // when the output has no room; it is still complete.
        Ok(_) if size == 0 && out.is_empty() => Some(out),
        _ => None,
    }
}

fn delta_varint(d: &[u8], p: &mut usize) -> Option<usize> {
    let mut v: u64 = 0;
    let mut shift = 0;
    loop {
        let b = *d.get(*p)?;
        *p += 1;
        if shift > 56 {
            return None;
        }
        v |= ((b & 0x7f) as u64) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            return usize::try_from(v).ok();
        }
    }
}

/// Applies a git delta to `base`; `None` when the delta is malformed.
pub fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut p = 0;
    if delta_varint(delta, &mut p)? != base.len() {
        return None;
    }
    let size = delta_varint(delta, &mut p)?;
    if size > LARGEST {
        return None;
    }
    let mut out = Vec::with_capacity(size);
    while p < delta.len() {
        let op = delta[p];
        p += 1;
        if op & 0x80 != 0 {
            let mut off = 0usize;
            let mut len = 0usize;
            for i in 0..4 {
                if op & (1 << i) != 0 {
                    off |= (*delta.get(p)? as usize) << (8 * i);
                    p += 1;
                }
            }
            for i in 0..3 {
                if op & (0x10 << i) != 0 {
                    len |= (*delta.get(p)? as usize) << (8 * i);
                    p += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            out.extend_from_slice(base.get(off..off.checked_add(len)?)?);
        } else if op != 0 {
            let n = op as usize;
            out.extend_from_slice(delta.get(p..p + n)?);
            p += n;
        } else {
            return None;
        }
    }
    (out.len() == size).then_some(out)
}

/// The packs under `objects/pack`, each with its entries; packs this
/// reader cannot parse are left out (libgit2 reads what they hold).
pub struct Packs(Vec<(Pack, Vec<Entry>)>);

impl Packs {
    pub fn open(objects: &Path) -> Packs {
        let Ok(dir) = std::fs::read_dir(objects.join("pack")) else {
            return Packs(Vec::new());
        };
        let mut paths: Vec<_> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .collect();
        paths.sort();
        Packs(
            paths
                .iter()
                .filter_map(|p| {
                    let pack = Pack::open(p).ok()?;
                    let entries = pack.entries()?;
                    Some((pack, entries))
                })
                .collect(),
        )
    }

    /// Reads the `needed` blobs, calling `found` once per blob (from
    /// `threads` threads). Returns the needed blobs it did not deliver:
    /// not in a pack, or in one it could not read.
    pub fn blobs(
        &self,
        needed: &HashSet<Oid>,
        threads: usize,
        found: &(dyn Fn(Oid, &[u8]) + Sync),
    ) -> HashSet<Oid> {
        let mut left: HashSet<Oid> = needed.clone();
        for (pack, entries) in &self.0 {
            if left.is_empty() {
                break;
            }
            let mut pos_of_id = vec![0u32; entries.len()];
            for (pos, e) in entries.iter().enumerate() {
                pos_of_id[e.id as usize] = pos as u32;
            }
            let mut want = vec![false; entries.len()];
            for oid in &left {
                let Ok(raw): Result<[u8; 20], _> = oid.as_bytes().try_into() else {
                    continue;
                };
                if let Some(id) = pack.find(&raw) {
                    want[pos_of_id[id] as usize] = true;
                }
            }
            for oid in read_pack(pack, entries, &want, OBJ_BLOB, threads, found, &|| false) {
                left.remove(&oid);
            }
        }
        left
    }

    /// Every tree object of the packs, inflated on `threads` threads,
    /// until they hold `budget` bytes: then the reading stops (the rest is
    /// read one by one through libgit2). A history walk reads each tree once, in commit
    /// order: one by one, each a delta chain, it was most of the walk.
    pub fn trees(&self, threads: usize, budget: usize) -> HashMap<Oid, Vec<u8>> {
        let held = AtomicUsize::new(0);
        let out = Mutex::new(HashMap::new());
        for (pack, entries) in &self.0 {
            if held.load(Ordering::Relaxed) >= budget {
                break;
            }
            let want: Vec<bool> = root_kinds(entries)
                .into_iter()
                .map(|k| k == OBJ_TREE)
                .collect();
            let full = || held.load(Ordering::Relaxed) >= budget;
            let keep = |oid, data: &[u8]| {
                if held.fetch_add(data.len(), Ordering::Relaxed) < budget {
                    out.lock().unwrap().insert(oid, data.to_vec());
                }
            };
            read_pack(pack, entries, &want, OBJ_TREE, threads, &keep, &full);
        }
        out.into_inner().unwrap()
    }
}

/// The kind of each entry's chain root (a delta is of its base's kind);
/// 0 for a chain that does not end in the pack.
fn root_kinds(entries: &[Entry]) -> Vec<u8> {
    let mut kind = vec![u8::MAX; entries.len()];
    let mut path = Vec::new();
    for start in 0..entries.len() {
        let mut pos = start;
        // Follow the chain to a known kind, then give it to the path.
        let k = loop {
            if kind[pos] != u8::MAX {
                break kind[pos];
            }
            match entries[pos].base {
                Some(b) if path.len() <= entries.len() => {
                    path.push(pos);
                    pos = b as usize;
                }
                Some(_) => break 0,
                None => break entries[pos].kind,
            }
        };
        kind[pos] = k;
        for p in path.drain(..) {
            kind[p] = k;
        }
    }
    kind
}

/// One pack's part of a read: delivers each `want`ed entry of chains
/// rooted in an object of `kind`; returns what it delivered.
fn read_pack(
    pack: &Pack,
    entries: &[Entry],
    want: &[bool],
    kind: u8,
    threads: usize,
    found: &(dyn Fn(Oid, &[u8]) + Sync),
    done: &(dyn Fn() -> bool + Sync),
) -> Vec<Oid> {
    let n = entries.len();
    // Mark the wanted entries and every base on their chains.
    let mut marked = vec![false; n];
    for start in (0..n).filter(|&p| want[p]) {
        let mut pos = start;
        while !marked[pos] {
            marked[pos] = true;
            match entries[pos].base {
                Some(b) => pos = b as usize,
                None => break,
            }
        }
    }
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for pos in (0..n).filter(|&p| marked[p]) {
        match entries[pos].base {
            Some(b) => children[b as usize].push(pos as u32),
            None => roots.push(pos as u32),
        }
    }
    // Largest trees first, so the threads finish together.
    let weight = |r: u32| -> usize {
        let mut stack = vec![r];
        let mut w = 0;
        while let Some(p) = stack.pop() {
            w += entries[p as usize].size;
            stack.extend(&children[p as usize]);
        }
        w
    };
    let mut roots: Vec<(usize, u32)> = roots.into_iter().map(|r| (weight(r), r)).collect();
    roots.sort_unstable_by(|a, b| b.cmp(a));
    let next = AtomicUsize::new(0);
    let delivered = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| {
                let mut z = Decompress::new(true);
                let mut mine = Vec::new();
                while !done() {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(_, root)) = roots.get(i) else {
                        break;
                    };
                    let e = entries[root as usize];
                    if e.kind != kind {
                        continue;
                    }
                    let Some(content) = inflate(&mut z, &pack.data[e.start..], e.size) else {
                        continue;
                    };
                    walk(
                        pack, entries, &children, want, &mut z, root, content, found, &mut mine,
                    );
                }
                delivered.lock().unwrap().extend(mine);
            });
        }
    });
    delivered.into_inner().unwrap()
}

/// Delivers `pos` (whose content is `content`) if wanted, then its
/// children, depth-first.
#[allow(clippy::too_many_arguments)]
fn walk(
    pack: &Pack,
    entries: &[Entry],
    children: &[Vec<u32>],
    want: &[bool],
    z: &mut Decompress,
    pos: u32,
    content: Vec<u8>,
    found: &(dyn Fn(Oid, &[u8]) + Sync),
    delivered: &mut Vec<Oid>,
) {
    // An explicit stack (chains can be thousands deep) of children still to
    // read, each with its base: only the bases on the current path are
    // held, never a whole generation of siblings.
    let mut deliver = |pos: u32, content: &[u8]| {
        if want[pos as usize] {
            let id = entries[pos as usize].id as usize;
            let oid = Oid::from_bytes(&pack.oids[id]).expect("20-byte id");
            found(oid, content);
            delivered.push(oid);
        }
    };
    deliver(pos, &content);
    let base = Rc::new(content);
    let mut stack: Vec<(u32, Rc<Vec<u8>>)> = children[pos as usize]
        .iter()
        .map(|&c| (c, base.clone()))
        .collect();
    drop(base);
    while let Some((pos, base)) = stack.pop() {
        let e = entries[pos as usize];
        let Some(delta) = inflate(z, &pack.data[e.start..], e.size) else {
            continue;
        };
        let Some(content) = apply_delta(&base, &delta) else {
            continue;
        };
        drop(base);
        deliver(pos, &content);
        let kids = &children[pos as usize];
        if !kids.is_empty() {
            let rc = Rc::new(content);
            stack.extend(kids.iter().map(|&c| (c, rc.clone())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delta_is_of_its_chain_root_s_kind() {
        let e = |kind: u8, base: Option<u32>| Entry {
            id: 0,
            kind,
            start: 0,
            size: 0,
            base,
        };
        // 0 a tree, 1 a delta on it, 2 a delta on 1, 3 a blob, 4 a delta on
        // 3, 5 and 6 deltas on each other (a damaged pack): no kind.
        let entries = [
            e(OBJ_TREE, None),
            e(OBJ_OFS_DELTA, Some(0)),
            e(OBJ_REF_DELTA, Some(1)),
            e(OBJ_BLOB, None),
            e(OBJ_OFS_DELTA, Some(3)),
            e(OBJ_OFS_DELTA, Some(6)),
            e(OBJ_OFS_DELTA, Some(5)),
        ];
        let kinds = root_kinds(&entries);
        assert_eq!(
            kinds[..5],
            [OBJ_TREE, OBJ_TREE, OBJ_TREE, OBJ_BLOB, OBJ_BLOB]
        );
        assert!(kinds[5] != OBJ_TREE && kinds[5] != OBJ_BLOB, "{kinds:?}");
        assert!(kinds[6] != OBJ_TREE && kinds[6] != OBJ_BLOB, "{kinds:?}");
    }

    #[test]
    fn deltas_copy_and_insert() {
        let base = b"hello, world\n";
        // base size 13, result size 18; copy 0..7, insert "there", copy 7..13.
        let mut d = vec![13, 18];
        d.extend([0x80 | 0x10, 7]);
        d.push(5);
        d.extend(b"there");
        d.extend([0x80 | 0x01 | 0x10, 7, 6]);
        assert_eq!(apply_delta(base, &d).unwrap(), b"hello, thereworld\n");
        // Wrong base size, a copy past the end, a zero opcode: refused.
        assert!(apply_delta(b"x", &d).is_none());
        assert!(apply_delta(base, &[13, 20, 0x80 | 0x01 | 0x10, 10, 10]).is_none());
        assert!(apply_delta(base, &[13, 1, 0]).is_none());
        // A result size of 2^62 bytes: refused, not allocated.
        let huge = [13, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40];
        assert!(apply_delta(base, &huge).is_none());
        let mut z = Decompress::new(true);
        assert!(inflate(&mut z, &[0x78, 0x9c], usize::MAX).is_none());
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_without_panics(base: Vec<u8>, delta: Vec<u8>, at in 0usize..64) {
            let _ = apply_delta(&base, &delta);
            let _ = entry_header(&delta, at);
            let _ = ofs_delta_offset(&delta);
        }
    }

    #[test]
    fn damaged_packs_are_left_to_libgit2() {
        let dir = tempfile::tempdir().unwrap();
        let packs = dir.path().join("pack");
        std::fs::create_dir_all(&packs).unwrap();
        let oid = Oid::from_str("0123456789abcdef0123456789abcdef01234567").unwrap();
        let needed: HashSet<Oid> = [oid].into_iter().collect();
        let none = |_: Oid, _: &[u8]| panic!("nothing to deliver");
        // No index; then an index of garbage; then a truncated real header.
        std::fs::write(packs.join("p.pack"), b"PACK\0\0\0\x02\0\0\0\x01").unwrap();
        assert_eq!(Packs::open(dir.path()).blobs(&needed, 2, &none), needed);
        std::fs::write(packs.join("p.idx"), b"garbage").unwrap();
        assert_eq!(Packs::open(dir.path()).blobs(&needed, 2, &none), needed);
        let mut idx = vec![0xff, b't', b'O', b'c', 0, 0, 0, 2];
        idx.extend(std::iter::repeat_n(0xff, 1024));
        std::fs::write(packs.join("p.idx"), &idx).unwrap();
        assert_eq!(Packs::open(dir.path()).blobs(&needed, 2, &none), needed);
    }

    #[test]
    fn offsets_and_headers() {
        assert_eq!(ofs_delta_offset(&[0x05]), Some((5, 1)));
        // Two bytes: ((0x01 + 1) << 7) | 0x00.
        assert_eq!(ofs_delta_offset(&[0x81, 0x00]), Some((256, 2)));
        // Blob of size 0x1234: type 3, low nibble 4, then 0x123 in 7-bit groups.
        let h = [0x80 | (3 << 4) | 0x4, 0x80 | 0x23, 0x02];
        assert_eq!(entry_header(&h, 0), Some((3, 0x1234, 3)));
        assert_eq!(entry_header(&[0x80 | 0x30], 0), None);
    }
}
