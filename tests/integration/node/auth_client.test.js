// The permission table from an independent client: a Node.js client (@grpc/grpc-js, built only
// from the published .proto files) calls every RPC of a real oracled started with a token file,
// with no token, a wrong token and each role's token, and checks the refusals (UNAUTHENTICATED /
// PERMISSION_DENIED and their reason) against the README's table, then the counts in
// GetServerStatus.auth.
//
//   ORACLED=/path/to/oracled node --test auth_client.test.js
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const PROTO_DIR = path.join(REPO_ROOT, 'proto');
const GOOGLEAPIS_DIR = process.env.GOOGLEAPIS_DIR || '/usr/share/gocode/src/github.com/gogo/googleapis';
const ORACLED = path.resolve(process.env.ORACLED || path.join(REPO_ROOT, 'build', 'oracled'));
const CHANNEL_OPTIONS = { 'grpc.enable_http_proxy': 0 };
const LOADER_OPTIONS = {
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
  includeDirs: [PROTO_DIR, GOOGLEAPIS_DIR, ...(fs.existsSync('/usr/include/google/protobuf') ? ['/usr/include'] : [])],
};

const ROLES = ['MARGIN_ENGINE', 'KEEPER', 'AUDITOR', 'OPERATOR'];
// The README's "Callers and roles" table, written out here independently of the server.
const ALLOWED = {
  GetMark: ['MARGIN_ENGINE', 'KEEPER', 'OPERATOR'],
  BatchGetMarks: ['MARGIN_ENGINE', 'KEEPER', 'OPERATOR'],
  StreamMarks: ['MARGIN_ENGINE', 'KEEPER', 'OPERATOR'],
  ListInstruments: ['MARGIN_ENGINE', 'KEEPER', 'AUDITOR', 'OPERATOR'],
  ListVenues: ['MARGIN_ENGINE', 'KEEPER', 'AUDITOR', 'OPERATOR'],
  GetServerStatus: ['OPERATOR'],
  ListMarks: ['AUDITOR', 'OPERATOR'],
  GetMarkAt: ['AUDITOR', 'OPERATOR'],
  GetTwap: ['AUDITOR', 'OPERATOR'],
  ListEvents: ['AUDITOR', 'OPERATOR'],
  VerifyMark: ['AUDITOR', 'OPERATOR'],
};

let oracled = null;
let stderr = '';
let tmpDir = null;
let oracle = null;
let audit = null;

const tokenOf = (role) => `node-secret-${role}`;
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
const deadline = (ms) => new Date(Date.now() + ms);

function metadataFor(authorization) {
  const md = new grpc.Metadata();
  if (authorization) md.set('authorization', authorization);
  return md;
}

