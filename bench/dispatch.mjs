#!/usr/bin/env node
// `node bench/dispatch.mjs [runs] [size]` (after `npm run build`): what the
// dispatcher costs. Times `sase bead ready` (the form people type) against
// `sase-bead-ready` (the executable) in paired, alternating runs on a store
// of `size` beads (warm cache), and prints each median and the median of the
// paired ratios; the target is within 1.1x.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envFor } from './env.mjs';
import { generateBeads } from './generate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin');
const runs = Number(process.argv[2] ?? 15);
const size = Number(process.argv[3] ?? 1000);

const base = join(ROOT, 'bench', '.work', 'dispatch');
rmSync(base, { recursive: true, force: true });
const home = join(base, 'home');
const dir = join(base, 'repo');
mkdirSync(home, { recursive: true });
mkdirSync(dir);
const env = envFor(home);

function timed(argv) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}\n${String(r.stderr).slice(0, 2000)}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const file = join(base, 'beads.ndjson');
writeFileSync(
  file,
  `${generateBeads(size, 42)
    .map((b) => JSON.stringify(b))
    .join('\n')}\n`,
);
timed(['git', 'init', '-q', '-b', 'main']);
timed(['git', 'commit', '-q', '--allow-empty', '-m', 'initial']);
timed([join(BIN, 'sase-init'), '--prefix', 'bench']);
timed([join(BIN, 'sase-bead-import'), file]);

const viaSase = [join(BIN, 'sase'), 'bead', 'ready'];
const direct = [join(BIN, 'sase-bead-ready')];
for (let i = 0; i < 3; i++) timed(i % 2 ? viaSase : direct); // warm the cache and the disk
const a = [];
const b = [];
for (let i = 0; i < runs; i++) {
  // alternate which goes first, so that drift hits both alike
  if (i % 2) {
    a.push(timed(viaSase));
    b.push(timed(direct));
  } else {
    b.push(timed(direct));
    a.push(timed(viaSase));
  }
}
const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ratio = median(a.map((x, i) => x / b[i]));
process.stdout.write(
  `${size} beads, ${runs} paired runs: sase bead ready ${median(a).toFixed(1)} ms, sase-bead-ready ${median(b).toFixed(1)} ms; median paired ratio ${ratio.toFixed(3)}x (target 1.10x)\n`,
);
rmSync(base, { recursive: true, force: true });
