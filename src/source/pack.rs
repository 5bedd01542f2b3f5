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
//!
//! # Memory
//!
//! A history scan's memory is bounded by the number of objects, a few fixed
//! budgets and the size of the largest delta chain, never by the size of
//! the packs:
//!
//! - *Per object of the packs* about 60 bytes: its id (20) and a 24-byte
//!   [`Entry`]; for the read in progress a want flag, a mark, a child-array
//!   slot (4 + 4, see [`Children`]) and the position of its id (4); a
//!   seen bit and a tree slot (4) for the walk. rails/rails, 1.24 M
//!   objects: 75 MB.
//! - *Pack contents* are never held: each entry's zlib stream is read when
//!   it is inflated ([`Pack::read`]), through the page cache.
//! - *Trees* are held in the compact form of [`Trees`] up to a budget the
//!   caller gives (192 MiB; rails/rails' 754 MB of raw trees take 141 MiB),
//!   during the walk only.
//! - *Per commit* about 20 bytes: its tree's number, read ahead with the
//!   trees.
//! - *Per blob to scan* 12 bytes (object number, path number, commit index)
//!   and each distinct path once.
//! - *Delta bases*: per reading thread, the bases along the chain being
//!   walked (a chain is at most `pack.depth` deep, 50 by default), never a
//!   generation of siblings.
//! - libgit2 (commits, and what this reader leaves to it) maps at most
//!   32 MiB of pack windows and caches 32 MiB of objects.
//! - *Per finding* about 1 KB, until the report is written.
//!
//! Measured peak RSS: rails/rails (1.24 M objects, 407 MB of packs) 382 MiB,
//! hummingbot (362 k objects, 416 MB) 170 MiB, cargo (106 MB) 116 MiB.

use flate2::{Decompress, FlushDecompress, Status};
use git2::Oid;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

const OBJ_COMMIT: u8 = 1;
const OBJ_TREE: u8 = 2;
const OBJ_BLOB: u8 = 3;
/// Larger objects (or deltas) are left to libgit2: a damaged size field
/// must not make this reader allocate gigabytes.
const LARGEST: usize = 1 << 30;
const OBJ_OFS_DELTA: u8 = 6;

const OBJ_REF_DELTA: u8 = 7;

/// One pack file and its index.
struct Pack {
    /// The pack file, read an entry at a time (see [`Pack::read`]).
    file: std::fs::File,
    len: u64,
    /// Object ids, sorted (the index's order).
    oids: Vec<[u8; 20]>,
    /// `oids[fan[k]..fan[k + 1]]` are the ids whose first two bytes are
    /// `k` (256 KiB per pack): a lookup compares a handful of ids, where
    /// a search of all of them compared twenty.
    fan: Vec<u32>,
}

/// One entry of a pack, in offset order: 24 bytes.
#[derive(Clone, Copy)]
struct Entry {
    /// Where the zlib stream starts (low 56 bits) and the entry's type
    /// (top 8 bits).
    at: u64,
    /// Length of the zlib stream (`u32::MAX`: longer than this reader
    /// inflates).
    zlen: u32,
    /// Inflated size of the entry's data (for a delta: of the delta);
    /// `u32::MAX` for one too large to inflate.
    size: u32,
    /// Position in `Pack::oids`.
    id: u32,
    /// The entry this one is a delta against (index into the entries), or
    /// `NO_BASE`.
    base: u32,
}

const NO_BASE: u32 = u32::MAX;

impl Entry {
    fn kind(&self) -> u8 {
        (self.at >> 56) as u8
    }

    fn start(&self) -> u64 {
        self.at & ((1 << 56) - 1)
    }

    fn size(&self) -> usize {
        self.size as usize
    }

    fn base(&self) -> Option<u32> {
        (self.base != NO_BASE).then_some(self.base)
    }
}

/// Reads at `offset` into `buf` without moving a file cursor (threads
/// share the file); returns the bytes read, 0 at the end.
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    #[cfg(unix)]
    return std::os::unix::fs::FileExt::read_at(file, buf, offset);
    #[cfg(windows)]
    return std::os::windows::fs::FileExt::seek_read(file, buf, offset);
}

