// Independent client check of oracled: a Node.js client built only from the published .proto files
// (@grpc/grpc-js + @grpc/proto-loader) talks to a real oracled over loopback.
//
//   ORACLED=/path/to/oracled node --test oracle_client.test.js
//
// The test writes its own tick log (about 3 minutes of quotes and trades for ETH, USDT and USDe on
// several venues, and a wide SOL-USD book on three), starts oracled on 127.0.0.1 port 0 replaying
// it, waits for an OK ETH-USD mark, checks the API, and stops the server with SIGTERM while one
// stream is still open (the stream must end UNAVAILABLE and oracled must exit 0). Every call has a
// deadline; the file runs in a few seconds.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const PROTO_DIR = path.join(REPO_ROOT, 'proto');
const GRPC_PROTO_DIR = '/usr/share/grpc-proto';  // Debian package grpc-proto
// google/rpc/status.proto, imported by oracle.proto (Debian package golang-github-gogo-googleapis-dev).
const GOOGLEAPIS_DIR = process.env.GOOGLEAPIS_DIR || '/usr/share/gocode/src/github.com/gogo/googleapis';
const ORACLED = path.resolve(process.env.ORACLED || path.join(REPO_ROOT, 'build', 'oracled'));

const CALL_TIMEOUT_MS = 5000;       // deadline of every RPC
const PORT_FILE_TIMEOUT_MS = 15000;
const MARK_OK_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 20000;  // SIGTERM drains for server.drain_period_ms (5 s) first

const LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  // google/protobuf/*.proto: proto-loader's built-in copies, or Debian's libprotobuf-dev ones.
  includeDirs: [PROTO_DIR, GRPC_PROTO_DIR, GOOGLEAPIS_DIR, ...(fs.existsSync('/usr/include/google/protobuf') ? ['/usr/include'] : [])],
};

// Loopback only; never through a proxy from the environment.
const CHANNEL_OPTIONS = { 'grpc.enable_http_proxy': 0 };

// ---------------------------------------------------------------------------------------------
// Tick log

// Deterministic pseudo-random numbers (so a failure replays the same way).
function makeRng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

// ~3 minutes of quotes and trades: every feed ticks every 250 ms (4 events/s), staggered.
function writeTickLog(file) {
  const rng = makeRng(20251010);
  const DURATION_MS = 180000;
  const STEP_MS = 250;
  const start = Date.parse('2025-10-10T21:36:00.000Z');
  const feeds = [
    // venue, pair, kind (underlying price), per-venue bias (fraction), decimals, half-spread
    ['coinbase', 'ETH-USD', 'eth_usd', 0.00002, 2, 0.05],
    ['kraken', 'ETH-USD', 'eth_usd', -0.00003, 2, 0.10],
    ['bitstamp', 'ETH-USD', 'eth_usd', 0.00001, 2, 0.10],
    ['binance', 'ETH-USDT', 'eth_usdt', 0.0, 2, 0.01],
    ['okx', 'ETH-USDT', 'eth_usdt', -0.00001, 2, 0.02],
    ['coinbase', 'USDT-USD', 'usdt_usd', 0.0, 5, 0.00005],
    ['kraken', 'USDT-USD', 'usdt_usd', 0.00001, 5, 0.00005],
    ['bitstamp', 'USDT-USD', 'usdt_usd', -0.00001, 5, 0.0001],
    ['binance', 'USDE-USDT', 'usde_usdt', 0.0, 4, 0.00005],
    ['bybit', 'USDE-USDT', 'usde_usdt', 0.00001, 4, 0.00005],
    ['okx', 'USDE-USDT', 'usde_usdt', -0.00001, 4, 0.0001],
    ['kraken', 'USDE-USD', 'usde_usd', 0.0, 4, 0.0001],
    // A wide book (about 30 bps each side): SOL-USD's confidence is tens of bps.
    ['coinbase', 'SOL-USD', 'sol_usd', 0.00002, 2, 0.45],
    ['kraken', 'SOL-USD', 'sol_usd', -0.00003, 2, 0.45],
    ['bitstamp', 'SOL-USD', 'sol_usd', 0.00001, 2, 0.45],
  ];
  let ethUsd = 3800.0;
  let usdtUsd = 1.0002;
  let usdeUsd = 0.9997;
  let solUsd = 150.0;
  const lines = [];
  for (let t = 0; t < DURATION_MS; t += STEP_MS) {
    // A gentle random walk: a few bps per step at most.
    ethUsd *= 1 + (rng() - 0.5) * 0.0004;
    usdtUsd = Math.min(1.0006, Math.max(0.9996, usdtUsd + (rng() - 0.5) * 0.00002));
    usdeUsd = Math.min(1.0005, Math.max(0.9990, usdeUsd + (rng() - 0.5) * 0.00002));
    solUsd *= 1 + (rng() - 0.5) * 0.0004;
    const underlying = {
      eth_usd: ethUsd,
      eth_usdt: ethUsd / usdtUsd,
      usdt_usd: usdtUsd,
      usde_usdt: usdeUsd / usdtUsd,
      usde_usd: usdeUsd,
      sol_usd: solUsd,
    };
    feeds.forEach(([venue, pair, kind, bias, decimals, halfSpread], i) => {
      const offset = Math.floor((i * STEP_MS) / feeds.length);  // stagger feeds inside the step
      const time = new Date(start + t + offset).toISOString();
      const mid = underlying[kind] * (1 + bias);
      const bid = (mid - halfSpread).toFixed(decimals);
      const ask = (mid + halfSpread).toFixed(decimals);
      if (Math.round(t / STEP_MS + i) % 3 === 0) {
        const price = (rng() < 0.5 ? bid : ask);
        const size = (0.01 + rng() * 2).toFixed(4);
        lines.push({ at: start + t + offset, text: JSON.stringify({ time, venue, pair, type: 'trade', price, size }) });
      } else {
        lines.push({ at: start + t + offset, text: JSON.stringify({ time, venue, pair, type: 'quote', bid, ask }) });
      }
    });
  }
  lines.sort((a, b) => a.at - b.at);
  fs.writeFileSync(file, lines.map((l) => l.text).join('\n') + '\n');
  return lines.length;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// `promise`'s value, or null after `ms` (the timer is cleared either way: a pending timer would
// keep the test process alive).
async function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve(null), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
const deadline = (ms = CALL_TIMEOUT_MS) => new Date(Date.now() + ms);

function unary(client, method, request, timeoutMs = CALL_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    client[method](request, { deadline: deadline(timeoutMs) }, (err, response) => {
      if (err) reject(err);
      else resolve(response);
    });
  });
}

