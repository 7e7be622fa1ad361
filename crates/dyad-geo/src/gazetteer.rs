//! The compiled gazetteer: a flat record table, an `fst` map from normalized names to
//! candidate records, and an R-tree for nearest-place queries.

use crate::data::{self, ContextWords};
use crate::{GeoError, normalize_name};
use fst::{Map, MapBuilder};
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Version of the on-disk index format; bump when [`PlaceRecord`] or the layout changes.
pub const INDEX_VERSION: u32 = 1;
const MAGIC: &[u8; 8] = b"DYADGEO\n";

const CITIES_GZ: &[u8] = include_bytes!("../../../data/gazetteer/cities.tsv.gz");
const COUNTRIES: &str = include_str!("../../../data/gazetteer/countries.tsv");
const ADMIN1: &str = include_str!("../../../data/gazetteer/admin1.tsv");
const ADMIN2: &str = include_str!("../../../data/gazetteer/admin2.tsv");
const OVERLAY: &str = include_str!("../../../data/gazetteer/overlay.tsv");
const COMMON_WORDS: &str = include_str!("../../../data/gazetteer/common_words.txt");
const CONTEXT_WORDS: &str = include_str!("../../../data/gazetteer/context_words.tsv");
const GIVEN_NAMES: &str = include_str!("../../../data/gazetteer/given_names.txt");

/// What kind of place a record is; drives the resolution prior.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PlaceKind {
    /// A country or territory with an ISO code.
    Country,
    /// A first-level division (state, province, governorate).
    Admin1,
    /// A second-level division (county, district, Philippine province).
    Admin2,
    /// A national capital.
    Capital,
    /// Any other populated place.
    City,
    /// A continent or world region.
    Region,
    /// A natural or man-made feature from the overlay (valley, river, sea, base).
    Feature,
}

impl PlaceKind {
    /// True for countries, divisions and regions: places that can contain others.
    pub fn is_area(self) -> bool {
        matches!(
            self,
            PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Admin2 | PlaceKind::Region
        )
    }
}

/// One place of the gazetteer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRecord {
    /// Main name.
    pub name: String,
    /// GeoNames id, when known.
    pub geonameid: Option<u32>,
    /// Kind.
    pub kind: PlaceKind,
    /// GeoNames feature class and code (`P.PPL`, `A.ADM1`, `T.VAL`).
    pub feature: String,
    /// ISO alpha-2 country code, empty when the place spans countries.
    pub country: String,
    /// GeoNames admin1 code, possibly empty.
    pub admin1: String,
    /// Admin1 name, possibly empty.
    pub admin1_name: String,
    /// Admin2 name, possibly empty.
    pub admin2: String,
    /// Latitude.
    pub lat: f32,
    /// Longitude.
    pub lon: f32,
    /// Population (or a prior weight for overlay features).
    pub population: u64,
}

/// How a name matched a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameMatch {
    /// A curated alias from the overlay (`U.S.`, `NSW`); wins over the other kinds when a
    /// name reaches a record several ways.
    Alias = 0,
    /// The record's main name.
    Primary = 1,
    /// An alternate name from GeoNames.
    Alternate = 2,
    /// A demonym (`Afghan`, `Syrians`).
    Demonym = 3,
}

impl NameMatch {
    pub(crate) fn from_bits_pub(b: u32) -> NameMatch {
        Self::from_bits(b)
    }

