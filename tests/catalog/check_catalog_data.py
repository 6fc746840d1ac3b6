#!/usr/bin/env python3
"""Checks the bundled catalog data files (data/catalog/*.json).

Usage: check_catalog_data.py [DATA_DIR]   (default: <repo>/data/catalog)

Validates the schema described in data/catalog/README.md and the invariants
the catalog relies on. Prints every problem found and exits 1 if there is
any, 0 otherwise. Python 3 standard library only.
"""

import json
import math
import os
import re
import sys

ID_RE = re.compile(r"^[a-z0-9_]{1,64}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
SOURCE_CODE_RE = re.compile(r"^S\d+[a-z]?$")
CODE_IN_TEXT_RE = re.compile(r"\bS\d+[a-z]?\b")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LANGS = {"en", "zh", "ru", "ko", "ja", "mn"}
USES = {"B", "S", "W"}
DESIGNATION_KINDS = {
    "ramsar", "national_park", "nature_reserve", "wetland_protected_area",
    "natural_monument", "biosphere_reserve", "world_heritage", "scenic_area",
    "regional_park", "flyway_network_site", "other_protected",
}
# Recognition only; does not make a site legally protected.
NON_PROTECTING_KINDS = {"flyway_network_site"}

SITE_KEYS = ["id", "names", "names_unverified", "alt_names", "country", "complex",
             "designations", "protected", "area_ha", "area_source", "centre",
             "centre_source", "centre_verified", "nominal_radius_km", "focal_use",
             "sources", "notes"]
DESIGNATION_KEYS = ["kind", "title", "year", "date", "number", "source"]
COMPLEX_KEYS = ["id", "names", "names_unverified", "countries", "kind", "description", "sources"]
SPECIES_KEYS = ["id", "code", "scientific_name", "authority", "former_names", "names",
                "names_weak", "focal", "iucn", "population", "one_percent", "timing",
                "breeding", "stopover", "wintering", "sources"]
POPULATION_KEYS = ["estimate", "min", "max", "year", "unit", "basis", "source", "alternatives"]
ONE_PERCENT_KEYS = ["published", "published_source", "note"]

REQUIRED_SITES = [
    "rason", "mundok", "fangchuan", "jingxin", "hunchun", "khasansky_south",
    "khasansky_mramornoye", "furugelm", "khanka_ru", "xingkai_cn", "daursky", "daguur",
    "dalai", "muraviovka", "khingansky", "zhalong", "xianghai", "momoge", "cheorwon",
    "han_estuary", "ganghwa", "songdo", "gyeonggi_bay", "chilsando", "xingren", "yuanbao",
    "suncheon", "izumi", "poyang_nnr", "poyang_nanji", "yancheng", "yrd", "chongming",
    "maipo", "zengwen",
]
# id -> (area_ha, country, complex): the Tumen estuary units of S1 Table 2.
TUMEN_UNITS = {
    "rason": (3525.7, "KP", "tumen_estuary"),
    "fangchuan": (1416.13, "CN", "tumen_estuary"),
    "jingxin": (8000, "CN", "tumen_estuary"),
    "khasansky_south": (9885.8, "RU", "tumen_estuary"),
    "khasansky_mramornoye": (83.3, "RU", "tumen_estuary"),
}
DIPA_PARTS = {"daursky": "RU", "daguur": "MN", "dalai": "CN"}
# species id -> (code, focal, expected WPE 1 % threshold derived from the estimate)
SPECIES = {
    "platalea_minor": ("BFS", True, 70),
    "antigone_vipio": ("WNC", True, 130),
    "grus_monacha": ("HC", True, 190),
    "grus_japonensis": ("RCC", False, 45),
}
MIN_SITES = 30


class Checker:
    def __init__(self):
        self.errors = []
        self.sources = {}

    def err(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    # ---------------------------------------------------------------- helpers
    def key_order(self, where, obj, expected):
        if not isinstance(obj, dict):
            self.err(where, "must be an object")
            return False
        missing = [k for k in expected if k not in obj]
        if missing:
            self.err(where, f"missing keys {missing}")
            return False
        present = [k for k in obj if k in expected]
        if present != expected:
            self.err(where, f"keys out of order: {present}, expected {expected}")
        return True

    def source_ref(self, where, code, allow_null=False):
        if code is None and allow_null:
            return
        if not isinstance(code, str) or code not in self.sources:
            self.err(where, f"source {code!r} is not defined in sources.json")

    def codes_in_text(self, where, text):
        if text is None:
            return set()
        if not isinstance(text, str):
            self.err(where, "must be a string or null")
            return set()
        codes = set(CODE_IN_TEXT_RE.findall(text))
        for code in sorted(codes):
            if code not in self.sources:
                self.err(where, f"mentions source {code} that is not in sources.json")
        return codes

    def string_list(self, where, value):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.err(where, "must be a list of strings")
            return []
        return value

    def names(self, where, names, unverified_key_value, unverified_key):
        if not isinstance(names, dict):
            self.err(where, "names must be an object")
            return
        en = names.get("en")
        if not isinstance(en, str) or not en.strip():
            self.err(where, "names.en is required")
        for lang, value in names.items():
            if lang not in LANGS:
                self.err(where, f"names has unknown language {lang!r}")
            if value is not None and (not isinstance(value, str) or not value.strip()):
                self.err(where, f"names.{lang} must be a non-empty string or null")
        for lang in self.string_list(f"{where}.{unverified_key}", unverified_key_value):
            if lang not in names:
                self.err(where, f"{unverified_key} lists {lang!r}, which is not in names")

    @staticmethod
    def number(value):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)

    # ---------------------------------------------------------------- files
    def load(self, path, schema):
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            self.err(os.path.basename(path), f"cannot read JSON: {e}")
            return None
        if not isinstance(doc, dict) or doc.get("schema") != schema:
            self.err(os.path.basename(path), f'"schema" must be "{schema}"')
            return None
        return doc

    def check_sources(self, doc):
        sources = doc.get("sources")
        if not isinstance(sources, dict) or not sources:
            self.err("sources.json", '"sources" must be a non-empty object')
            return
        for code, citation in sources.items():
            if not SOURCE_CODE_RE.match(code):
                self.err("sources.json", f"bad source code {code!r}")
            if not isinstance(citation, str) or not citation.strip():
                self.err("sources.json", f"{code}: citation must be a non-empty string")
        self.sources = sources

    def check_complexes(self, doc):
        out = {}
        complexes = doc.get("complexes")
        if not isinstance(complexes, list):
            self.err("complexes.json", '"complexes" must be a list')
            return out
        for i, c in enumerate(complexes):
            where = f"complexes.json[{i}]"
            if not self.key_order(where, c, COMPLEX_KEYS):
                continue
            cid = c["id"]
            where = f"complexes.json: complex {cid!r}"
            if not isinstance(cid, str) or not ID_RE.match(cid):
                self.err(where, "id must match ^[a-z0-9_]+$")
                continue
            if cid in out:
                self.err(where, "duplicate id")
            out[cid] = c
            self.names(where, c["names"], c["names_unverified"], "names_unverified")
            countries = self.string_list(f"{where}.countries", c["countries"])
            if not countries:
                self.err(where, "countries must not be empty")
            for cc in countries:
                if not COUNTRY_RE.match(cc):
                    self.err(where, f"country {cc!r} is not a 2-letter upper-case code")
            for code in self.string_list(f"{where}.sources", c["sources"]):
                self.source_ref(f"{where}.sources", code)
            self.codes_in_text(f"{where}.description", c["description"])
        return out

    def check_species(self, doc):
        out = {}
        species = doc.get("species")
        if not isinstance(species, list):
            self.err("species.json", '"species" must be a list')
            return out
        for i, s in enumerate(species):
            where = f"species.json[{i}]"
            if not self.key_order(where, s, SPECIES_KEYS):
                continue
            sid = s["id"]
            where = f"species.json: species {sid!r}"
            if not isinstance(sid, str) or not ID_RE.match(sid):
                self.err(where, "id must match ^[a-z0-9_]+$")
                continue
            if sid in out:
                self.err(where, "duplicate id")
            out[sid] = s
            self.names(where, s["names"], s["names_weak"], "names_weak")
            if set(s["names"]) != LANGS:
                self.err(where, f"names must have exactly the languages {sorted(LANGS)} (null where not found)")
            self.string_list(f"{where}.former_names", s["former_names"])
            if not isinstance(s["focal"], bool):
                self.err(where, "focal must be true or false")
            iucn = s["iucn"]
            if not isinstance(iucn, dict) or not isinstance(iucn.get("category"), str):
                self.err(where, "iucn.category is required")
            else:
                self.source_ref(f"{where}.iucn", iucn.get("source"))
            self.check_population(where, s["population"])
            one = s["one_percent"]
            if self.key_order(f"{where}.one_percent", one, ONE_PERCENT_KEYS):
                pub = one["published"]
                if pub is not None:
                    if not isinstance(pub, int) or pub <= 0:
                        self.err(where, "one_percent.published must be a positive integer or null")
                    self.source_ref(f"{where}.one_percent.published_source", one["published_source"])
                elif one["published_source"] is not None:
                    self.err(where, "one_percent.published_source set without a published value")
            for key in ("timing", "breeding", "stopover", "wintering", "notes"):
                self.codes_in_text(f"{where}.{key}", s.get(key))
            for code in self.string_list(f"{where}.sources", s["sources"]):
                self.source_ref(f"{where}.sources", code)
        return out

    def check_population(self, where, pop):
        where = f"{where}.population"
        if not self.key_order(where, pop, POPULATION_KEYS):
            return
        self.check_estimate(where, pop)
        self.source_ref(where, pop["source"])
        alts = pop["alternatives"]
        if not isinstance(alts, list):
            self.err(where, "alternatives must be a list")
            return
        for j, alt in enumerate(alts):
            awhere = f"{where}.alternatives[{j}]"
            if not isinstance(alt, dict):
                self.err(awhere, "must be an object")
                continue
            self.check_estimate(awhere, alt)
            self.source_ref(awhere, alt.get("source"))

    def check_estimate(self, where, pop):
        est, lo, hi = pop.get("estimate"), pop.get("min"), pop.get("max")
        if not self.number(est) or est <= 0:
            self.err(where, "estimate must be a number > 0")
            return
        if (lo is None) != (hi is None):
            self.err(where, "min and max must both be set or both be null")
        elif lo is not None:
            if not (self.number(lo) and self.number(hi) and lo <= hi):
                self.err(where, "min/max must be numbers with min <= max")
            elif est != (lo + hi) / 2:
                self.err(where, f"estimate {est} must be the mid-point of {lo}-{hi}")
        year = pop.get("year")
        if year is not None and not isinstance(year, int):
            self.err(where, "year must be an integer or null")

    def check_designation(self, where, d):
        if not self.key_order(where, d, DESIGNATION_KEYS):
            return
        if d["kind"] not in DESIGNATION_KINDS:
            self.err(where, f"kind {d['kind']!r} is not allowed")
        if not isinstance(d["title"], str) or not d["title"].strip():
            self.err(where, "title is required")
        year, date = d["year"], d["date"]
        if year is not None and (not isinstance(year, int) or not 1800 <= year <= 2100):
            self.err(where, "year must be a plausible integer or null")
        if date is not None:
            if not isinstance(date, str) or not DATE_RE.match(date):
                self.err(where, "date must be YYYY-MM-DD or null")
            elif year != int(date[:4]):
                self.err(where, f"year {year} does not match date {date}")
        if d["number"] is not None and not isinstance(d["number"], str):
            self.err(where, "number must be a string or null")
        self.source_ref(where, d["source"])

    def check_sites(self, doc, complexes, species):
        sites = doc.get("sites")
        if not isinstance(sites, list):
            self.err("sites.json", '"sites" must be a list')
            return {}
        out = {}
        for i, s in enumerate(sites):
            where = f"sites.json[{i}]"
            if not self.key_order(where, s, SITE_KEYS):
                continue
            sid = s["id"]
            where = f"sites.json: site {sid!r}"
            if not isinstance(sid, str) or not ID_RE.match(sid):
                self.err(where, "id must match ^[a-z0-9_]+$")
                continue
            if sid in out:
                self.err(where, "duplicate id")
            out[sid] = s
            self.names(where, s["names"], s["names_unverified"], "names_unverified")
            self.string_list(f"{where}.alt_names", s["alt_names"])
            cc = s["country"]
            if not isinstance(cc, str) or not COUNTRY_RE.match(cc):
                self.err(where, "country must be a 2-letter upper-case ISO code")
            cx = s["complex"]
            if cx is not None:
                if cx not in complexes:
                    self.err(where, f"complex {cx!r} is not in complexes.json")
                elif cc not in complexes[cx]["countries"]:
                    self.err(where, f"country {cc} is not among complex {cx!r} countries")

            used = set()
            designations = s["designations"]
            if not isinstance(designations, list):
                self.err(where, "designations must be a list")
                designations = []
            for j, d in enumerate(designations):
                self.check_designation(f"{where}.designations[{j}]", d)
                if isinstance(d, dict):
                    used.add(d.get("source"))
            protecting = [d for d in designations
                          if isinstance(d, dict) and d.get("kind") not in NON_PROTECTING_KINDS]
            if not isinstance(s["protected"], bool):
                self.err(where, "protected must be true or false")
            elif s["protected"] and not protecting:
                self.err(where, "protected is true but no protecting designation is listed")
            elif not s["protected"] and protecting:
                self.err(where, "protected is false but a protecting designation is listed")

            area, radius = s["area_ha"], s["nominal_radius_km"]
            if area is not None and (not self.number(area) or area <= 0):
                self.err(where, "area_ha must be null or a number > 0")
            if area is None:
                if not self.number(radius) or radius <= 0:
                    self.err(where, "nominal_radius_km must be > 0 when area_ha is null")
            elif radius is not None:
                self.err(where, "nominal_radius_km must be null when area_ha is set")
            if not isinstance(s["area_source"], str) or not s["area_source"].strip():
                self.err(where, "area_source is required")
            used |= self.codes_in_text(f"{where}.area_source", s["area_source"])

            centre = s["centre"]
            lat = centre.get("lat") if isinstance(centre, dict) else None
            lon = centre.get("lon") if isinstance(centre, dict) else None
            if not (self.number(lat) and self.number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
                self.err(where, "centre needs lat in [-90, 90] and lon in [-180, 180]")
            if not isinstance(s["centre_verified"], bool):
                self.err(where, "centre_verified must be true or false")
            if not isinstance(s["centre_source"], str) or not s["centre_source"].strip():
                self.err(where, "centre_source is required (how the centre was obtained)")
            used |= self.codes_in_text(f"{where}.centre_source", s["centre_source"])

            focal = s["focal_use"]
            if not isinstance(focal, list):
                self.err(where, "focal_use must be a list")
                focal = []
            for j, f in enumerate(focal):
                fwhere = f"{where}.focal_use[{j}]"
                if not isinstance(f, dict):
                    self.err(fwhere, "must be an object")
                    continue
                if f.get("species") not in species:
                    self.err(fwhere, f"species {f.get('species')!r} is not in species.json")
                uses = f.get("use")
                if not isinstance(uses, list) or not uses or not set(uses) <= USES:
                    self.err(fwhere, f"use must be a non-empty list of {sorted(USES)}")
                self.source_ref(fwhere, f.get("source"))
                used.add(f.get("source"))
                if "unverified" in f and not isinstance(f["unverified"], bool):
                    self.err(fwhere, "unverified must be true or false")

            self.codes_in_text(f"{where}.notes", s["notes"])
            listed = self.string_list(f"{where}.sources", s["sources"])
            for code in listed:
                self.source_ref(f"{where}.sources", code)
            missing = sorted(c for c in used if isinstance(c, str) and c not in listed)
            if missing:
                self.err(where, f"sources does not list {missing}, which the record uses")
        return out

    # ---------------------------------------------------------------- invariants
    def check_invariants(self, sites, complexes, species):
        if len(sites) < MIN_SITES:
            self.err("sites.json", f"{len(sites)} sites; at least {MIN_SITES} expected")
        for sid in REQUIRED_SITES:
            if sid not in sites:
                self.err("sites.json", f"required site {sid!r} is missing")
        for sid, (area, cc, cx) in TUMEN_UNITS.items():
            s = sites.get(sid)
            if s is None:
                continue
            if s["area_ha"] != area or s["country"] != cc or s["complex"] != cx:
                self.err(f"sites.json: site {sid!r}",
                         f"expected area_ha {area}, country {cc}, complex {cx}; got "
                         f"{s['area_ha']}, {s['country']}, {s['complex']}")
        jingxin = sites.get("jingxin")
        if jingxin is not None and (jingxin["protected"] is not False or jingxin["designations"] != []):
            self.err("sites.json: site 'jingxin'", "must have protected false and no designations")
        for sid, cc in DIPA_PARTS.items():
            s = sites.get(sid)
            if s is not None and (s["complex"] != "dipa" or s["country"] != cc):
                self.err(f"sites.json: site {sid!r}", f"must be in complex 'dipa' with country {cc}")
        dipa = complexes.get("dipa")
        if dipa is None:
            self.err("complexes.json", "complex 'dipa' is missing")
        elif sorted(dipa["countries"]) != sorted(DIPA_PARTS.values()):
            self.err("complexes.json: complex 'dipa'", "countries must be RU, MN, CN")
        if set(species) != set(SPECIES):
            self.err("species.json", f"species ids must be exactly {sorted(SPECIES)}; got {sorted(species)}")
        for sid, (code, focal, threshold) in SPECIES.items():
            s = species.get(sid)
            if s is None:
                continue
            where = f"species.json: species {sid!r}"
            if s["code"] != code or s["focal"] is not focal:
                self.err(where, f"expected code {code} and focal {focal}")
            est = s["population"]["estimate"]
            if self.number(est) and s["one_percent"]["published"] is None:
                derived = wpe_one_percent(est)
                if derived != threshold:
                    self.err(where, f"estimate {est} derives a 1 % threshold of {derived}; {threshold} expected")


def wpe_one_percent(population):
    """The WPE 1 % threshold (same rules as catalog/one_percent.cc)."""
    if population >= 2_000_000:
        return 20_000
    one = population / 100.0

    def nearest(value, step):
        return int(math.floor(value / step + 0.5)) * step

    if one < 0.5:
        return 0
    if one < 10.5:
        return nearest(one, 1)
    if one <= 100:
        return nearest(one, 5)
    if one <= 1000:
        return nearest(one, 10)
    return nearest(one, 100)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    data_dir = argv[1] if len(argv) > 1 else os.path.join(here, "..", "..", "data", "catalog")
    c = Checker()
    docs = {}
    for name, schema in (("sources", "wetlink.catalog.sources/1"),
                         ("complexes", "wetlink.catalog.complexes/1"),
                         ("species", "wetlink.catalog.species/1"),
                         ("sites", "wetlink.catalog.sites/1")):
        docs[name] = c.load(os.path.join(data_dir, f"{name}.json"), schema)
    if all(d is not None for d in docs.values()):
        c.check_sources(docs["sources"])
        complexes = c.check_complexes(docs["complexes"])
        species = c.check_species(docs["species"])
        sites = c.check_sites(docs["sites"], complexes, species)
        c.check_invariants(sites, complexes, species)
    if c.errors:
        print(f"catalog data check FAILED ({len(c.errors)} problem(s)) in {os.path.normpath(data_dir)}:",
              file=sys.stderr)
        for e in c.errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    print(f"catalog data OK: {len(docs['sites']['sites'])} sites, "
          f"{len(docs['complexes']['complexes'])} complexes, {len(docs['species']['species'])} species, "
          f"{len(docs['sources']['sources'])} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