before(async () => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oracle-node-auth-'));
  const tokens = path.join(tmpDir, 'tokens');
  fs.writeFileSync(tokens, ROLES.map((r) => `node-${r} ${r} ${sha256(tokenOf(r))}`).join('\n') + '\n');
  const portFile = path.join(tmpDir, 'port');
  oracled = spawn(ORACLED, ['--listen', '127.0.0.1:0', '--port-file', portFile, '--auth-tokens', tokens],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  oracled.stderr.on('data', (d) => { stderr += d.toString(); });
  const start = Date.now();
  while (!fs.existsSync(portFile) || fs.readFileSync(portFile, 'utf8').trim() === '') {
    if (Date.now() - start > 15000) throw new Error(`oracled did not start; stderr:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const address = `127.0.0.1:${fs.readFileSync(portFile, 'utf8').trim()}`;
  const load = (f) => grpc.loadPackageDefinition(protoLoader.loadSync(f, LOADER_OPTIONS));
  const v1 = load(path.join(PROTO_DIR, 'oracle', 'v1', 'oracle.proto')).oracle.v1;
  const av1 = load(path.join(PROTO_DIR, 'oracle', 'v1', 'audit.proto')).oracle.v1;
  const creds = grpc.credentials.createInsecure();
  oracle = new v1.OracleService(address, creds, CHANNEL_OPTIONS);
  audit = new av1.AuditService(address, creds, CHANNEL_OPTIONS);
}, { timeout: 30000 });

after(async () => {
  for (const c of [oracle, audit]) if (c) c.close();
  if (oracled) {
    const exited = new Promise((resolve) => oracled.once('exit', (code) => resolve(code)));
    oracled.kill('SIGTERM');
    const code = await exited;
    assert.equal(code, 0, `oracled exit code after SIGTERM; stderr:\n${stderr}`);
  }
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
}, { timeout: 20000 });

// One call of `rpc` with `authorization`; resolves { code, reason } (code 0 for OK).
function call(rpc, authorization) {
  const md = metadataFor(authorization);
  const opts = { deadline: deadline(5000) };
  const finish = (resolve) => (err) => resolve(err
    ? { code: err.code, reason: (err.metadata?.get('oracle-error-reason') || [''])[0].toString(), details: err.details }
    : { code: grpc.status.OK, reason: '' });
  return new Promise((resolve) => {
    const done = finish(resolve);
    const unary = (client, method, req) => client[method](req, md, opts, (err) => done(err));
    switch (rpc) {
      case 'GetMark': return unary(oracle, rpc, { instrument: 'ETH-USD' });
      case 'BatchGetMarks': return unary(oracle, rpc, { instruments: ['ETH-USD'] });
      case 'ListInstruments': return unary(oracle, rpc, {});
      case 'ListVenues': return unary(oracle, rpc, {});
      case 'GetServerStatus': return unary(oracle, rpc, {});
      case 'StreamMarks': {
        const s = oracle.StreamMarks({ instruments: ['ETH-USD'] }, md, opts);
        s.on('data', () => { s.cancel(); });
        s.on('error', (e) => done(e.code === grpc.status.CANCELLED ? null : e));
        s.on('end', () => done(null));
        return undefined;
      }
      default: return unary(audit, rpc, { instrument: 'ETH-USD' });
    }
  });
}

test('every RPC x (no token, wrong token, token without "Bearer", each role) matches the table', async () => {
  let unauthenticated = 0;
  let denied = 0;
  for (const [rpc, who] of Object.entries(ALLOWED)) {
    for (const auth of ['', 'Bearer not-issued', tokenOf('OPERATOR')]) {
      const r = await call(rpc, auth);
      assert.equal(r.code, grpc.status.UNAUTHENTICATED, `${rpc} with "${auth}": ${r.details}`);
      assert.equal(r.reason, 'UNAUTHENTICATED', rpc);
      unauthenticated += 1;
    }
    for (const role of ROLES) {
      const r = await call(rpc, `Bearer ${tokenOf(role)}`);
      if (who.includes(role)) {
        assert.ok(r.code !== grpc.status.UNAUTHENTICATED && r.code !== grpc.status.PERMISSION_DENIED,
          `${rpc} as ${role} was refused: ${grpc.status[r.code]} ${r.details}`);
      } else {
        assert.equal(r.code, grpc.status.PERMISSION_DENIED, `${rpc} as ${role}: ${r.details}`);
        assert.equal(r.reason, 'PERMISSION_DENIED', rpc);
        assert.match(r.details, new RegExp(`node-${role}`));
        denied += 1;
      }
    }
  }
  const status = await new Promise((resolve, reject) => oracle.GetServerStatus({},
    metadataFor(`Bearer ${tokenOf('OPERATOR')}`), { deadline: deadline(5000) },
    (err, s) => (err ? reject(err) : resolve(s))));
  assert.equal(status.auth.mode, 'tokens');
  assert.equal(Number(status.auth.refusal_counts.UNAUTHENTICATED), unauthenticated);
  assert.equal(Number(status.auth.refusal_counts.PERMISSION_DENIED), denied);
  assert.equal(Number(status.auth.refusals_by_identity['-']), unauthenticated);
  assert.ok(!stderr.includes('node-secret'), 'a token appeared in the server log');
});