/// Reads from `offset` until `buf` is full or the file ends; the bytes
/// read, `None` when reading fails.
fn read_full_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> Option<usize> {
    let mut got = 0;
    while got < buf.len() {
        match read_at(file, &mut buf[got..], offset + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    Some(got)
}

/// Fills `buf` from `offset`; false when the file ends first or fails.
fn read_exact_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> bool {
    read_full_at(file, buf, offset) == Some(buf.len())
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl Pack {
    /// The pack and the offset of each of its object ids.
    fn open(pack: &Path) -> Result<(Pack, Vec<u64>), String> {
        let idx_path = pack.with_extension("idx");
        let idx = std::fs::read(&idx_path).map_err(|e| format!("{}: {e}", idx_path.display()))?;
        let file = std::fs::File::open(pack).map_err(|e| format!("{}: {e}", pack.display()))?;
        let len = file
            .metadata()
            .map_err(|e| format!("{}: {e}", pack.display()))?
            .len();
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
        let mut head = [0u8; 12];
        if !read_exact_at(&file, &mut head, 0)
            || &head[..4] != b"PACK"
            || !matches!(u32_at(&head, 4), Some(2 | 3))
        {
            return Err(format!("{}: not a version 2 or 3 pack", pack.display()));
        }
        let mut fan = vec![0u32; (1 << 16) + 1];
        for o in &oids {
            fan[((o[0] as usize) << 8 | o[1] as usize) + 1] += 1;
        }
        for k in 0..1 << 16 {
            fan[k + 1] += fan[k];
        }
        Ok((
            Pack {
                file,
                len,
                oids,
                fan,
            },
            offsets,
        ))
    }

    /// The zlib stream of entry `e`, read into `buf`: one read per entry,
    /// so a pack of any size costs no memory beyond the entry being read
    /// (a pack read whole, or mapped, would be held or resident whole).
    fn read<'b>(&self, e: &Entry, buf: &'b mut Vec<u8>) -> Option<&'b [u8]> {
        let n = e.zlen as usize;
        if n > LARGEST + (LARGEST >> 3) {
            return None;
        }
        buf.resize(n, 0);
        read_exact_at(&self.file, buf, e.start()).then_some(())?;
        Some(buf)
    }

    fn find(&self, oid: &[u8; 20]) -> Option<usize> {
        let k = (oid[0] as usize) << 8 | oid[1] as usize;
        let (from, to) = (self.fan[k] as usize, self.fan[k + 1] as usize);
        let bucket = self.oids.get(from..to)?;
        // The ids of a bucket share two bytes; the next eight, as one
        // number, all but always decide.
        let mid = |o: &[u8; 20]| u64::from_be_bytes(o[2..10].try_into().unwrap());
        let key = mid(oid);
        let i = bucket.partition_point(|o| {
            let m = mid(o);
            m < key || (m == key && o[10..] < oid[10..])
        });
        (bucket.get(i) == Some(oid)).then_some(from + i)
    }

    /// Every entry, in offset order, with its base resolved; `None` when
    /// the pack is damaged.
    fn entries(&self, offsets: &[u64]) -> Option<Vec<Entry>> {
        let mut order: Vec<u32> = (0..self.oids.len() as u32).collect();
        order.sort_unstable_by_key(|&i| offsets[i as usize]);
        let by_offset: Vec<u64> = order.iter().map(|&i| offsets[i as usize]).collect();
        let mut entries = Vec::with_capacity(order.len());
        // The headers are read in file order, through a window.
        let mut window = Window {
            file: &self.file,
            buf: Vec::new(),
            from: 0,
        };
        for (i, &id) in order.iter().enumerate() {
            let at = offsets[id as usize];
            let head = window.get(at, 64)?;
            let (kind, size, mut p) = entry_header(head, 0)?;
            let base = match kind {
                OBJ_OFS_DELTA => {
                    let (back, len) = ofs_delta_offset(head.get(p..)?)?;
                    p += len;
                    let base_at = at.checked_sub(back)?;
                    Some(by_offset.binary_search(&base_at).ok()? as u32)
                }
                OBJ_REF_DELTA => {
                    let oid: [u8; 20] = head.get(p..p + 20)?.try_into().ok()?;
                    p += 20;
                    // A base in another pack: left to libgit2.
                    let base_id = self.find(&oid)?;
                    let base_at = offsets[base_id];
                    Some(by_offset.binary_search(&base_at).ok()? as u32)
                }
                1..=4 => None,
                _ => return None,
            };
            let end = by_offset
                .get(i + 1)
                .copied()
                .unwrap_or(self.len.checked_sub(20)?);
            let start = at + p as u64;
            if end < start || start >= 1 << 56 {
                return None;
            }
            entries.push(Entry {
                at: start | (kind as u64) << 56,
                zlen: u32::try_from(end - start).unwrap_or(u32::MAX),
                size: u32::try_from(size).unwrap_or(u32::MAX),
                id,
                base: base.unwrap_or(NO_BASE),
            });
        }
        Some(entries)
    }
}

/// A forward-moving window over a file, for reading the entry headers in
/// file order.
struct Window<'f> {
    file: &'f std::fs::File,
    buf: Vec<u8>,
    from: u64,
}

