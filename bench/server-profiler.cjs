'use strict';
/**
 * Preloaded into the server by bench/server-process.ts when BENCH_PROFILE=1 (`node -r`): CPU-profiles
 * the server between two IPC messages from the benchmark, `{prof: 'start'}` and
 * `{prof: 'stop', file}`, and writes the profile (open it in Chrome DevTools or speedscope). Nest
 * shuts down on every signal, SIGUSR2 included, so the control channel is IPC, not a signal.
 */
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');

if (process.send) {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  process.on('message', async (m) => {
    try {
      if (m && m.prof === 'start') {
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 500 });
        await post('Profiler.start');
      } else if (m && m.prof === 'stop') {
        const { profile } = await post('Profiler.stop');
        writeFileSync(m.file, JSON.stringify(profile));
        process.send({ prof: 'written', file: m.file });
      }
    } catch (error) {
      process.send({ prof: 'error', message: String(error) });
    }
  });
  // The channel must not keep the server alive on its own.
  process.channel && process.channel.unref();
}
