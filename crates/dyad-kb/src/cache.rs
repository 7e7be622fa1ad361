//! The compiled-knowledge-base cache: `kb-<hash>.bin` = header + postcard payload.
//!
//! Header: magic `DYADKB\0\0`, format version (u32 LE), SHA-256 of the inputs (format
//! version, crate version, strictness, every source's kind, name and bytes). A cache whose
//! header does not match is ignored and rebuilt; a cache that cannot be written is skipped.

use crate::KbError;
use crate::kb::{Compiled, Sources};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"DYADKB\0\0";
/// The cache file format; bump when the compiled form (entries, indices) changes shape or
/// when the dictionaries are read differently (2: a verb's own `[---]` overrides its block's
/// code).
pub const CACHE_FORMAT_VERSION: u32 = 2;
const HEADER_LEN: usize = 8 + 4 + 32;

/// SHA-256 over everything the compiled form depends on.
pub(crate) fn input_hash(sources: &Sources, strict: bool) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(MAGIC);
    hasher.update(CACHE_FORMAT_VERSION.to_le_bytes());
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update([u8::from(strict)]);
    for (kind, source) in sources.all() {
        for part in [kind.as_bytes(), source.name.as_bytes(), &source.bytes] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
    }
    hasher.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache file for an input hash.
pub(crate) fn path(dir: &Path, hash: &[u8; 32]) -> PathBuf {
    dir.join(format!("kb-{}.bin", hex(&hash[..8])))
}

/// Reads a fresh cache, or `None` (missing, stale, corrupt).
pub(crate) fn read(dir: &Path, hash: &[u8; 32]) -> Option<Compiled> {
    let file = path(dir, hash);
    let bytes = std::fs::read(&file).ok()?;
    let header = bytes.get(..HEADER_LEN)?;
    let fresh = header.get(..8) == Some(MAGIC.as_slice())
        && header.get(8..12) == Some(CACHE_FORMAT_VERSION.to_le_bytes().as_slice())
        && header.get(12..44) == Some(hash.as_slice());
    if !fresh {
        tracing::debug!(file = %file.display(), "stale knowledge-base cache ignored");
        return None;
    }
    match postcard::from_bytes(bytes.get(HEADER_LEN..)?) {
        Ok(data) => Some(data),
        Err(e) => {
            tracing::debug!(file = %file.display(), error = %e, "corrupt knowledge-base cache ignored");
            None
        }
    }
}

/// Writes the cache atomically (temporary file, then rename).
pub(crate) fn write(dir: &Path, hash: &[u8; 32], data: &Compiled) -> Result<PathBuf, KbError> {
    let file = path(dir, hash);
    let fail = |reason: String| KbError::Cache {
        path: file.clone(),
        reason,
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    let payload = postcard::to_stdvec(data).map_err(|e| fail(e.to_string()))?;
    let temporary = dir.join(format!("kb-{}.tmp-{}", hex(&hash[..8]), std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut out = std::fs::File::create(&temporary)?;
        out.write_all(MAGIC)?;
        out.write_all(&CACHE_FORMAT_VERSION.to_le_bytes())?;
        out.write_all(hash)?;
        out.write_all(&payload)?;
        out.sync_all()?;
        std::fs::rename(&temporary, &file)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(fail(e.to_string()));
    }
    Ok(file)
}