// Asserts that `promise` fails with gRPC `code` and, if given, error reason `reason` in the
// standard details (ErrorInfo in the google.rpc.Status of the grpc-status-details-bin trailer,
// decoded here by hand: see decodeRpcStatus), with a BadRequest field violation for every
// INVALID_ARGUMENT; and, deprecated, as the first word of the status message and in the trailing
// metadata key oracle-error-reason. The error gets `.rpcStatus` (the decoded details).
async function expectGrpcError(promise, code, reason) {
  let err;
  try {
    const response = await promise;
    assert.fail(`expected ${grpc.status[code]}${reason ? ' ' + reason : ''}, got a response: ${JSON.stringify(response).slice(0, 300)}`);
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    err = e;
  }
  assert.equal(err.code, code, `status code: got ${grpc.status[err.code]} (${err.code}) "${err.details}", want ${grpc.status[code]}`);
  if (reason) {
    assert.ok(err.details.startsWith(reason + ':'), `status message "${err.details}" should start with "${reason}:"`);
    assert.ok(err.metadata, 'error carries trailing metadata');
    assert.deepEqual(err.metadata.get('oracle-error-reason'), [reason], 'trailing metadata oracle-error-reason');
    const bin = err.metadata.get('grpc-status-details-bin');
    assert.equal(bin.length, 1, 'one grpc-status-details-bin trailer');
    err.rpcStatus = decodeRpcStatus(bin[0]);
    assert.equal(err.rpcStatus.code, code, 'google.rpc.Status code equals the call status');
    assert.equal(err.rpcStatus.message, err.details, 'google.rpc.Status message equals the call status');
    assert.ok(err.rpcStatus.errorInfo, 'ErrorInfo in the details');
    assert.equal(err.rpcStatus.errorInfo.reason, reason, 'ErrorInfo.reason');
    assert.equal(err.rpcStatus.errorInfo.domain, 'oracle.markoracle.org', 'ErrorInfo.domain');
    if (code === grpc.status.INVALID_ARGUMENT) {
      assert.ok(err.rpcStatus.badRequest && err.rpcStatus.badRequest.fieldViolations.length === 1,
        `BadRequest with one field violation for INVALID_ARGUMENT ${reason}`);
      assert.ok(err.rpcStatus.badRequest.fieldViolations[0].field.length > 0, 'the violation names a field');
    }
  }
  return err;
}

function decimalValue(d) {
  assert.ok(d, 'decimal is present');
  assert.match(d.mantissa, /^-?\d+$/, 'mantissa is an int64 string');
  assert.equal(typeof d.exponent, 'number');
  return Number(d.mantissa) * 10 ** d.exponent;
}

function timestampMs(ts) {
  assert.ok(ts, 'timestamp is present');
  return Number(ts.seconds) * 1000 + ts.nanos / 1e6;
}

function durationMs(d) {
  assert.ok(d, 'duration is present');
  return Number(d.seconds) * 1000 + d.nanos / 1e6;
}

// Minimal protobuf wire-format reader: enough to pick fields out of a FileDescriptorProto.
function readFields(buf) {
  const fields = [];
  let pos = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) fields.push({ field, value: varint() });
    else if (wire === 1) { fields.push({ field, value: buf.subarray(pos, pos + 8) }); pos += 8; }
    else if (wire === 5) { fields.push({ field, value: buf.subarray(pos, pos + 4) }); pos += 4; }
    else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new Error('truncated length-delimited field');
      fields.push({ field, value: buf.subarray(pos, pos + len) });
      pos += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return fields;
}

// google.rpc.Status (google/rpc/status.proto) and the details this server sends
// (google/rpc/error_details.proto: ErrorInfo, RetryInfo, BadRequest), decoded from the wire bytes
// with readFields: an independent reading of the standard error model, not the server's code.
const TYPE_PREFIX = 'type.googleapis.com/';
function decodeRpcStatus(buf) {
  const f = readFields(buf);
  const out = { code: 0, message: '', details: [], errorInfo: null, retryInfo: null, badRequest: null };
  for (const x of f) {
    if (x.field === 1) out.code = Number(x.value);
    else if (x.field === 2) out.message = x.value.toString('utf8');
    else if (x.field === 3) {  // google.protobuf.Any
      const any = readFields(x.value);
      const typeUrl = any.find((y) => y.field === 1)?.value.toString('utf8') ?? '';
      const value = any.find((y) => y.field === 2)?.value ?? Buffer.alloc(0);
      out.details.push(typeUrl);
      const fields = readFields(value);
      const str = (n) => fields.find((y) => y.field === n)?.value.toString('utf8') ?? '';
      if (typeUrl === TYPE_PREFIX + 'google.rpc.ErrorInfo') {
        const metadata = {};
        for (const e of fields.filter((y) => y.field === 3)) {  // map<string, string> entries
          const kv = readFields(e.value);
          metadata[kv.find((y) => y.field === 1)?.value.toString('utf8') ?? ''] =
            kv.find((y) => y.field === 2)?.value.toString('utf8') ?? '';
        }
        out.errorInfo = { reason: str(1), domain: str(2), metadata };
      } else if (typeUrl === TYPE_PREFIX + 'google.rpc.RetryInfo') {
        const d = readFields(fields.find((y) => y.field === 1)?.value ?? Buffer.alloc(0));
        const seconds = Number(d.find((y) => y.field === 1)?.value ?? 0n);
        const nanos = Number(d.find((y) => y.field === 2)?.value ?? 0n);
        out.retryInfo = { retryDelayMs: seconds * 1000 + nanos / 1e6 };
      } else if (typeUrl === TYPE_PREFIX + 'google.rpc.BadRequest') {
        out.badRequest = {
          fieldViolations: fields.filter((y) => y.field === 1).map((v) => {
            const vf = readFields(v.value);
            return {
              field: vf.find((y) => y.field === 1)?.value.toString('utf8') ?? '',
              description: vf.find((y) => y.field === 2)?.value.toString('utf8') ?? '',
            };
          }),
        };
      }
    }
  }
  return out;
}

function decodeFileDescriptor(buf) {
  const f = readFields(buf);
  const str = (n) => f.filter((x) => x.field === n).map((x) => x.value.toString('utf8'));
  const services = f.filter((x) => x.field === 6).map((x) => {
    const sf = readFields(x.value);
    return {
      name: sf.find((y) => y.field === 1)?.value.toString('utf8'),
      methods: sf.filter((y) => y.field === 2).map((y) => readFields(y.value).find((z) => z.field === 1)?.value.toString('utf8')),
    };
  });
  return { name: str(1)[0], package: str(2)[0], dependencies: str(3), services };
}

