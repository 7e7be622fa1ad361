//! Which dictionary files make up a knowledge base, and where its compiled cache goes.

use crate::KbError;
use crate::source::decode;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

macro_rules! embedded {
    ($name:literal, $path:literal) => {
        DictionarySource::Embedded {
            name: $name,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/", $path)),
        }
    };
}

/// One dictionary file: compiled into the binary, or read from disk at load time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DictionarySource {
    /// Bytes compiled into the binary; `name` ends in `.gz` when they are gzip-compressed.
    Embedded {
        /// File name (reported in errors without `.gz`).
        name: &'static str,
        /// The file's bytes.
        bytes: &'static [u8],
    },
    /// A file on disk (gzip-compressed when its name ends in `.gz`).
    File(PathBuf),
}

impl DictionarySource {
    /// The name used in `file:line` messages.
    pub fn display_name(&self) -> String {
        let name = match self {
            DictionarySource::Embedded { name, .. } => (*name).to_string(),
            DictionarySource::File(path) => path.display().to_string(),
        };
        name.strip_suffix(".gz").map(str::to_string).unwrap_or(name)
    }

    /// The raw bytes (still compressed for `.gz` files).
    pub fn bytes(&self) -> Result<Cow<'static, [u8]>, KbError> {
        match self {
            DictionarySource::Embedded { bytes, .. } => Ok(Cow::Borrowed(bytes)),
            DictionarySource::File(path) => {
                std::fs::read(path)
                    .map(Cow::Owned)
                    .map_err(|e| KbError::Io {
                        path: path.clone(),
                        reason: e.to_string(),
                    })
            }
        }
    }

    fn raw_name(&self) -> String {
        match self {
            DictionarySource::Embedded { name, .. } => (*name).to_string(),
            DictionarySource::File(path) => path.display().to_string(),
        }
    }
}

/// A source with its bytes read: what gets hashed for the cache and parsed.
pub(crate) struct LoadedSource {
    pub name: String,
    raw_name: String,
    pub bytes: Cow<'static, [u8]>,
}

impl LoadedSource {
    pub fn read(source: &DictionarySource) -> Result<LoadedSource, KbError> {
        Ok(LoadedSource {
            name: source.display_name(),
            raw_name: source.raw_name(),
            bytes: source.bytes()?,
        })
    }

    pub fn text(&self) -> Result<String, KbError> {
        decode(&self.raw_name, &self.bytes).map_err(|e| match e {
            KbError::Malformed { line, reason, .. } => KbError::malformed(&self.name, line, reason),
            other => other,
        })
    }
}

/// The files of a knowledge base and how to load it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbConfig {
    /// Actor dictionaries, in priority order (earlier files' codes are tried first).
    pub actors: Vec<DictionarySource>,
    /// Agent dictionaries.
    pub agents: Vec<DictionarySource>,
    /// Discard lists.
    pub discards: Vec<DictionarySource>,
    /// Verb dictionaries (normally one).
    pub verbs: Vec<DictionarySource>,
    /// dyad overlays (TOML), in priority order; they override the dictionaries.
    pub overlays: Vec<DictionarySource>,
    /// CAMEO → PLOVER tables in priority order: a code takes its row from the first table
    /// that has one (dyad's supplement fills codes the 2021 table leaves out).
    pub plover: Vec<DictionarySource>,
    /// Goldstein table (`code,goldstein`).
    pub goldstein: DictionarySource,
    /// QuadClass table (`first_root,last_root,quad_class,label`).
    pub quad_classes: DictionarySource,
    /// Where to keep the compiled cache; `None` builds in memory every time.
    pub cache_dir: Option<PathBuf>,
    /// Fail on the first malformed entry instead of skipping it with a diagnostic.
    pub strict: bool,
}