    fn from_bits(b: u32) -> NameMatch {
        match b & 3 {
            0 => NameMatch::Alias,
            1 => NameMatch::Primary,
            2 => NameMatch::Alternate,
            _ => NameMatch::Demonym,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct IndexBody {
    records: Vec<PlaceRecord>,
    postings: Vec<u32>,
    fst: Vec<u8>,
}

/// Where the compiled index is cached.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CachePolicy {
    /// `$DYAD_GEO_CACHE` (a file path, or `off`), else `$XDG_CACHE_HOME/dyad/`, else
    /// `~/.cache/dyad/`; in memory when none is writable.
    #[default]
    Default,
    /// This directory.
    Dir(PathBuf),
    /// Never touch the disk.
    Memory,
}

/// Timings and sizes of the last load, for benchmarks and `dyad setup`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadStats {
    /// Milliseconds spent building the index from the embedded data (0 when loaded from cache).
    pub build_ms: f64,
    /// Milliseconds spent reading the cache file (0 when built).
    pub load_ms: f64,
    /// Size of the cache file in bytes (serialized size when in memory).
    pub index_bytes: u64,
    /// The cache file, when one was used or written.
    pub cache_path: Option<PathBuf>,
}

/// The offline gazetteer: every record, a name index and a spatial index.
pub struct Gazetteer {
    records: Vec<PlaceRecord>,
    postings: Vec<u32>,
    names: Map<Vec<u8>>,
    countries: HashMap<String, u32>,
    countries_iso3: HashMap<String, u32>,
    admin1: HashMap<(String, String), u32>,
    rtree: OnceLock<RTree<GeomWithData<[f64; 2], u32>>>,
    pub(crate) common_words: HashSet<String>,
    /// Lowercase given names (`will`, `maria`): a stop list for person names.
    pub(crate) given_names: HashSet<String>,
    pub(crate) context: ContextWords,
    stats: LoadStats,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("records", &self.records.len())
            .field("names", &self.names.len())
            .finish()
    }
}

static SHARED: OnceLock<Result<Arc<Gazetteer>, String>> = OnceLock::new();

fn fnv1a(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

fn data_hash() -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ u64::from(INDEX_VERSION);
    for part in [
        CITIES_GZ,
        COUNTRIES.as_bytes(),
        ADMIN1.as_bytes(),
        ADMIN2.as_bytes(),
        OVERLAY.as_bytes(),
    ] {
        h = fnv1a(h, &(part.len() as u64).to_le_bytes());
        // Hashing every byte of the big file would cost more than reading the cache; its
        // length plus head and tail identify a regenerated file well enough.
        h = fnv1a(h, part.get(..4096).unwrap_or(part));
        h = fnv1a(
            h,
            part.get(part.len().saturating_sub(4096)..).unwrap_or(part),
        );
    }
    h
}

fn default_cache_file() -> Option<PathBuf> {
    let name = format!("gazetteer-{:016x}.bin", data_hash());
    if let Some(v) = std::env::var_os("DYAD_GEO_CACHE") {
        if v == "off" || v.is_empty() {
            return None;
        }
        let p = PathBuf::from(v);
        return Some(if p.is_dir() { p.join(name) } else { p });
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("dyad").join(name))
}