impl Window<'_> {
    /// Up to `n` bytes at `at` (fewer at the end of the file).
    fn get(&mut self, at: u64, n: usize) -> Option<&[u8]> {
        let have = self.from + self.buf.len() as u64;
        if at < self.from || at + n as u64 > have {
            self.buf.resize(8 << 20, 0);
            let got = read_full_at(self.file, &mut self.buf, at)?;
            self.buf.truncate(got);
            self.from = at;
        }
        let off = (at - self.from) as usize;
        let end = (off + n).min(self.buf.len());
        self.buf.get(off..end)
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
pub struct Packs {
    packs: Vec<(Pack, Vec<Entry>)>,
    /// The number of the first object of each pack: the objects of all
    /// packs are numbered in turn, in index order.
    base: Vec<u32>,
}

impl Packs {
    pub fn open(objects: &Path) -> Packs {
        let Ok(dir) = std::fs::read_dir(objects.join("pack")) else {
            return Packs {
                packs: Vec::new(),
                base: Vec::new(),
            };
        };
        let mut paths: Vec<_> = dir
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .collect();
        paths.sort();
        let mut packs = Vec::new();
        let mut base = Vec::new();
        let mut next = 0u64;
        for p in &paths {
            let Ok((pack, offsets)) = Pack::open(p) else {
                continue;
            };
            let Some(entries) = pack.entries(&offsets) else {
                continue;
            };
            // Object numbers must leave the top bit free (see `Trees`).
            if next + pack.oids.len() as u64 >= 1 << 31 {
                break;
            }
            base.push(next as u32);
            next += pack.oids.len() as u64;
            packs.push((pack, entries));
        }
        Packs { packs, base }
    }

    /// The number of the object `oid`, when a pack holds it.
    pub fn locate(&self, oid: &[u8]) -> Option<u32> {
        let raw: &[u8; 20] = oid.try_into().ok()?;
        self.packs
            .iter()
            .zip(&self.base)
            .find_map(|((pack, _), &b)| pack.find(raw).map(|i| b + i as u32))
    }

    /// The object id of object number `n`.
    pub fn oid(&self, n: u32) -> Oid {
        let i = self.base.partition_point(|&b| b <= n) - 1;
        Oid::from_bytes(&self.packs[i].0.oids[(n - self.base[i]) as usize]).expect("20-byte id")
    }

    /// How many objects the packs number.
    pub fn objects(&self) -> usize {
        self.packs.last().map_or(0, |(p, _)| p.oids.len())
            + self.base.last().copied().unwrap_or(0) as usize
    }

    /// Reads the `needed` blobs (object numbers, sorted), calling `found`
    /// once per blob with its number (from `threads` threads). Returns the
    /// needed blobs it did not deliver: in a pack it could not read.
    pub fn blobs(
        &self,
        needed: &[u32],
        threads: usize,
        found: &(dyn Fn(u32, Oid, &[u8]) + Sync),
    ) -> Vec<u32> {
        let mut delivered = Vec::new();
        for ((pack, entries), &first) in self.packs.iter().zip(&self.base) {
            let from = needed.partition_point(|&n| n < first);
            let end = first as u64 + pack.oids.len() as u64;
            let to = needed.partition_point(|&n| (n as u64) < end);
            if from == to {
                continue;
            }
            let mut pos_of_id = vec![0u32; entries.len()];
            for (pos, e) in entries.iter().enumerate() {
                pos_of_id[e.id as usize] = pos as u32;
            }
            let mut want = vec![false; entries.len()];
            for &n in &needed[from..to] {
                want[pos_of_id[(n - first) as usize] as usize] = true;
            }
            drop(pos_of_id);
            delivered.extend(read_pack(
                pack,
                first,
                entries,
                &want,
                OBJ_BLOB,
                threads,
                found,
                &|| false,
            ));
        }
        delivered.sort_unstable();
        needed
            .iter()
            .copied()
            .filter(|n| delivered.binary_search(n).is_err())
            .collect()
    }

    /// Every tree object of the packs, inflated on `threads` threads and
    /// kept in the compact form of [`Trees`], until that holds `budget`
    /// bytes: then the reading stops (the walk reads the other trees one by
    /// one through libgit2). A history walk reads each tree once, in commit
    /// order: one by one, each a delta chain, it was most of the walk.
    pub fn trees(&self, threads: usize, budget: usize) -> Trees {
        let store = TreeBuilder {
            at: Mutex::new(vec![u32::MAX; self.objects()]),
            words: Mutex::new(Vec::new()),
            names: Mutex::default(),
            outside: Mutex::new(Vec::new()),
            held: AtomicUsize::new(0),
            budget,
            commit_trees: Mutex::default(),
        };
        for ((pack, entries), &first) in self.packs.iter().zip(&self.base) {
            let kinds = root_kinds(entries);
            // Each commit's tree, so the walk need not parse commits.
            let want: Vec<bool> = kinds.iter().map(|&k| k == OBJ_COMMIT).collect();
            let tree_of = |n: u32, _: Oid, data: &[u8]| {
                if let Some(t) = commit_tree(data).and_then(|t| self.locate(&t)) {
                    store.commit_trees.lock().unwrap().insert(n, t);
                }
            };
            read_pack(
                pack,
                first,
                entries,
                &want,
                OBJ_COMMIT,
                threads,
                &tree_of,
                &|| false,
            );
            if store.held.load(Ordering::Relaxed) >= budget {
                continue;
            }
            let want: Vec<bool> = kinds.iter().map(|&k| k == OBJ_TREE).collect();
            let full = || store.held.load(Ordering::Relaxed) >= budget;
            let keep = |n: u32, _: Oid, data: &[u8]| {
                if !full() {
                    store.add(self, n, data);
                }
            };
            read_pack(pack, first, entries, &want, OBJ_TREE, threads, &keep, &full);
        }
        store.finish()
    }
}

/// The tree id a raw commit object names (its first line, `tree <hex>`).
fn commit_tree(data: &[u8]) -> Option<[u8; 20]> {
    let hex = data.strip_prefix(b"tree ")?.get(..41)?;
    if hex[40] != b'\n' {
        return None;
    }
    crate::codec::hex_decode(std::str::from_utf8(&hex[..40]).ok()?)?
        .try_into()
        .ok()
}

/// Mode classes of a tree entry, as the history walk tells them apart.
const MODE_TREE: u32 = 0o40000;
const MODE_LINK: u32 = 0o120000;
const MODE_GITLINK: u32 = 0o160000;

/// Whether a tree entry of `mode` is a tree (else a blob); `None` for
/// what a history walk skips: symbolic links hold a path, not content,
/// and submodules (commits) live in another repository.
pub fn is_tree(mode: u32) -> Option<bool> {
    match mode {
        MODE_TREE => Some(true),
        MODE_LINK | MODE_GITLINK => None,
        _ => Some(false),
    }
}

/// What a tree entry names, as the walk needs it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    /// An object the packs number.
    Packed(u32),
    /// An object outside the packs (loose, or missing).
    Outside(Oid),
}