// Reads a server stream until `done(messages)` is true or `ms` pass, then cancels it. Resolves with
// the messages and the final status (CANCELLED after our cancel).
function collectStream(call, done, ms) {
  return new Promise((resolve, reject) => {
    const messages = [];
    let settled = false;
    let cancelledByUs = false;
    const timer = setTimeout(() => {
      if (!settled) {
        cancelledByUs = true;
        call.cancel();
      }
    }, ms);
    call.on('data', (m) => {
      messages.push({ at: Date.now(), message: m });
      if (!cancelledByUs && done(messages)) {
        cancelledByUs = true;
        call.cancel();
      }
    });
    call.on('error', (err) => {
      clearTimeout(timer);
      settled = true;
      if (cancelledByUs && err.code === grpc.status.CANCELLED) resolve({ messages, status: err });
      else reject(err);
    });
    call.on('end', () => {
      clearTimeout(timer);
      settled = true;
      resolve({ messages, status: null });
    });
  });
}

// Resolves with the error status a server stream ends with (rejects if it ends OK or sends data).
function streamFailure(call) {
  return new Promise((resolve, reject) => {
    call.on('data', (m) => reject(new Error(`expected an error, got marks ${JSON.stringify(m).slice(0, 200)}`)));
    call.on('error', resolve);
    call.on('end', () => reject(new Error('expected an error, the stream ended OK')));
  }).then((err) => { throw err; });
}

// ---------------------------------------------------------------------------------------------
// Server lifecycle

let tmpDir;
let oracled;            // child process
let oracledStderr = '';
let oracledExit = null; // { code, signal } once it exited
let address;
let oracle;             // oracle.v1.OracleService client
let health;             // grpc.health.v1.Health client
let reflection;         // grpc.reflection.v1alpha.ServerReflection client

function loadPackage(file) {
  return grpc.loadPackageDefinition(protoLoader.loadSync(file, LOADER_OPTIONS));
}

async function waitForPortFile(portFile) {
  const until = Date.now() + PORT_FILE_TIMEOUT_MS;
  while (Date.now() < until) {
    if (oracledExit) {
      throw new Error(`oracled exited (code ${oracledExit.code}, signal ${oracledExit.signal}) before listening; stderr:\n${oracledStderr}`);
    }
    if (fs.existsSync(portFile)) {
      const port = Number(fs.readFileSync(portFile, 'utf8').trim());
      if (Number.isInteger(port) && port > 0 && port < 65536) return port;
    }
    await sleep(50);
  }
  throw new Error(`oracled wrote no --port-file within ${PORT_FILE_TIMEOUT_MS} ms; stderr:\n${oracledStderr}`);
}

async function waitForOkMark(instrument) {
  const until = Date.now() + MARK_OK_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < until) {
    try {
      const mark = await unary(oracle, 'GetMark', { instrument, view: 'MARK_VIEW_BASIC' }, 2000);
      if (mark.status === 'MARK_STATUS_OK') return mark;
      last = `${mark.status} ${mark.status_reason}`;
    } catch (e) {
      last = `${grpc.status[e.code]}: ${e.details}`;
    }
    await sleep(100);
  }
  throw new Error(`GetMark(${instrument}) not MARK_STATUS_OK within ${MARK_OK_TIMEOUT_MS} ms (last: ${last}); oracled stderr:\n${oracledStderr}`);
}

function killOnExit() {
  if (oracled && !oracledExit) {
    try { oracled.kill('SIGKILL'); } catch { /* already gone */ }
  }
}

