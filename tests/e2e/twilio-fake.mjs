// A small Twilio 2010 API fake for the end-to-end test: Accounts/{sid}.json, Recordings.json
// and Calls.json with paging by PageToken and the date filters (`DateCreated` / `StartTime`
// with `=`, `>=` and `<=`, an upper bound read as the whole day), Basic auth, and
// Recordings/{sid}.mp3 media.
// Listens on 127.0.0.1 only. (The Rust tests use a fuller fake validated against the spec.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ACCOUNT_SID = 'AC' + 'e2e0'.repeat(8);
export const AUTH_TOKEN = 'e2e-auth-token-not-a-secret';

const hex32 = (n, salt) => (salt + n.toString(16)).padStart(32, '0').slice(-32);

function rfc2822(ms) {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** `count` recordings, newest first, one call each, an hour apart. */
export function makeRecordings(count, newestMs = Date.now() - 60_000) {
  return Array.from({ length: count }, (_, i) => {
    const at = newestMs - i * 3_600_000;
    const inbound = i % 2 === 0;
    return {
      sid: 'RE' + hex32(i + 1, 'e2e'),
      call_sid: 'CA' + hex32(i + 1, 'e2e'),
      at,
      // The served audio is six seconds long, whatever the recording.
      duration: '6',
      inbound,
      number: `+1415555${String(100 + i).padStart(4, '0')}`,
    };
  });
}

/** `seconds` of 8 kHz mono speech-like bursts, MP3-encoded with lame (as Twilio serves .mp3). */
export function makeMp3(seconds = 6) {
  const rate = 8000;
  const samples = Buffer.alloc(seconds * rate * 2);
  for (let i = 0; i < seconds * rate; i++) {
    const t = i / rate;
    const envelope = Math.max(0, Math.sin(Math.PI * ((t * 3) % 1))) * (Math.floor(t * 1.5) % 2 === 0 ? 1 : 0.2);
    const v = envelope * 0.5 * (Math.sin(2 * Math.PI * 180 * t) + 0.4 * Math.sin(2 * Math.PI * 360 * t));
    samples.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + samples.length, 4); header.write('WAVE', 8);
  header.write('fmt ', 12); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24); header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36); header.writeUInt32LE(samples.length, 40);
  const dir = mkdtempSync(join(tmpdir(), 'calldeck-mp3-'));
  try {
    writeFileSync(join(dir, 'in.wav'), Buffer.concat([header, samples]));
    const lame = spawnSync('lame', ['--quiet', '-m', 'm', '-b', '32', join(dir, 'in.wav'), join(dir, 'out.mp3')]);
    if (lame.status !== 0) throw new Error(`lame failed (is it installed? scripts/bootstrap.sh): ${lame.stderr}`);
    return readFileSync(join(dir, 'out.mp3'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startTwilioFake(recordings, pageSize = 5, media = makeMp3()) {
  let mediaDelayMs = 0;
  const auth = 'Basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64');
  const prefix = `/2010-04-01/Accounts/${ACCOUNT_SID}`;
  const DAY = 86_400_000;
  const dayStart = (raw) => (/^\d{4}-\d{2}-\d{2}$/.test(raw ?? '') ? Date.parse(`${raw}T00:00:00Z`) : NaN);
  // The [lo, hi) a list request's date filter selects, or null for a date Twilio refuses.
  const dateSpan = (url, name) => {
    let lo = -Infinity;
    let hi = Infinity;
    for (const [suffix, apply] of [
      ['', (d) => { lo = Math.max(lo, d); hi = Math.min(hi, d + DAY); }],
      ['>', (d) => { lo = Math.max(lo, d); }],
      ['<', (d) => { hi = Math.min(hi, d + DAY); }],
    ]) {
      const raw = url.searchParams.get(name + suffix);
      if (raw === null) continue;
      const day = dayStart(raw);
      if (Number.isNaN(day)) return null;
      apply(day);
    }
    return [lo, hi];
  };
  const filtered = (url, name, at) => {
    const span = dateSpan(url, name);
    if (!span) return null;
    // Newest first, as Twilio lists them.
    return recordings.filter((r) => at(r) >= span[0] && at(r) < span[1]).sort((a, b) => at(b) - at(a));
  };
  const page = (items, key, url, toJson) => {
    const size = Math.min(Number(url.searchParams.get('PageSize') ?? pageSize), pageSize);
    const start = Number(url.searchParams.get('PageToken') ?? 0);
    const slice = items.slice(start, start + size);
    // Like Twilio, the next page keeps the request's filters and page size as asked (the sync
    // refuses a link that changes them), even though this fake serves smaller pages.
    const params = new URLSearchParams(url.searchParams);
    params.set('PageToken', String(start + size));
    const next = start + size < items.length ? `${url.pathname}?${params}` : null;
    return { [key]: slice.map(toJson), next_page_uri: next, page: start / size, page_size: size, uri: url.pathname };
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const send = (status, body, type = 'application/json') => {
      const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(bytes) });
      res.end(bytes);
    };
    if (req.headers.authorization !== auth) return send(401, { code: 20003, message: 'Authenticate', status: 401 });
    if (url.pathname === `${prefix}.json`) return send(200, { sid: ACCOUNT_SID, status: 'active', friendly_name: 'E2E' });
    if (url.pathname === `${prefix}/Recordings.json`) {
      const listed = filtered(url, 'DateCreated', (r) => r.at);
      if (!listed) return send(400, { code: 20001, message: 'Invalid date', status: 400 });
      return send(200, page(listed, 'recordings', url, (r) => ({
        sid: r.sid, account_sid: ACCOUNT_SID, call_sid: r.call_sid, date_created: rfc2822(r.at), date_updated: rfc2822(r.at),
        start_time: rfc2822(r.at), duration: r.duration, status: 'completed', channels: 1, source: 'OutboundAPI',
        price: '-0.0025', price_unit: 'USD', uri: `${prefix}/Recordings/${r.sid}.json`, media_url: null, error_code: null,
        conference_sid: null,
      })));
    }
    if (url.pathname === `${prefix}/Calls.json`) {
      const listed = filtered(url, 'StartTime', (r) => r.at);
      if (!listed) return send(400, { code: 20001, message: 'Invalid date', status: 400 });
      return send(200, page(listed, 'calls', url, (r) => ({
        sid: r.call_sid, account_sid: ACCOUNT_SID, from: r.inbound ? r.number : '+14155550000',
        to: r.inbound ? '+14155550000' : r.number, direction: r.inbound ? 'inbound' : 'outbound-api', status: 'completed',
        start_time: rfc2822(r.at), end_time: rfc2822(r.at + 30_000), duration: r.duration, caller_name: null,
      })));
    }
    if (url.pathname.match(/\/Recordings\/(RE[0-9a-f]{32})\.mp3$/)) {
      if (mediaDelayMs > 0) return setTimeout(() => send(200, media, 'audio/mpeg'), mediaDelayMs);
      return send(200, media, 'audio/mpeg');
    }
    return send(404, { code: 20404, message: 'Not found', status: 404 });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    // Media answered this much later, so a download queue can be seen working.
    setMediaDelay: (ms) => {
      mediaDelayMs = ms;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