/// Trees held compactly for a history walk: per entry 8 bytes (the name as
/// a number into one table of distinct names, whether it is a tree, and
/// the object as its number in the packs), where a raw tree entry takes a
/// 20-byte id and its name. Symbolic links and submodules, which the walk
/// skips, are left out.
#[derive(Default)]
pub struct Trees {
    /// Per object number: where its entries start in `words`, or `u32::MAX`.
    at: Vec<u32>,
    /// As [`TreeBuilder::words`].
    words: Vec<u32>,
    names: Vec<Box<[u8]>>,
    outside: Vec<Oid>,
    /// Commit object number → its tree's object number.
    commit_trees: HashMap<u32, u32>,
}

/// [`Trees`] while the reading threads fill it.
struct TreeBuilder {
    at: Mutex<Vec<u32>>,
    /// Per tree: its entry count, then per entry the name word (name number
    /// << 1 | is a tree) and the target word (object number, or with the top
    /// bit an index into `outside`).
    words: Mutex<Vec<u32>>,
    names: Mutex<Interner>,
    outside: Mutex<Vec<Oid>>,
    held: AtomicUsize,
    /// Past this many bytes held no tree is added.
    budget: usize,
    commit_trees: Mutex<HashMap<u32, u32>>,
}

/// Distinct byte strings (names, paths), numbered in the order first seen;
/// each held once.
#[derive(Default)]
pub struct Interner {
    ids: HashMap<Box<[u8]>, u32, foldhash::fast::RandomState>,
}