impl KbConfig {
    /// dyad's default knowledge base: the Phoenix dictionaries, CAMEO 2.0 verbs and dyad's
    /// overlays, all compiled into the binary; cached in [`KbConfig::default_cache_dir`].
    pub fn embedded() -> KbConfig {
        KbConfig {
            actors: vec![
                embedded!(
                    "Phoenix.Countries.actors.txt.gz",
                    "dictionaries/Phoenix.Countries.actors.txt.gz"
                ),
                embedded!(
                    "Phoenix.International.actors.txt.gz",
                    "dictionaries/Phoenix.International.actors.txt.gz"
                ),
                embedded!(
                    "Phoenix.MilNonState.actors.txt.gz",
                    "dictionaries/Phoenix.MilNonState.actors.txt.gz"
                ),
            ],
            agents: vec![embedded!(
                "Phoenix.agents.txt",
                "dictionaries/Phoenix.agents.txt"
            )],
            discards: vec![embedded!(
                "Phoenix.discards.txt",
                "dictionaries/Phoenix.discards.txt"
            )],
            verbs: vec![embedded!(
                "CAMEO.2.0.txt.gz",
                "dictionaries/CAMEO.2.0.txt.gz"
            )],
            overlays: vec![
                embedded!("corrections.toml", "kb/corrections.toml"),
                embedded!("overlay.toml", "kb/overlay.toml"),
            ],
            ..KbConfig::tables_only()
        }
    }

    /// PETRARCH2's validation-suite dictionaries (`PETR.Validate.*`), no overlays: the
    /// knowledge base PETRARCH2's unit tests are written against.
    pub fn validation() -> KbConfig {
        KbConfig {
            actors: vec![embedded!(
                "PETR.Validate.actors.txt",
                "dictionaries/PETR.Validate.actors.txt"
            )],
            agents: vec![embedded!(
                "PETR.Validate.agents.txt",
                "dictionaries/PETR.Validate.agents.txt"
            )],
            discards: vec![embedded!(
                "PETR.Validate.discards.txt",
                "dictionaries/PETR.Validate.discards.txt"
            )],
            verbs: vec![embedded!(
                "PETR.Validate.verbs.txt",
                "dictionaries/PETR.Validate.verbs.txt"
            )],
            ..KbConfig::tables_only()
        }
    }

    /// No dictionaries, only the event-code tables; a base for custom configurations.
    pub fn tables_only() -> KbConfig {
        KbConfig {
            actors: Vec::new(),
            agents: Vec::new(),
            discards: Vec::new(),
            verbs: Vec::new(),
            overlays: Vec::new(),
            plover: vec![
                embedded!("CAMEO2PLOVER-2021.txt", "plover/CAMEO2PLOVER-2021.txt"),
                embedded!(
                    "CAMEO2PLOVER-dyad-supplement.txt",
                    "plover/CAMEO2PLOVER-dyad-supplement.txt"
                ),
            ],
            goldstein: embedded!("goldstein.csv", "plover/goldstein.csv"),
            quad_classes: embedded!("quadclass.csv", "plover/quadclass.csv"),
            cache_dir: KbConfig::default_cache_dir(),
            strict: false,
        }
    }

    /// Adds an overlay file read from disk; it takes priority over the overlays before it.
    pub fn with_overlay(mut self, path: impl AsRef<Path>) -> KbConfig {
        self.overlays
            .insert(0, DictionarySource::File(path.as_ref().to_path_buf()));
        self
    }

    /// Uses (or, with `None`, disables) a cache directory.
    pub fn with_cache_dir(mut self, dir: Option<PathBuf>) -> KbConfig {
        self.cache_dir = dir;
        self
    }

    /// `$DYAD_CACHE_DIR` (empty or `off` disables the cache), else `$XDG_CACHE_HOME/dyad`,
    /// else `~/.cache/dyad`.
    pub fn default_cache_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("DYAD_CACHE_DIR") {
            if dir.is_empty() || dir == "off" {
                return None;
            }
            return Some(PathBuf::from(dir));
        }
        if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(dir).join("dyad"));
        }
        std::env::var_os("HOME")
            .filter(|d| !d.is_empty())
            .map(|home| PathBuf::from(home).join(".cache").join("dyad"))
    }
}

impl Default for KbConfig {
    fn default() -> Self {
        KbConfig::embedded()
    }
}
