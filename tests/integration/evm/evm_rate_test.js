// The eth_call rate provider against a real EVM node: compiles ExchangeRate.sol with solc-js,
// starts ganache on 127.0.0.1 in a child process, deploys the contract at a rate of 1.0712, and
// drives evm_rate_probe (RateProviderSource pointed at ganache and at a dead loopback port):
//
//   probe reads 1.0712 (dead endpoint skipped, named in its error; reverts and "no contract"
//   decoded from ganache's own replies) -> READY update -> we set 1.0725 as the owner (and check
//   a non-owner cannot) -> probe reads 1.0725 -> READY kill -> we SIGKILL ganache -> probe checks
//   failures are counted, nothing is pushed, the error names both endpoints and why, and Stop()
//   is prompt.
//
//   node evm_rate_test.js <path/to/evm_rate_probe>
//
// Exits 0 on success, 1 on failure. Contacts nothing but 127.0.0.1.
'use strict';
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');
const solc = require('solc');

const here = __dirname;
const probePath = process.argv[2];
const kOverallTimeoutMs = 90_000;
const kInitialRate = 1_071_200_000_000_000_000n;  // 1.0712e18
const kNewRate = 1_072_500_000_000_000_000n;      // 1.0725e18

const children = [];
function cleanup() {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}
function fail(message) {
  console.error(`evm_rate_test: FAIL: ${message}`);
  cleanup();
  process.exit(1);
}
process.on('uncaughtException', (e) => fail(e.stack || String(e)));
process.on('unhandledRejection', (e) => fail((e && e.stack) || String(e)));
setTimeout(() => fail(`did not finish within ${kOverallTimeoutMs / 1000} s`), kOverallTimeoutMs)
    .unref();

function word(n) {
  return n.toString(16).padStart(64, '0');
}

function compile() {
  const input = {
    language: 'Solidity',
    sources: { 'ExchangeRate.sol': { content: fs.readFileSync(path.join(here, 'ExchangeRate.sol'), 'utf8') } },
    settings: {
      evmVersion: 'paris',  // no PUSH0/MCOPY: any ganache hardfork runs it
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.methodIdentifiers'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  if (errors.length > 0) fail(`solc: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const c = out.contracts['ExchangeRate.sol'].ExchangeRate;
  return { bytecode: c.evm.bytecode.object, ids: c.evm.methodIdentifiers };
}

// Waits for lines of a child's stdout (echoed as they come) that satisfy a predicate.
function lineReader(stream, name) {
  const lines = [];
  let cursor = 0;
  let pending = null;
  const pump = () => {
    while (pending && cursor < lines.length) {
      const line = lines[cursor++];
      if (pending.predicate(line)) {
        clearTimeout(pending.timer);
        const { resolve } = pending;
        pending = null;
        resolve(line);
      }
    }
  };
  readline.createInterface({ input: stream }).on('line', (line) => {
    console.log(`  [${name}] ${line}`);
    lines.push(line);
    pump();
  });
  return (predicate, timeoutMs, what) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending = null;
      reject(new Error(`timed out waiting for ${what} from ${name}`));
    }, timeoutMs);
    pending = { predicate, resolve, timer };
    pump();
  });
}

function freeDeadPort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function main() {
  if (!probePath) fail('usage: node evm_rate_test.js <path/to/evm_rate_probe>');
  const t0 = Date.now();
  const { bytecode, ids } = compile();
  console.log(`evm_rate_test: compiled ExchangeRate.sol with solc ${solc.version()} ` +
              `(${Date.now() - t0} ms)`);
  assert.equal(ids['exchangeRate()'], '3ba0b9a9', 'the wBETH selector');

  const ganache = spawn(process.execPath, [path.join(here, 'ganache_server.js')],
                        { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(ganache);
  const ganacheLines = lineReader(ganache.stdout, 'ganache');
  const listening = await ganacheLines((l) => l.startsWith('listening '), 30_000, 'listening');
  const url = `http://127.0.0.1:${listening.split(' ')[1]}`;
  console.log(`evm_rate_test: ganache ${require('ganache/package.json').version} at ${url}`);

  let nextId = 1;
  async function rpc(method, params) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
    });
    return res.json();
  }
  async function call(method, params) {
    const r = await rpc(method, params);
    if (r.error) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.result;
  }
  async function mined(txHash) {
    const receipt = await call('eth_getTransactionReceipt', [txHash]);
    assert.ok(receipt, `no receipt for ${txHash}`);
    return receipt;
  }

  const [owner, stranger] = await call('eth_accounts', []);
  const deployTx = await call('eth_sendTransaction', [{
    from: owner, data: `0x${bytecode}${word(kInitialRate)}`, gas: '0x2dc6c0',
  }]);
  const deployed = await mined(deployTx);
  assert.equal(deployed.status, '0x1', 'deployment succeeded');
  const contract = deployed.contractAddress;
  console.log(`evm_rate_test: ExchangeRate deployed at ${contract}`);
  assert.equal(await call('eth_call', [{ to: contract, data: '0x3ba0b9a9' }, 'latest']),
               `0x${word(kInitialRate)}`);
  // What ganache says for a revert, for the record (the probe decodes it from its own calls).
  const revert = await rpc('eth_call', [{ to: contract, data: `0x${ids['haltedRate()']}` }, 'latest']);
  console.log(`evm_rate_test: ganache revert reply: ${JSON.stringify(revert.error)}`);

  const deadUrl = `http://127.0.0.1:${await freeDeadPort()}`;
  const probe = spawn(probePath, [
    '--rpc', url, '--dead', deadUrl, '--contract', contract,
    '--halted-data', `0x${ids['haltedRate()']}`, '--broken-data', `0x${ids['brokenRate()']}`,
    '--rate', '1.0712', '--new-rate', '1.0725',
  ], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(probe);
  const probeExit = new Promise((resolve) => probe.on('exit', (code, signal) => {
    if (code !== 0) fail(`evm_rate_probe exited with ${code === null ? signal : code}`);
    resolve();
  }));
  const probeLines = lineReader(probe.stdout, 'probe');

  await probeLines((l) => l === 'READY update', 30_000, 'READY update');
  const setData = `0x${ids['setExchangeRate(uint256)']}${word(kNewRate)}`;
  const denied = await rpc('eth_sendTransaction', [{ from: stranger, to: contract, data: setData, gas: '0x30d40' }]);
  // ganache mines a reverting transaction (status 0x0) unless vmErrorsOnRPCResponse is set.
  const deniedStatus = denied.error ? 'rejected' : (await mined(denied.result)).status;
  assert.ok(deniedStatus === 'rejected' || deniedStatus === '0x0',
            `a non-owner cannot set the rate: ${JSON.stringify(denied)}`);
  assert.equal(await call('eth_call', [{ to: contract, data: '0x3ba0b9a9' }, 'latest']),
               `0x${word(kInitialRate)}`, 'the rate is unchanged after the non-owner');
  const setTx = await call('eth_sendTransaction', [{ from: owner, to: contract, data: setData, gas: '0x30d40' }]);
  assert.equal((await mined(setTx)).status, '0x1', 'the owner sets the rate');
  probe.stdin.write('updated\n');

  await probeLines((l) => l === 'READY kill', 30_000, 'READY kill');
  const ganacheGone = new Promise((resolve) => ganache.on('exit', resolve));
  ganache.kill('SIGKILL');
  await ganacheGone;
  console.log('evm_rate_test: ganache killed');
  probe.stdin.write('killed\n');

  await probeExit;
  console.log(`evm_rate_test: PASS (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  cleanup();
  process.exit(0);
}

main();