impl Interner {
    /// The string's number, and whether it is new.
    pub fn id(&mut self, s: &[u8]) -> (u32, bool) {
        if let Some(&i) = self.ids.get(s) {
            return (i, false);
        }
        let i = self.ids.len() as u32;
        self.ids.insert(s.into(), i);
        (i, true)
    }

    /// The strings, indexed by number.
    pub fn into_list(self) -> Vec<Box<[u8]>> {
        let mut list: Vec<(u32, Box<[u8]>)> = self.ids.into_iter().map(|(s, i)| (i, s)).collect();
        list.sort_unstable_by_key(|e| e.0);
        list.into_iter().map(|e| e.1).collect()
    }
}

impl TreeBuilder {
    fn finish(self) -> Trees {
        Trees {
            at: self.at.into_inner().unwrap(),
            words: self.words.into_inner().unwrap(),
            names: self.names.into_inner().unwrap().into_list(),
            outside: self.outside.into_inner().unwrap(),
            commit_trees: self.commit_trees.into_inner().unwrap(),
        }
    }

    fn add(&self, packs: &Packs, n: u32, data: &[u8]) {
        let kept =
            || TreeEntries(data).filter_map(|(mode, name, id)| Some((is_tree(mode)?, name, id)));
        // The names under one lock; the lookups of the targets after it.
        let mut mine = vec![0u32];
        let mut names = 0;
        {
            let mut interned = self.names.lock().unwrap();
            for (tree, name, _) in kept() {
                let (name_id, new) = interned.id(name);
                if new {
                    names += 2 * name.len() + 48;
                }
                if name_id >= 1 << 31 {
                    return;
                }
                mine.extend([name_id << 1 | tree as u32, 0]);
            }
        }
        for (k, (_, _, id)) in kept().enumerate() {
            mine[2 + 2 * k] = match packs.locate(id.as_bytes()) {
                Some(t) => t,
                None => {
                    let mut out = self.outside.lock().unwrap();
                    out.push(id);
                    (out.len() - 1) as u32 | 1 << 31
                }
            };
        }
        mine[0] = (mine.len() as u32 - 1) / 2;
        let mut words = self.words.lock().unwrap();
        // Checked under the lock: threads racing past the budget add nothing.
        if self.held.load(Ordering::Relaxed) >= self.budget {
            return;
        }
        let Ok(start) = u32::try_from(words.len()) else {
            return;
        };
        if start as usize + mine.len() >= u32::MAX as usize {
            return;
        }
        words.extend_from_slice(&mine);
        self.at.lock().unwrap()[n as usize] = start;
        self.held
            .fetch_add(mine.len() * 4 + names, Ordering::Relaxed);
    }
}

impl Trees {
    /// The entries of tree `n`, when held: (name, is a tree, target).
    pub fn entries(&self, n: u32) -> Option<impl Iterator<Item = (&[u8], bool, Target)>> {
        let start = *self.at.get(n as usize)?;
        if start == u32::MAX {
            return None;
        }
        let s = start as usize;
        let count = self.words[s] as usize;
        Some(
            self.words[s + 1..s + 1 + 2 * count]
                .chunks_exact(2)
                .map(|w| {
                    let t = if w[1] & 1 << 31 == 0 {
                        Target::Packed(w[1])
                    } else {
                        Target::Outside(self.outside[(w[1] & !(1 << 31)) as usize])
                    };
                    (&*self.names[(w[0] >> 1) as usize], w[0] & 1 == 1, t)
                }),
        )
    }