impl Gazetteer {
    /// The process-wide gazetteer with the default cache policy, loaded once.
    pub fn shared() -> Result<Arc<Gazetteer>, GeoError> {
        SHARED
            .get_or_init(|| {
                Gazetteer::load(&CachePolicy::Default)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
            .map_err(GeoError::Index)
    }

    /// Loads the compiled index from the cache, or builds it from the embedded data (and
    /// writes the cache when it can). A corrupt or outdated cache file is rebuilt.
    pub fn load(policy: &CachePolicy) -> Result<Gazetteer, GeoError> {
        let path = match policy {
            CachePolicy::Default => default_cache_file(),
            CachePolicy::Dir(d) => Some(d.join(format!("gazetteer-{:016x}.bin", data_hash()))),
            CachePolicy::Memory => None,
        };
        if let Some(p) = &path {
            let started = std::time::Instant::now();
            if let Ok(bytes) = std::fs::read(p)
                && let Ok(mut g) = Gazetteer::from_bytes(&bytes, p)
            {
                g.stats.load_ms = started.elapsed().as_secs_f64() * 1000.0;
                g.stats.index_bytes = bytes.len() as u64;
                g.stats.cache_path = Some(p.clone());
                return Ok(g);
            }
        }
        let started = std::time::Instant::now();
        let body = build_body()?;
        let build_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut bytes = Vec::with_capacity(32 << 20);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&INDEX_VERSION.to_le_bytes());
        bytes.extend_from_slice(&data_hash().to_le_bytes());
        let encoded = postcard::to_stdvec(&body).map_err(|e| GeoError::Index(e.to_string()))?;
        bytes.extend_from_slice(&encoded);
        let mut written = None;
        if let Some(p) = &path
            && write_atomically(p, &bytes).is_ok()
        {
            written = Some(p.clone());
        }
        let mut g = Gazetteer::from_body(body)?;
        g.stats = LoadStats {
            build_ms,
            load_ms: 0.0,
            index_bytes: bytes.len() as u64,
            cache_path: written,
        };
        Ok(g)
    }

    fn from_bytes(bytes: &[u8], path: &Path) -> Result<Gazetteer, GeoError> {
        let bad = |reason: &str| GeoError::Cache {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        let header = bytes.get(..20).ok_or_else(|| bad("file too short"))?;
        if &header[..8] != MAGIC {
            return Err(bad("not a dyad gazetteer index"));
        }
        let version = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
        if version != INDEX_VERSION {
            return Err(bad(&format!(
                "index version {version}, expected {INDEX_VERSION}"
            )));
        }
        let mut hash = [0u8; 8];
        hash.copy_from_slice(&header[12..20]);
        if u64::from_le_bytes(hash) != data_hash() {
            return Err(bad("built from other gazetteer data"));
        }
        let body: IndexBody =
            postcard::from_bytes(&bytes[20..]).map_err(|e| bad(&format!("corrupt: {e}")))?;
        Gazetteer::from_body(body)
    }

    fn from_body(body: IndexBody) -> Result<Gazetteer, GeoError> {
        let names = Map::new(body.fst).map_err(|e| GeoError::Index(e.to_string()))?;
        let mut countries = HashMap::new();
        let mut countries_iso3 = HashMap::new();
        let mut admin1 = HashMap::new();
        for (i, r) in body.records.iter().enumerate() {
            match r.kind {
                PlaceKind::Country => {
                    countries.insert(r.country.clone(), i as u32);
                    countries_iso3.insert(r.admin1.clone(), i as u32);
                }
                PlaceKind::Admin1 => {
                    admin1.insert((r.country.clone(), r.admin1.clone()), i as u32);
                }
                _ => {}
            }
        }
        Ok(Gazetteer {
            records: body.records,
            postings: body.postings,
            names,
            countries,
            countries_iso3,
            admin1,
            rtree: OnceLock::new(),
            common_words: data::parse_word_list(COMMON_WORDS),
            given_names: data::parse_word_list(GIVEN_NAMES),
            context: data::parse_context_words("context_words.tsv", CONTEXT_WORDS)?,
            stats: LoadStats::default(),
        })
    }

    /// How the index was obtained and how big it is.
    pub fn stats(&self) -> &LoadStats {
        &self.stats
    }

    /// Every record; ids index into this slice.
    pub fn records(&self) -> &[PlaceRecord] {
        &self.records
    }

    /// The record with this id.
    pub fn record(&self, id: u32) -> Option<&PlaceRecord> {
        self.records.get(id as usize)
    }

    /// Number of distinct normalized names.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Candidate records for a name (normalized with [`normalize_name`] first).
    pub fn lookup(&self, name: &str) -> Vec<(u32, NameMatch)> {
        self.lookup_normalized(&normalize_name(name))
    }

    /// Candidate records for an already normalized key.
    pub fn lookup_normalized(&self, key: &str) -> Vec<(u32, NameMatch)> {
        self.postings_of(key)
            .iter()
            .map(|&p| (p >> 2, NameMatch::from_bits(p)))
            .collect()
    }

    pub(crate) fn postings_of(&self, key: &str) -> &[u32] {
        match self.names.get(key) {
            Some(v) => {
                let start = (v >> 20) as usize;
                let len = (v & 0xF_FFFF) as usize;
                self.postings.get(start..start + len).unwrap_or(&[])
            }
            None => &[],
        }
    }

    /// True when some name starts with `prefix` (normalized) followed by a space: lets the
    /// toponym finder stop extending a span early.
    pub(crate) fn has_longer(&self, key: &str) -> bool {
        let mut lower = key.as_bytes().to_vec();
        lower.push(b' ');
        let mut upper = key.as_bytes().to_vec();
        upper.push(b' ' + 1);
        use fst::{IntoStreamer, Streamer};
        let mut s = self.names.range().ge(&lower).lt(&upper).into_stream();
        s.next().is_some()
    }

    /// The country record for an ISO alpha-2 or alpha-3 code.
    pub fn country(&self, code: &str) -> Option<u32> {
        let code = code.to_ascii_uppercase();
        match code.len() {
            2 => self.countries.get(&code).copied(),
            3 => self.countries_iso3.get(&code).copied(),
            _ => None,
        }
    }

    /// The admin1 record for a country and GeoNames admin1 code.
    pub fn admin1(&self, cc: &str, code: &str) -> Option<u32> {
        self.admin1
            .get(&(cc.to_string(), code.to_string()))
            .copied()
    }

    fn rtree(&self) -> &RTree<GeomWithData<[f64; 2], u32>> {
        self.rtree.get_or_init(|| {
            let points = self
                .records
                .iter()
                .enumerate()
                .filter(|(_, r)| matches!(r.kind, PlaceKind::City | PlaceKind::Capital))
                .map(|(i, r)| GeomWithData::new([f64::from(r.lat), f64::from(r.lon)], i as u32))
                .collect();
            RTree::bulk_load(points)
        })
    }

    /// The populated place nearest to a coordinate (planar distance in degrees, which is
    /// good enough to name the country a point lies in).
    pub fn nearest_city(&self, lat: f64, lon: f64) -> Option<&PlaceRecord> {
        if !lat.is_finite() || !lon.is_finite() {
            return None;
        }
        self.rtree()
            .nearest_neighbor([lat, lon])
            .and_then(|p| self.record(p.data))
    }

    /// The country code a coordinate most likely lies in (country of the nearest city).
    pub fn country_at(&self, lat: f64, lon: f64) -> Option<&str> {
        self.nearest_city(lat, lon).map(|r| r.country.as_str())
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn gunzip(file: &str, bytes: &[u8]) -> Result<String, GeoError> {
    let mut text = String::with_capacity(bytes.len() * 3);
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .map_err(|e| GeoError::Decompress {
            file: file.to_string(),
            reason: e.to_string(),
        })?;
    Ok(text)
}

struct Builder {
    records: Vec<PlaceRecord>,
    keys: Vec<(String, u32)>,
}

impl Builder {
    fn add_name(&mut self, name: &str, id: u32, how: NameMatch) {
        let key = normalize_name(name);
        if !key.is_empty() && key.len() < 200 {
            self.keys.push((key, (id << 2) | how as u32));
        }
    }

    fn push(&mut self, r: PlaceRecord) -> u32 {
        self.records.push(r);
        (self.records.len() - 1) as u32
    }
}

fn build_body() -> Result<IndexBody, GeoError> {
    let countries = data::parse_countries("countries.tsv", COUNTRIES)?;
    let admin1 = data::parse_admin1("admin1.tsv", ADMIN1)?;
    let admin2 = data::parse_admin2("admin2.tsv", ADMIN2)?;
    let overlay = data::parse_overlay("overlay.tsv", OVERLAY)?;
    let cities_text = gunzip("cities.tsv.gz", CITIES_GZ)?;
    let cities = data::parse_cities("cities.tsv.gz", &cities_text)?;
    let mut b = Builder {
        records: Vec::with_capacity(cities.len() + admin2.len() + admin1.len() + 600),
        keys: Vec::with_capacity(cities.len() * 8),
    };
    let mut country_ids = HashMap::new();
    let mut capitals: HashMap<String, String> = HashMap::new();
    for c in &countries {
        let id = b.push(PlaceRecord {
            name: c.name.clone(),
            geonameid: c.geonameid,
            kind: PlaceKind::Country,
            feature: "A.PCLI".into(),
            country: c.iso2.clone(),
            // countries keep their alpha-3 code here; see `Gazetteer::from_body`
            admin1: c.iso3.clone(),
            admin1_name: String::new(),
            admin2: String::new(),
            lat: c.lat as f32,
            lon: c.lon as f32,
            population: c.population,
        });
        country_ids.insert(c.iso2.clone(), id);
        capitals.insert(c.iso2.clone(), normalize_name(&c.capital));
        b.add_name(&c.name, id, NameMatch::Primary);
        for a in &c.alt_names {
            b.add_name(a, id, NameMatch::Alternate);
        }
        for d in &c.demonyms {
            b.add_name(d, id, NameMatch::Demonym);
            if !d.ends_with('s') && !d.ends_with("ese") && !d.ends_with('h') {
                b.add_name(&format!("{d}s"), id, NameMatch::Demonym);
            }
        }
    }
    let mut admin1_ids = HashMap::new();
    let mut admin1_names = HashMap::new();
    for a in &admin1 {
        let id = b.push(PlaceRecord {
            name: a.name.clone(),
            geonameid: a.geonameid,
            kind: PlaceKind::Admin1,
            feature: "A.ADM1".into(),
            country: a.cc.clone(),
            admin1: a.code.clone(),
            admin1_name: a.name.clone(),
            admin2: String::new(),
            lat: a.lat as f32,
            lon: a.lon as f32,
            population: a.population,
        });
        admin1_ids.insert((a.cc.clone(), a.code.clone()), id);
        admin1_names.insert((a.cc.clone(), a.code.clone()), a.name.clone());
        b.add_name(&a.name, id, NameMatch::Primary);
        for n in &a.alt_names {
            b.add_name(n, id, NameMatch::Primary);
        }
    }
    let a1name = |cc: &str, code: &str| {
        admin1_names
            .get(&(cc.to_string(), code.to_string()))
            .cloned()
            .unwrap_or_default()
    };
    for a in &admin2 {
        let id = b.push(PlaceRecord {
            name: a.name.clone(),
            geonameid: None,
            kind: PlaceKind::Admin2,
            feature: "A.ADM2".into(),
            country: a.cc.clone(),
            admin1: a.admin1.clone(),
            admin1_name: a1name(&a.cc, &a.admin1),
            admin2: a.name.clone(),
            lat: a.lat as f32,
            lon: a.lon as f32,
            population: a.population,
        });
        b.add_name(&a.name, id, NameMatch::Primary);
        // "Scott" alone is far more often a person than Scott County
        let county_like = ["County", "Parish", "Borough", "Census Area"]
            .iter()
            .any(|s| a.name.ends_with(s));
        for n in a.alt_names.iter().filter(|_| !county_like) {
            b.add_name(n, id, NameMatch::Primary);
        }
    }
    // The capital is the most populous city of the country carrying the capital's name.
    let mut capital_of: HashMap<String, (u64, usize)> = HashMap::new();
    for (i, c) in cities.iter().enumerate() {
        if capitals
            .get(&c.cc)
            .is_some_and(|k| *k == normalize_name(&c.name))
        {
            let e = capital_of.entry(c.cc.clone()).or_insert((c.population, i));
            if c.population > e.0 {
                *e = (c.population, i);
            }
        }
    }
    let capital_rows: HashSet<usize> = capital_of.values().map(|&(_, i)| i).collect();
    let mut by_geonameid = HashMap::new();
    for (i, c) in cities.iter().enumerate() {
        let capital = capital_rows.contains(&i);
        let id = b.push(PlaceRecord {
            name: c.name.clone(),
            geonameid: Some(c.geonameid),
            kind: if capital {
                PlaceKind::Capital
            } else {
                PlaceKind::City
            },
            feature: if capital { "P.PPLC" } else { "P.PPL" }.into(),
            country: c.cc.clone(),
            admin1: c.admin1.clone(),
            admin1_name: a1name(&c.cc, &c.admin1),
            admin2: c.admin2.clone(),
            lat: c.lat as f32,
            lon: c.lon as f32,
            population: c.population,
        });
        by_geonameid.insert(c.geonameid, id);
        b.add_name(&c.name, id, NameMatch::Primary);
        for a in &c.alt_names {
            b.add_name(a, id, NameMatch::Alternate);
        }
    }
    for o in &overlay {
        let line_err = |reason: String| GeoError::Parse {
            file: "overlay.tsv".into(),
            line: o.line,
            reason,
        };
        if o.feature == "alias" || o.feature == "coords" {
            let (kind, key) = o.target.split_once(':').unwrap_or(("", ""));
            let id = match kind {
                "country" => country_ids.get(key).copied(),
                "admin1" => key.split_once('.').and_then(|(cc, code)| {
                    admin1_ids.get(&(cc.to_string(), code.to_string())).copied()
                }),
                "geonames" => key
                    .parse::<u32>()
                    .ok()
                    .and_then(|g| by_geonameid.get(&g).copied()),
                _ => None,
            };
            let id =
                id.ok_or_else(|| line_err(format!("`{}`: unknown target `{}`", o.name, o.target)))?;
            match (o.feature.as_str(), o.coords, b.records.get_mut(id as usize)) {
                ("coords", Some((lat, lon)), Some(r)) => {
                    r.lat = lat as f32;
                    r.lon = lon as f32;
                }
                _ => b.add_name(&o.name, id, NameMatch::Alias),
            }
            continue;
        }
        let (lat, lon) = o.coords.unwrap_or((0.0, 0.0));
        let kind = if o.feature == "L.CONT" || o.feature == "L.RGN" {
            PlaceKind::Region
        } else {
            PlaceKind::Feature
        };
        let id = b.push(PlaceRecord {
            name: o.name.clone(),
            geonameid: None,
            kind,
            feature: o.feature.clone(),
            country: o.cc.clone(),
            admin1: o.admin1.clone(),
            admin1_name: a1name(&o.cc, &o.admin1),
            admin2: String::new(),
            lat: lat as f32,
            lon: lon as f32,
            population: o.population,
        });
        b.add_name(&o.name, id, NameMatch::Alias);
        for a in &o.alt_names {
            b.add_name(a, id, NameMatch::Alias);
        }
    }
    if b.records.len() >= (1 << 30) {
        return Err(GeoError::Index("too many records".into()));
    }
    let Builder { records, mut keys } = b;
    keys.sort_unstable();
    keys.dedup_by(|a, b| a.0 == b.0 && (a.1 >> 2) == (b.1 >> 2));
    let mut postings = Vec::with_capacity(keys.len());
    let mut map = MapBuilder::memory();
    let mut i = 0;
    while i < keys.len() {
        let key = &keys[i].0;
        let start = postings.len();
        while i < keys.len() && keys[i].0 == *key {
            postings.push(keys[i].1);
            i += 1;
        }
        let len = (postings.len() - start).min(0xF_FFFF);
        postings.truncate(start + len);
        map.insert(key.as_bytes(), ((start as u64) << 20) | len as u64)
            .map_err(|e| GeoError::Index(e.to_string()))?;
    }
    let fst = map
        .into_inner()
        .map_err(|e| GeoError::Index(e.to_string()))?;
    Ok(IndexBody {
        records,
        postings,
        fst,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_header_is_checked() {
        let p = Path::new("x.bin");
        assert!(Gazetteer::from_bytes(b"short", p).is_err());
        assert!(Gazetteer::from_bytes(&[0u8; 64], p).is_err());
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&INDEX_VERSION.to_le_bytes());
        bytes.extend_from_slice(&data_hash().to_le_bytes());
        bytes.extend_from_slice(&[0xff; 16]);
        let e = Gazetteer::from_bytes(&bytes, p).unwrap_err();
        assert!(e.to_string().contains("corrupt"), "{e}");
    }
}
