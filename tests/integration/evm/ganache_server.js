// A ganache node on 127.0.0.1 (an ephemeral port) in its own process, so the test can SIGKILL it
// like a crashed RPC provider. Prints "listening <port>" once it accepts requests.
'use strict';
const ganache = require('ganache');

const server = ganache.server({
  logging: { quiet: true },
  wallet: { deterministic: true },
  chain: { hardfork: 'shanghai' },
});
server.listen(0, '127.0.0.1').then(
  () => console.log(`listening ${server.address().port}`),
  (err) => {
    console.error(`ganache_server.js: cannot listen: ${err.message}`);
    process.exit(1);
  });