    /// The tree of commit number `n`, when the packs hold both.
    pub fn tree_of(&self, n: u32) -> Option<u32> {
        self.commit_trees.get(&n).copied()
    }

    /// Trees held.
    pub fn count(&self) -> usize {
        self.at.iter().filter(|&&a| a != u32::MAX).count()
    }
}

/// The entries of a raw tree object (SHA-1 object ids): mode, name, id.
/// Stops at the first malformed entry.
pub struct TreeEntries<'a>(pub &'a [u8]);

impl<'a> Iterator for TreeEntries<'a> {
    type Item = (u32, &'a [u8], Oid);

    fn next(&mut self) -> Option<Self::Item> {
        let data = self.0;
        let sp = memchr::memchr(b' ', data)?;
        let mode = data[..sp].iter().try_fold(0u32, |m, &b| {
            (b'0'..=b'7')
                .contains(&b)
                .then(|| m * 8 + (b - b'0') as u32)
        })?;
        let nul = sp + 1 + memchr::memchr(0, &data[sp + 1..])?;
        let id = Oid::from_bytes(data.get(nul + 1..nul + 21)?).ok()?;
        self.0 = &data[nul + 21..];
        Some((mode, &data[sp + 1..nul], id))
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
            match entries[pos].base() {
                Some(b) if path.len() <= entries.len() => {
                    path.push(pos);
                    pos = b as usize;
                }
                Some(_) => break 0,
                None => break entries[pos].kind(),
            }
        };
        kind[pos] = k;
        for p in path.drain(..) {
            kind[p] = k;
        }
    }
    kind
}

/// The deltas against each entry, as one sorted array (4 bytes per delta
/// and per entry, where a list per entry cost 24 bytes and an allocation).
struct Children {
    /// `kids[first[p]..first[p + 1]]` are the deltas against entry `p`.
    first: Vec<u32>,
    kids: Vec<u32>,
}

impl Children {
    /// The deltas against each `marked` entry, among the marked entries.
    fn build(entries: &[Entry], marked: &[bool]) -> Children {
        let n = entries.len();
        let mut first = vec![0u32; n + 1];
        for (pos, e) in entries.iter().enumerate() {
            if let (true, Some(b)) = (marked[pos], e.base()) {
                first[b as usize + 1] += 1;
            }
        }
        for p in 0..n {
            first[p + 1] += first[p];
        }
        let mut fill = first.clone();
        let mut kids = vec![0u32; first[n] as usize];
        for (pos, e) in entries.iter().enumerate() {
            if let (true, Some(b)) = (marked[pos], e.base()) {
                kids[fill[b as usize] as usize] = pos as u32;
                fill[b as usize] += 1;
            }
        }
        Children { first, kids }
    }

    fn of(&self, pos: u32) -> &[u32] {
        let p = pos as usize;
        &self.kids[self.first[p] as usize..self.first[p + 1] as usize]
    }
}