before(async () => {
  assert.ok(fs.existsSync(ORACLED), `oracled binary not found at ${ORACLED} (set ORACLED=/path/to/oracled)`);
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oracle-node-test-'));
  const ticks = path.join(tmpDir, 'ticks.jsonl');
  const portFile = path.join(tmpDir, 'port');
  writeTickLog(ticks);

  oracled = spawn(ORACLED, ['--listen', '127.0.0.1:0', '--port-file', portFile, '--replay', ticks], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  process.on('exit', killOnExit);
  oracled.stderr.setEncoding('utf8');
  oracled.stderr.on('data', (s) => { oracledStderr += s; });
  oracled.on('exit', (code, signal) => { oracledExit = { code, signal }; });
  oracled.on('error', (e) => { oracledExit = { code: null, signal: null }; oracledStderr += `spawn error: ${e.message}\n`; });

  const port = await waitForPortFile(portFile);
  address = `127.0.0.1:${port}`;

  const oracleV1 = loadPackage(path.join(PROTO_DIR, 'oracle', 'v1', 'oracle.proto')).oracle.v1;
  const healthV1 = loadPackage(path.join(GRPC_PROTO_DIR, 'grpc', 'health', 'v1', 'health.proto')).grpc.health.v1;
  const reflectionV1a = loadPackage(path.join(GRPC_PROTO_DIR, 'grpc', 'reflection', 'v1alpha', 'reflection.proto')).grpc.reflection.v1alpha;
  const creds = grpc.credentials.createInsecure();
  oracle = new oracleV1.OracleService(address, creds, CHANNEL_OPTIONS);
  health = new healthV1.Health(address, creds, CHANNEL_OPTIONS);
  reflection = new reflectionV1a.ServerReflection(address, creds, CHANNEL_OPTIONS);

  await waitForOkMark('ETH-USD');
  await waitForOkMark('USDE-USD');
}, { timeout: 45000 });

// Opens a stream and waits for its first message; resolves with a promise of how the stream ends.
async function openSubscriber() {
  const call = oracle.StreamMarks({ instruments: ['ETH-USD'], view: 'MARK_VIEW_BASIC' }, { deadline: deadline(30000) });
  const ended = new Promise((resolve) => {
    call.on('error', (e) => resolve({ code: e.code, details: e.details, metadata: e.metadata }));
    call.on('end', () => resolve({ code: grpc.status.OK, details: '' }));
  });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no first stream message within 5 s')), 5000);
    call.once('data', () => { clearTimeout(timer); resolve(); });
    call.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
  return { call, ended };
}

after(async () => {
  let subscriber = null;
  let subscriberError = null;
  try {
    if (oracled && !oracledExit) {
      // A keeper still subscribed when oracled stops must be told (UNAVAILABLE), not left hanging,
      // and must not keep the server from exiting.
      if (oracle) {
        try {
          subscriber = await openSubscriber();
        } catch (e) {
          subscriberError = e;  // reported after the server is stopped
        }
      }
      const exited = new Promise((resolve) => oracled.once('exit', (code, signal) => resolve({ code, signal })));
      oracled.kill('SIGTERM');
      const result = await withTimeout(exited, STOP_TIMEOUT_MS);
      if (result === null) {
        oracled.kill('SIGKILL');
        await exited;
        oracled.stderr.destroy();  // in case something it started still holds the pipe open
        assert.fail(`oracled did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM (killed with SIGKILL); stderr:\n${oracledStderr}`);
      }
      assert.deepEqual(result, { code: 0, signal: null }, `oracled exit after SIGTERM; stderr:\n${oracledStderr}`);
      if (subscriber) {
        const end = await withTimeout(subscriber.ended, 2000);
        assert.ok(end, 'the open stream ended when oracled stopped');
        assert.equal(end.code, grpc.status.UNAVAILABLE, `open stream status at shutdown: ${grpc.status[end.code]} "${end.details}"`);
        const bin = end.metadata ? end.metadata.get('grpc-status-details-bin') : [];
        assert.equal(bin.length, 1, `the shutdown status carries details: "${end.details}"`);
        const st = decodeRpcStatus(bin[0]);
        assert.equal(st.errorInfo?.reason, 'SERVER_SHUTTING_DOWN');
        assert.ok(st.retryInfo, 'RetryInfo: reconnect and subscribe again');
      }
      if (subscriberError) throw subscriberError;
    } else if (oracled) {
      assert.fail(`oracled exited before the tests ended (${JSON.stringify(oracledExit)}); stderr:\n${oracledStderr}`);
    }
  } finally {
    if (subscriber) subscriber.call.cancel();  // no-op once it ended
    for (const c of [oracle, health, reflection]) if (c) c.close();
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}, { timeout: STOP_TIMEOUT_MS + 15000 });

// ---------------------------------------------------------------------------------------------
// OracleService: reads

const ETH_FED_VENUES = ['binance', 'bitstamp', 'coinbase', 'kraken', 'okx'];
const ETH_CONFIGURED_VENUES = ['binance', 'bitfinex', 'bitget', 'bitstamp', 'bybit', 'coinbase', 'gate', 'htx', 'kraken', 'kucoin', 'okx'];

test('GetMark ETH-USD: OK mark with price, confidence, sources and a recent publish_time', async () => {
  const mark = await unary(oracle, 'GetMark', { instrument: 'ETH-USD' });
  assert.equal(mark.instrument, 'ETH-USD');
  assert.equal(mark.status, 'MARK_STATUS_OK');
  assert.equal(mark.status_reason, 'QUORUM_MET');

  const price = decimalValue(mark.price);
  assert.ok(price > 3500 && price < 4100, `ETH-USD price ${price} near 3800`);
  const confidence = decimalValue(mark.confidence);
  assert.equal(mark.confidence.exponent, mark.price.exponent, 'confidence has the price exponent');
  assert.ok(confidence >= 0 && confidence < price * 0.005, `confidence ${confidence} is small and non-negative`);

  const published = timestampMs(mark.publish_time);
  const now = Date.now();
  assert.ok(published <= now + 1000, `publish_time ${new Date(published).toISOString()} not in the future`);
  assert.ok(now - published < 5000, `publish_time ${new Date(published).toISOString()} is recent (now ${new Date(now).toISOString()})`);
  assert.ok(timestampMs(mark.last_good_time) === published, 'last_good_time equals publish_time when OK');
  assert.match(mark.sequence, /^\d+$/);
  assert.ok(BigInt(mark.sequence) > 0n, 'sequence > 0');

  assert.equal(mark.required_venue_count, 3);
  assert.ok(mark.used_venue_count >= 3 && mark.used_venue_count <= ETH_FED_VENUES.length, `used_venue_count ${mark.used_venue_count}`);
  assert.ok(mark.flags.includes('MARK_FLAG_QUOTE_CONVERTED'), `flags ${mark.flags} include QUOTE_CONVERTED (binance/okx quote in USDT)`);

  // Every configured source, used or excluded with its reason.
  const venues = mark.sources.map((s) => s.venue).sort();
  assert.deepEqual(venues, ETH_CONFIGURED_VENUES);
  let weight = 0;
  for (const s of mark.sources) {
    const fed = ETH_FED_VENUES.includes(s.venue);
    if (fed) {
      assert.equal(s.exclusion, 'EXCLUSION_REASON_NONE', `${s.venue} contributes`);
      const p = decimalValue(s.price);
      assert.ok(Math.abs(p - price) / price < 0.01, `${s.venue} price ${p} near the mark ${price}`);
      assert.ok(durationMs(s.age) < 5000, `${s.venue} age ${durationMs(s.age)} ms is fresh`);
      assert.ok(decimalValue(s.weight) > 0, `${s.venue} has weight`);
    } else {
      assert.equal(s.exclusion, 'EXCLUSION_REASON_NO_DATA', `${s.venue} (not in the log) has no data`);
      assert.equal(decimalValue(s.weight), 0, `${s.venue} has no weight`);
    }
    weight += decimalValue(s.weight);
    if (s.pair.endsWith('-USDT')) assert.equal(s.converted_via, 'USDT-USD', `${s.venue} ${s.pair} converted via USDT-USD`);
  }
  assert.ok(Math.abs(weight - 1) < 1e-5, `weights sum to 1 (got ${weight})`);
  const binance = mark.sources.find((s) => s.venue === 'binance');
  assert.equal(binance.pair, 'ETH-USDT');
  assert.ok(binance.native_price, 'converted source has native_price');
});

test('GetMark with view BASIC has no sources', async () => {
  const basic = await unary(oracle, 'GetMark', { instrument: 'ETH-USD', view: 'MARK_VIEW_BASIC' });
  assert.equal(basic.status, 'MARK_STATUS_OK');
  assert.ok(basic.price, 'price present');
  assert.deepEqual(basic.sources, []);
  const full = await unary(oracle, 'GetMark', { instrument: 'ETH-USD', view: 'MARK_VIEW_FULL' });
  assert.ok(full.sources.length > 0, 'FULL has sources');
});

test('GetMark USDT-USD and USDE-USD are OK and near 1.000', async () => {
  for (const instrument of ['USDT-USD', 'USDE-USD']) {
    const mark = await unary(oracle, 'GetMark', { instrument, view: 'MARK_VIEW_BASIC' });
    assert.equal(mark.status, 'MARK_STATUS_OK', `${instrument} status`);
    const p = decimalValue(mark.price);
    assert.ok(Math.abs(p - 1) < 0.005, `${instrument} price ${p} near 1`);
  }
});

test('BatchGetMarks: one result per name in request order, per-entry errors', async () => {
  const names = ['ETH-USD', 'NOPE-USD', 'WBETH-USD', 'USDT-USD', 'ETH-USD', 'BNSOL-USD'];
  const res = await unary(oracle, 'BatchGetMarks', { instruments: names });
  assert.deepEqual(res.results.map((r) => r.instrument), names, 'results in request order, duplicates answered');
  const [eth, nope, wbeth, usdt, eth2, bnsol] = res.results;

  assert.equal(eth.result, 'mark');
  assert.equal(eth.mark.instrument, 'ETH-USD');
  assert.equal(eth.mark.status, 'MARK_STATUS_OK');
  assert.ok(eth.mark.sources.length > 0, 'FULL view by default');
  assert.equal(eth2.result, 'mark');
  assert.equal(eth2.mark.status, 'MARK_STATUS_OK');

  // An entry's error is the google.rpc.Status GetMark would return, details packed as Any.
  assert.equal(nope.result, 'error_status');
  assert.equal(nope.mark, undefined);
  assert.equal(nope.error_status.code, grpc.status.NOT_FOUND);
  assert.ok(nope.error_status.message.startsWith('INSTRUMENT_NOT_FOUND: '), nope.error_status.message);
  assert.ok(nope.error_status.details.some((d) => d.type_url === 'type.googleapis.com/google.rpc.ErrorInfo'));

  // No price: an error entry (never a mark without a price), retryable.
  for (const r of [wbeth, bnsol]) {
    assert.equal(r.result, 'error_status', `${r.instrument} has no price: an error entry`);
    assert.equal(r.error_status.code, grpc.status.UNAVAILABLE);
    assert.ok(r.error_status.message.startsWith('MARK_UNAVAILABLE: '), r.error_status.message);
    assert.ok(r.error_status.message.includes('REDEMPTION_PRICING_UNAVAILABLE'), r.error_status.message);
    assert.ok(r.error_status.details.some((d) => d.type_url === 'type.googleapis.com/google.rpc.RetryInfo'));
  }

  assert.equal(usdt.result, 'mark');
  assert.equal(usdt.mark.status, 'MARK_STATUS_OK');
});

test('BatchGetMarks with view BASIC and max_age: sources left out, fresh marks pass', async () => {
  const res = await unary(oracle, 'BatchGetMarks', {
    instruments: ['ETH-USD', 'USDE-USD'],
    view: 'MARK_VIEW_BASIC',
    max_age: { seconds: 10, nanos: 0 },
  });
  assert.equal(res.results.length, 2);
  for (const r of res.results) {
    assert.equal(r.result, 'mark', `${r.instrument}: ${JSON.stringify(r.error_status)}`);
    assert.deepEqual(r.mark.sources, []);
  }
});

test('BatchGetMarks of exactly 1000 names is accepted', async () => {
  const res = await unary(oracle, 'BatchGetMarks', { instruments: Array(1000).fill('ETH-USD'), view: 'MARK_VIEW_BASIC' });
  assert.equal(res.results.length, 1000);
  assert.ok(res.results.every((r) => r.result === 'mark' && r.mark.instrument === 'ETH-USD'));
});

test('StreamMarks for two instruments: both arrive with increasing sequences, then cancel', async () => {
  const started = Date.now();
  const call = oracle.StreamMarks({ instruments: ['ETH-USD', 'USDE-USD'] }, { deadline: deadline(15000) });
  const per = { 'ETH-USD': [], 'USDE-USD': [] };
  const { messages, status } = await collectStream(call, (msgs) => {
    const last = msgs[msgs.length - 1].message;
    for (const m of last.marks) if (per[m.instrument]) per[m.instrument].push(m);
    return per['ETH-USD'].length >= 3 && per['USDE-USD'].length >= 3;
  }, 8000);
  assert.ok(messages.length > 0, 'received stream messages');
  for (const { message } of messages) {
    const names = message.marks.map((m) => m.instrument);
    assert.ok(names.length > 0, 'no empty stream message');
    assert.equal(new Set(names).size, names.length, 'at most one mark per instrument per message');
    for (const n of names) assert.ok(n in per, `only subscribed instruments (got ${n})`);
  }
  for (const [name, marks] of Object.entries(per)) {
    assert.ok(marks.length >= 3, `${name}: ${marks.length} marks within ${Date.now() - started} ms`);
    for (let i = 1; i < marks.length; ++i) {
      assert.ok(BigInt(marks[i].sequence) > BigInt(marks[i - 1].sequence),
        `${name} sequence increases: ${marks.map((m) => m.sequence).join(',')}`);
    }
    assert.ok(marks[0].sources.length > 0, 'FULL view by default');
  }
  assert.ok(Date.now() - started < 8000, 'marks of both arrived within a few seconds');
  assert.ok(status && status.code === grpc.status.CANCELLED, 'the stream ended by our cancel');
  // The server is still fine after the cancel.
  const mark = await unary(oracle, 'GetMark', { instrument: 'ETH-USD', view: 'MARK_VIEW_BASIC' });
  assert.equal(mark.status, 'MARK_STATUS_OK');
});

test('StreamMarks with deviation_bps, heartbeat, min_interval and BASIC view', async () => {
  // deviation 100%: after the first mark only heartbeats (1 s) are due.
  const call = oracle.StreamMarks({
    instruments: ['ETH-USD'],
    deviation_bps: 10000,
    heartbeat: { seconds: 1, nanos: 0 },
    min_interval: { seconds: 0, nanos: 200000000 },
    view: 'MARK_VIEW_BASIC',
  }, { deadline: deadline(15000) });
  const { messages, status } = await collectStream(call, (msgs) => msgs.length >= 3, 6000);
  assert.ok(status && status.code === grpc.status.CANCELLED, 'the stream ended by our cancel');
  assert.ok(messages.length >= 3, `got ${messages.length} messages in 6 s (heartbeat 1 s)`);
  for (const { message } of messages) {
    assert.equal(message.marks.length, 1);
    assert.equal(message.marks[0].instrument, 'ETH-USD');
    assert.deepEqual(message.marks[0].sources, [], 'BASIC view');
  }
  for (let i = 1; i < messages.length; ++i) {
    const gap = messages[i].at - messages[i - 1].at;
    // Without the filter marks come every publish interval (100 ms).
    assert.ok(gap >= 700, `gap between heartbeats ${gap} ms (~1000 expected)`);
    assert.ok(BigInt(messages[i].message.marks[0].sequence) >= BigInt(messages[i - 1].message.marks[0].sequence));
  }
});

test('ListInstruments: page_size 2 walks every page and matches one big page', async () => {
  const big = await unary(oracle, 'ListInstruments', { page_size: 1000 });
  assert.equal(big.next_page_token, '', 'one page holds everything');
  const all = big.instruments.map((i) => i.name);
  assert.ok(all.length >= 3, `${all.length} instruments`);
  for (const n of ['USDT-USD', 'USDE-USD', 'ETH-USD', 'WBETH-USD', 'BNSOL-USD']) assert.ok(all.includes(n), `${n} listed`);

  const walked = [];
  let token = '';
  let pages = 0;
  do {
    const page = await unary(oracle, 'ListInstruments', { page_size: 2, page_token: token });
    assert.ok(page.instruments.length <= 2, 'at most page_size per page');
    assert.ok(page.instruments.length > 0, 'no empty page');
    walked.push(...page.instruments.map((i) => i.name));
    token = page.next_page_token;
    assert.ok(++pages <= 100, 'paging terminates');
  } while (token !== '');
  assert.deepEqual(walked, all, 'pages concatenate to the single big page');
  assert.equal(pages, Math.ceil(all.length / 2));

  const dflt = await unary(oracle, 'ListInstruments', {});
  assert.deepEqual(dflt.instruments.map((i) => i.name), all, 'default page size (100) holds all');

  const eth = big.instruments.find((i) => i.name === 'ETH-USD');
  assert.equal(eth.base, 'ETH');
  assert.equal(eth.quote, 'USD');
  assert.equal(eth.pricing, 'PRICING_METHOD_MARKET');
  assert.equal(eth.methodology.min_venue_count, 3);
  assert.ok(durationMs(eth.methodology.twap_window) > 0);
  assert.deepEqual(eth.sources.map((s) => s.venue).sort(), ETH_CONFIGURED_VENUES);
  const wbeth = big.instruments.find((i) => i.name === 'WBETH-USD');
  assert.equal(wbeth.pricing, 'PRICING_METHOD_REDEMPTION');
  assert.equal(wbeth.redemption_underlying, 'ETH-USD');
  // The redemption policy and guards (config defaults for WBETH-USD).
  assert.equal(wbeth.redemption.policy, 'REDEMPTION_POLICY_REDEMPTION_UNLESS_DEPEG');
  assert.equal(wbeth.redemption.max_yearly_growth_bps, 1500);
  assert.equal(wbeth.redemption.depeg_threshold_bps, 200);
  assert.equal(wbeth.redemption.depeg_min_venue_count, wbeth.methodology.min_venue_count);
  assert.equal(durationMs(wbeth.redemption.depeg_min_duration), 15 * 60 * 1000);
  assert.ok(wbeth.redemption.max_ratio, 'max_ratio set');
  assert.equal(eth.redemption, null, 'market-priced instruments have no redemption settings');
});

test('ListVenues: fed venues connected with messages, unfed ones not', async () => {
  const res = await unary(oracle, 'ListVenues', {});
  assert.equal(res.next_page_token, '');
  const byName = Object.fromEntries(res.venues.map((v) => [v.name, v]));
  const binance = byName.binance;
  assert.ok(binance, 'binance listed');
  assert.equal(binance.display_name, 'Binance');
  assert.equal(binance.connected, true);
  assert.ok(BigInt(binance.message_count) > 0n, `binance.message_count ${binance.message_count}`);
  assert.ok(binance.source_count > 0, 'binance has sources');
  assert.ok(durationMs(binance.last_message_age) < 5000, 'binance heard from recently');
  assert.ok(Math.abs(timestampMs(binance.last_message_time) - Date.now()) < 5000, 'last_message_time recent');
  for (const v of ['coinbase', 'kraken', 'bitstamp', 'okx', 'bybit']) {
    assert.equal(byName[v]?.connected, true, `${v} connected`);
    assert.ok(BigInt(byName[v].message_count) > 0n, `${v} has messages`);
    assert.equal(byName[v].rejected_frame_count, '0', `${v}: no line of the test's tick log was rejected`);
  }
  const gate = byName.gate;
  assert.ok(gate, 'gate listed (configured, not in the log)');
  assert.equal(gate.connected, false);
  assert.equal(gate.message_count, '0');
  assert.equal(gate.last_message_age, null);

  const p1 = await unary(oracle, 'ListVenues', { page_size: 2 });
  assert.equal(p1.venues.length, 2);
  assert.notEqual(p1.next_page_token, '');
  const p2 = await unary(oracle, 'ListVenues', { page_size: 2, page_token: p1.next_page_token });
  assert.deepEqual([...p1.venues, ...p2.venues].map((v) => v.name), res.venues.slice(0, 4).map((v) => v.name));
});

// ---------------------------------------------------------------------------------------------
// Health and reflection

test('health Check: "" and oracle.v1.OracleService are SERVING', async () => {
  // Readiness follows the first round of marks through the server's health thread (it samples
  // every 100 ms): SERVING may come a moment after the first OK mark, so wait up to 10 s.
  for (const service of ['', 'oracle.v1.OracleService']) {
    let res = await unary(health, 'Check', { service });
    for (const until = Date.now() + 10000; res.status !== 'SERVING' && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 20));
      res = await unary(health, 'Check', { service });
    }
    assert.equal(res.status, 'SERVING', `health of "${service}"`);
  }
  await expectGrpcError(unary(health, 'Check', { service: 'no.such.Service' }), grpc.status.NOT_FOUND);
});