/// One pack's part of a read: delivers each `want`ed entry of chains
/// rooted in an object of `kind`; returns what it delivered.
#[allow(clippy::too_many_arguments)]
fn read_pack(
    pack: &Pack,
    first: u32,
    entries: &[Entry],
    want: &[bool],
    kind: u8,
    threads: usize,
    found: &(dyn Fn(u32, Oid, &[u8]) + Sync),
    done: &(dyn Fn() -> bool + Sync),
) -> Vec<u32> {
    let n = entries.len();
    // Mark the wanted entries and every base on their chains.
    let mut marked = vec![false; n];
    for start in (0..n).filter(|&p| want[p]) {
        let mut pos = start;
        while !marked[pos] {
            marked[pos] = true;
            match entries[pos].base() {
                Some(b) => pos = b as usize,
                None => break,
            }
        }
    }
    let children = Children::build(entries, &marked);
    let roots: Vec<u32> = (0..n as u32)
        .filter(|&p| marked[p as usize] && entries[p as usize].base().is_none())
        .collect();
    // Largest trees first, so the threads finish together.
    let weight = |r: u32| -> usize {
        let mut stack = vec![r];
        let mut w = 0;
        while let Some(p) = stack.pop() {
            w += entries[p as usize].size();
            stack.extend(children.of(p));
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
                let mut raw = Vec::new();
                let mut mine = Vec::new();
                while !done() {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(_, root)) = roots.get(i) else {
                        break;
                    };
                    let e = entries[root as usize];
                    if e.kind() != kind {
                        continue;
                    }
                    let Some(content) = pack
                        .read(&e, &mut raw)
                        .and_then(|d| inflate(&mut z, d, e.size()))
                    else {
                        continue;
                    };
                    walk(
                        pack, first, entries, &children, want, &mut z, &mut raw, root, content,
                        found, &mut mine,
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
    first: u32,
    entries: &[Entry],
    children: &Children,
    want: &[bool],
    z: &mut Decompress,
    raw: &mut Vec<u8>,
    pos: u32,
    content: Vec<u8>,
    found: &(dyn Fn(u32, Oid, &[u8]) + Sync),
    delivered: &mut Vec<u32>,
) {
    // An explicit stack (chains can be thousands deep) of children still to
    // read, each with its base: only the bases on the current path are
    // held, never a whole generation of siblings.
    let mut deliver = |pos: u32, content: &[u8]| {
        if want[pos as usize] {
            let id = entries[pos as usize].id;
            let oid = Oid::from_bytes(&pack.oids[id as usize]).expect("20-byte id");
            found(first + id, oid, content);
            delivered.push(first + id);
        }
    };
    deliver(pos, &content);
    let base = Rc::new(content);
    let mut stack: Vec<(u32, Rc<Vec<u8>>)> = children
        .of(pos)
        .iter()
        .map(|&c| (c, base.clone()))
        .collect();
    drop(base);
    while let Some((pos, base)) = stack.pop() {
        let e = entries[pos as usize];
        let Some(delta) = pack.read(&e, raw).and_then(|d| inflate(z, d, e.size())) else {
            continue;
        };
        let Some(content) = apply_delta(&base, &delta) else {
            continue;
        };
        drop(base);
        deliver(pos, &content);
        let kids = children.of(pos);
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
            at: (kind as u64) << 56,
            zlen: 0,
            size: 0,
            id: 0,
            base: base.unwrap_or(NO_BASE),
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
    fn children_of_marked_entries_only() {
        let e = |base: Option<u32>| Entry {
            at: (OBJ_OFS_DELTA as u64) << 56,
            zlen: 0,
            size: 0,
            id: 0,
            base: base.unwrap_or(NO_BASE),
        };
        // 0 <- 1, 0 <- 2, 2 <- 3, 2 <- 4; 4 is not marked.
        let entries = [e(None), e(Some(0)), e(Some(0)), e(Some(2)), e(Some(2))];
        let c = Children::build(&entries, &[true, true, true, true, false]);
        assert_eq!(c.of(0), [1, 2]);
        assert_eq!(c.of(1), [] as [u32; 0]);
        assert_eq!(c.of(2), [3]);
        assert_eq!(c.of(4), [] as [u32; 0]);
    }

    #[test]
    fn a_commit_names_its_tree_on_its_first_line() {
        let id = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
        let raw = format!("tree {id}\nparent {id}\nauthor A <a@b> 0 +0000\n\nmsg\n");
        let want = Oid::from_str(id).unwrap();
        assert_eq!(
            commit_tree(raw.as_bytes()),
            Some(*<&[u8; 20]>::try_from(want.as_bytes()).unwrap())
        );
        assert_eq!(
            commit_tree(format!("tree {}\n", &id[..39]).as_bytes()),
            None
        );
        assert_eq!(
            commit_tree(format!("tree {}x\n", &id[..39]).as_bytes()),
            None
        );
        assert_eq!(commit_tree(b"parent 00\n"), None);
        assert_eq!(commit_tree(b""), None);
    }

    #[test]
    fn interned_strings_keep_their_first_numbers() {
        let mut names = Interner::default();
        assert_eq!(names.id(b"src"), (0, true));
        assert_eq!(names.id(b"lib.rs"), (1, true));
        assert_eq!(names.id(b"src"), (0, false));
        assert_eq!(names.id(b""), (2, true));
        let list = names.into_list();
        assert_eq!(list, [&b"src"[..], b"lib.rs", b""].map(Box::from));
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
        let needed = vec![0u32];
        let none = |_: u32, _: Oid, _: &[u8]| panic!("nothing to deliver");
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