test('reflection v1alpha: list_services and file_containing_symbol', async () => {
  const responses = await new Promise((resolve, reject) => {
    const call = reflection.ServerReflectionInfo({ deadline: deadline() });
    const got = [];
    call.on('data', (r) => {
      got.push(r);
      if (got.length === 2) call.end();
    });
    call.on('error', reject);
    call.on('end', () => resolve(got));
    call.write({ host: '', list_services: '' });
    call.write({ host: '', file_containing_symbol: 'oracle.v1.OracleService' });
  });
  assert.equal(responses.length, 2);
  const [list, file] = responses;

  assert.equal(list.message_response, 'list_services_response', JSON.stringify(list.error_response));
  const services = list.list_services_response.service.map((s) => s.name);
  assert.ok(services.includes('oracle.v1.OracleService'), `services: ${services}`);
  assert.ok(services.includes('grpc.health.v1.Health'), `services: ${services}`);
  assert.equal(list.original_request.message_request, 'list_services');

  assert.equal(file.message_response, 'file_descriptor_response', JSON.stringify(file.error_response));
  const protos = file.file_descriptor_response.file_descriptor_proto;
  assert.ok(protos.length >= 1, 'at least one file descriptor');
  const decoded = protos.map((b) => decodeFileDescriptor(Buffer.from(b)));
  const oracleFile = decoded.find((d) => d.package === 'oracle.v1');
  assert.ok(oracleFile, `a descriptor of package oracle.v1 among ${decoded.map((d) => d.name)}`);
  assert.equal(oracleFile.name, 'oracle/v1/oracle.proto');
  assert.ok(oracleFile.dependencies.includes('google/protobuf/timestamp.proto'));
  const svc = oracleFile.services.find((s) => s.name === 'OracleService');
  assert.ok(svc, 'descriptor defines OracleService');
  // The server describes the same methods as the repository's oracle.proto (which this client uses).
  assert.deepEqual([...svc.methods].sort(), Object.keys(oracle.constructor.service).sort());
  for (const m of ['BatchGetMarks', 'GetMark', 'ListInstruments', 'ListVenues', 'StreamMarks']) {
    assert.ok(svc.methods.includes(m), `reflection lists ${m}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Bad requests

test('GetMark of an unknown instrument: NOT_FOUND INSTRUMENT_NOT_FOUND', async () => {
  const err = await expectGrpcError(unary(oracle, 'GetMark', { instrument: 'NOPE-USD' }), grpc.status.NOT_FOUND, 'INSTRUMENT_NOT_FOUND');
  assert.ok(err.details.includes('NOPE-USD'), `message names the instrument: ${err.details}`);
});

test('GetMark with an empty or malformed name: INVALID_ARGUMENT INVALID_INSTRUMENT_NAME', async () => {
  await expectGrpcError(unary(oracle, 'GetMark', { instrument: '' }), grpc.status.INVALID_ARGUMENT, 'INVALID_INSTRUMENT_NAME');
  await expectGrpcError(unary(oracle, 'GetMark', { instrument: 'eth usd' }), grpc.status.INVALID_ARGUMENT, 'INVALID_INSTRUMENT_NAME');
});

test('BatchGetMarks of 1001 names: INVALID_ARGUMENT BATCH_TOO_LARGE', async () => {
  await expectGrpcError(unary(oracle, 'BatchGetMarks', { instruments: Array(1001).fill('ETH-USD') }),
    grpc.status.INVALID_ARGUMENT, 'BATCH_TOO_LARGE');
  await expectGrpcError(unary(oracle, 'BatchGetMarks', { instruments: [] }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
});

test('GetMark with max_age of 1 ns: FAILED_PRECONDITION MARK_STALE', async () => {
  await expectGrpcError(unary(oracle, 'GetMark', { instrument: 'ETH-USD', max_age: { seconds: 0, nanos: 1 } }),
    grpc.status.FAILED_PRECONDITION, 'MARK_STALE');
  // The same in a batch is a per-entry error.
  const res = await unary(oracle, 'BatchGetMarks', { instruments: ['ETH-USD'], max_age: { seconds: 0, nanos: 1 } });
  assert.equal(res.results[0].result, 'error_status');
  assert.equal(res.results[0].error_status.code, grpc.status.FAILED_PRECONDITION);
  assert.ok(res.results[0].error_status.message.startsWith('MARK_STALE: '));
});

// max_confidence_bps: a margin engine's own tolerance for uncertainty, judged per entry in a batch.
// The ErrorInfo of a batch entry (an Any in its error_status.details), decoded from the wire bytes.
function entryErrorInfo(errorStatus) {
  const any = errorStatus.details.find((d) => d.type_url === TYPE_PREFIX + 'google.rpc.ErrorInfo');
  assert.ok(any, `ErrorInfo in the entry's details (got ${errorStatus.details.map((d) => d.type_url).join(', ')})`);
  const fields = readFields(Buffer.from(any.value));
  const str = (n) => fields.find((y) => y.field === n)?.value.toString('utf8') ?? '';
  const metadata = {};
  for (const e of fields.filter((y) => y.field === 3)) {
    const kv = readFields(e.value);
    metadata[kv.find((y) => y.field === 1)?.value.toString('utf8') ?? ''] = kv.find((y) => y.field === 2)?.value.toString('utf8') ?? '';
  }
  return { reason: str(1), domain: str(2), metadata };
}

// confidence / |price| in bps (approximately: only to choose a limit far from both marks).
const confidenceBps = (mark) => (decimalValue(mark.confidence) / Math.abs(decimalValue(mark.price))) * 10000;

test('max_confidence_bps: a wide mark is CONFIDENCE_TOO_WIDE with ErrorInfo metadata, per entry in a batch', async () => {
  await waitForOkMark('SOL-USD');
  const sol = await unary(oracle, 'GetMark', { instrument: 'SOL-USD', view: 'MARK_VIEW_BASIC' });
  const eth = await unary(oracle, 'GetMark', { instrument: 'ETH-USD', view: 'MARK_VIEW_BASIC' });
  // The tick log makes SOL-USD tens of bps wide and ETH-USD well under 1 bp; 5 bps lies between.
  assert.ok(confidenceBps(sol) > 10, `SOL-USD confidence ${confidenceBps(sol)} bps`);
  assert.ok(confidenceBps(eth) < 2, `ETH-USD confidence ${confidenceBps(eth)} bps`);
  const LIMIT = 5;

  const err = await expectGrpcError(unary(oracle, 'GetMark', { instrument: 'SOL-USD', max_confidence_bps: LIMIT }),
    grpc.status.FAILED_PRECONDITION, 'CONFIDENCE_TOO_WIDE');
  const info = err.rpcStatus.errorInfo;
  assert.equal(info.metadata.instrument, 'SOL-USD');
  assert.equal(info.metadata.maxConfidenceBps, String(LIMIT));
  assert.match(info.metadata.confidenceBps, /^\d+(\.\d{1,2})?$/, 'confidenceBps is a decimal number');
  assert.ok(Number(info.metadata.confidenceBps) > LIMIT, `confidenceBps ${info.metadata.confidenceBps} > ${LIMIT}`);
  assert.ok(err.details.includes('SOL-USD') && err.details.includes(`max_confidence_bps ${LIMIT}`), err.details);
  assert.equal(err.rpcStatus.retryInfo, null, 'not retryable as is');
  assert.equal(err.rpcStatus.badRequest, null, 'the request was fine');

  // A narrow mark passes the same limit; 0 (the default) is no limit; a generous limit passes too.
  const ok = await unary(oracle, 'GetMark', { instrument: 'ETH-USD', max_confidence_bps: LIMIT, view: 'MARK_VIEW_BASIC' });
  assert.equal(ok.status, 'MARK_STATUS_OK');
  await unary(oracle, 'GetMark', { instrument: 'SOL-USD', view: 'MARK_VIEW_BASIC' });
  await unary(oracle, 'GetMark', { instrument: 'SOL-USD', max_confidence_bps: 100000, view: 'MARK_VIEW_BASIC' });

  // In a batch the wide entry gets the error in its error_status, the others their marks.
  const names = ['ETH-USD', 'SOL-USD', 'USDT-USD', 'NOPE-USD'];
  const res = await unary(oracle, 'BatchGetMarks', { instruments: names, max_confidence_bps: LIMIT, view: 'MARK_VIEW_BASIC' });
  assert.deepEqual(res.results.map((r) => r.instrument), names);
  const [ethEntry, solEntry, usdtEntry, nopeEntry] = res.results;
  assert.equal(ethEntry.result, 'mark', JSON.stringify(ethEntry.error_status));
  assert.equal(usdtEntry.result, 'mark', JSON.stringify(usdtEntry.error_status));
  assert.equal(solEntry.result, 'error_status');
  assert.equal(solEntry.error_status.code, grpc.status.FAILED_PRECONDITION);
  assert.ok(solEntry.error_status.message.startsWith('CONFIDENCE_TOO_WIDE: '), solEntry.error_status.message);
  const entryInfo = entryErrorInfo(solEntry.error_status);
  assert.equal(entryInfo.reason, 'CONFIDENCE_TOO_WIDE');
  assert.equal(entryInfo.domain, 'oracle.markoracle.org');
  assert.equal(entryInfo.metadata.instrument, 'SOL-USD');
  assert.equal(entryInfo.metadata.maxConfidenceBps, String(LIMIT));
  assert.ok(Number(entryInfo.metadata.confidenceBps) > LIMIT, `entry confidenceBps ${entryInfo.metadata.confidenceBps}`);
  assert.equal(nopeEntry.error_status.code, grpc.status.NOT_FOUND, 'other entries keep their own errors');

  // A negative limit is a bad request for the whole call, naming the field.
  for (const method of ['GetMark', 'BatchGetMarks']) {
    const req = method === 'GetMark' ? { instrument: 'ETH-USD', max_confidence_bps: -1 } : { instruments: ['ETH-USD'], max_confidence_bps: -1 };
    const bad = await expectGrpcError(unary(oracle, method, req), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    assert.equal(bad.rpcStatus.badRequest.fieldViolations[0].field, 'max_confidence_bps', `${method} names the field`);
  }
});

// The done-when of the standard error model: an independent client reads the reason and the
// retry delay of a refused call from grpc-status-details-bin, decoding google.rpc.Status itself.
test('GetMark of a price-less instrument: UNAVAILABLE, ErrorInfo MARK_UNAVAILABLE and RetryInfo in grpc-status-details-bin', async () => {
  // The log has no BTC ticks: BTC-USD is published UNAVAILABLE (NO_DATA_YET), without a price.
  const err = await expectGrpcError(unary(oracle, 'GetMark', { instrument: 'BTC-USD' }),
    grpc.status.UNAVAILABLE, 'MARK_UNAVAILABLE');
  const st = err.rpcStatus;
  assert.equal(st.errorInfo.metadata.instrument, 'BTC-USD');
  assert.equal(st.errorInfo.metadata.markStatus, 'UNAVAILABLE');
  assert.equal(st.errorInfo.metadata.statusReason, 'NO_DATA_YET');
  assert.ok(st.retryInfo, `RetryInfo in the details (got ${st.details.join(', ')})`);
  assert.equal(st.retryInfo.retryDelayMs, 1000);
  assert.equal(st.badRequest, null, 'no BadRequest: the request was fine');
  // Unknown names are not retryable: no RetryInfo.
  const nope = await expectGrpcError(unary(oracle, 'GetMark', { instrument: 'NOPE-USD' }),
    grpc.status.NOT_FOUND, 'INSTRUMENT_NOT_FOUND');
  assert.equal(nope.rpcStatus.retryInfo, null);
  assert.equal(nope.rpcStatus.errorInfo.metadata.instrument, 'NOPE-USD');
});

test('StreamMarks of a price-less instrument sends its status, never a price', async () => {
  const call = oracle.StreamMarks({ instruments: ['BTC-USD'] }, { deadline: deadline() });
  const { messages } = await collectStream(call, (m) => m.length >= 1, 3000);
  assert.ok(messages.length >= 1, 'the first message carries the current mark');
  const mark = messages[0].message.marks[0];
  assert.equal(mark.status, 'MARK_STATUS_UNAVAILABLE');
  assert.equal(mark.price, null);
  assert.equal(mark.confidence, null);
});

test('StreamMarks with an unknown instrument: NOT_FOUND INSTRUMENT_NOT_FOUND', async () => {
  const call = oracle.StreamMarks({ instruments: ['ETH-USD', 'NOPE-USD'] }, { deadline: deadline() });
  await expectGrpcError(streamFailure(call), grpc.status.NOT_FOUND, 'INSTRUMENT_NOT_FOUND');
});

test('other invalid arguments: INVALID_ARGUMENT', async () => {
  const stream = (req) => streamFailure(oracle.StreamMarks(req, { deadline: deadline() }));
  await expectGrpcError(stream({ instruments: [] }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
  await expectGrpcError(stream({ instruments: ['ETH-USD'], deviation_bps: 100001 }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
  await expectGrpcError(stream({ instruments: ['ETH-USD'], heartbeat: { seconds: -1, nanos: 0 } }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
  await expectGrpcError(stream({ instruments: [''] }), grpc.status.INVALID_ARGUMENT, 'INVALID_INSTRUMENT_NAME');
  await expectGrpcError(unary(oracle, 'GetMark', { instrument: 'ETH-USD', max_age: { seconds: -1, nanos: 0 } }),
    grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
  await expectGrpcError(unary(oracle, 'ListInstruments', { page_size: -1 }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
});

test('bad page_token: INVALID_ARGUMENT INVALID_PAGE_TOKEN', async () => {
  await expectGrpcError(unary(oracle, 'ListInstruments', { page_size: 2, page_token: 'garbage' }),
    grpc.status.INVALID_ARGUMENT, 'INVALID_PAGE_TOKEN');
  await expectGrpcError(unary(oracle, 'ListVenues', { page_token: 'p2' }),
    grpc.status.INVALID_ARGUMENT, 'INVALID_PAGE_TOKEN');
  // Tokens are bound to the list that issued them (AIP-158).
  const first = await unary(oracle, 'ListInstruments', { page_size: 1 });
  assert.notEqual(first.next_page_token, '');
  assert.ok(!/^p\d+$/.test(first.next_page_token), `opaque token, got ${first.next_page_token}`);
  await expectGrpcError(unary(oracle, 'ListVenues', { page_size: 1, page_token: first.next_page_token }),
    grpc.status.INVALID_ARGUMENT, 'INVALID_PAGE_TOKEN');
});

test('page_size above the maximum is coerced to it, not refused (AIP-158)', async () => {
  const all = await unary(oracle, 'ListInstruments', { page_size: 1000 });
  const huge = await unary(oracle, 'ListInstruments', { page_size: 2000000000 });
  assert.deepEqual(huge.instruments.map((i) => i.name), all.instruments.map((i) => i.name));
  assert.equal(huge.next_page_token, '');
  const venues = await unary(oracle, 'ListVenues', { page_size: 2000000000 });
  assert.equal(venues.next_page_token, '');
  assert.ok(venues.venues.length > 0);
});
