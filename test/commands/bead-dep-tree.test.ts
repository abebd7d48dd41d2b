import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';
import { beadPathOf, beadRecord, canonical, writeStateCommit } from '../helpers/state.ts';

const t = suite('bead-dep-tree');
const T0 = '2026-01-01T00:00:00Z';
const ME = 'author@example.com';

// R waits for X and Y; X for Z; Y for Z and a bead that does not exist; Z for R (a loop).
// The commands refuse to make a loop or a dangling edge, so the records are written with plumbing.
const repo = await initedRepo();
const dep = (id: string) => ({ depends_on_id: id, created_at: T0, created_by: ME });
const R = 'ts-rr000000';
const X = 'ts-xx000000';
const Y = 'ts-yy000000';
const Z = 'ts-zz000000';
const GONE = 'ts-gone0000';
const records = [
  beadRecord({ id: R, title: 'R', dependencies: [dep(X), dep(Y)] }),
  beadRecord({ id: X, title: 'X', status: 'closed', closed_at: T0, resolution: 'done', dependencies: [dep(Z)] }),
  beadRecord({ id: Y, title: 'Y', dependencies: [dep(Z), dep(GONE)] }),
  beadRecord({ id: Z, title: 'Z', dependencies: [dep(R)] }),
];
writeStateCommit(
  repo,
  Object.fromEntries(records.map((r) => [beadPathOf(String(r.id)), canonical(r)])),
  'sase: hand-written\n',
);

function node(
  id: string,
  depth: number,
  via: string | null,
  status: string | null,
  title: string | null,
  flags: { missing?: boolean; external?: boolean; satisfied?: boolean; cycle?: boolean; repeat?: boolean } = {},
) {
  return {
    v: 1,
    kind: 'dep-node',
    id,
    depth,
    via,
    status,
    title,
    missing: false,
    external: false,
    satisfied: false,
    cycle: false,
    repeat: false,
    ...flags,
  };
}

t('one record a node, depth first, marking the loop, repeats and missing beads', async () => {
  // through the real executable
  assert.equal(okBin(repo, 'bead-dep-tree', ['rr00']), [
    node(R, 0, null, 'open', 'R'),
    node(X, 1, R, 'closed', 'X'),
    node(Z, 2, X, 'open', 'Z'),
    node(R, 3, Z, 'open', 'R', { cycle: true }),
    node(Y, 1, R, 'open', 'Y'),
    node(Z, 2, Y, 'open', 'Z', { repeat: true }),
    node(GONE, 2, Y, null, null, { missing: true }),
  ]);
});

t('--depth stops early; a bead without blockers is a lone root', async () => {
  assert.equal(await ok(repo, 'bead-dep-tree', [R, '--depth', '1']), [
    node(R, 0, null, 'open', 'R'),
    node(X, 1, R, 'closed', 'X'),
    node(Y, 1, R, 'open', 'Y'),
  ]);
  assert.equal(await ok(repo, 'bead-dep-tree', [R, '--depth', '0']), [node(R, 0, null, 'open', 'R')]);
  const [lone] = await ok(repo, 'bead-create', ['--title', 'lone']);
  assert.equal(await ok(repo, 'bead-dep-tree', [lone!.id]), [node(lone!.id, 0, null, 'open', 'lone')]);
});

t('--reverse draws what depends on the bead', async () => {
  const nodes = await ok(repo, 'bead-dep-tree', [Z, '--reverse']);
  assert.equal(nodes[0], node(Z, 0, null, 'open', 'Z'));
  // Z is waited for by X and Y; both are waited for by R; R by Z, which closes the loop
  const byVia = nodes.slice(1).map((n) => [n.id, n.depth, n.via, n.cycle, n.repeat]);
  assert.equal(
    byVia
      .filter((n) => n[1] === 1)
      .map((n) => n[0])
      .sort(),
    [X, Y],
  );
  assert.equal(byVia.filter((n) => n[0] === R).length, 2);
  assert.equal(byVia.filter((n) => n[0] === R && n[4] === true).length, 1);
  assert.equal(
    nodes.filter((n) => n.cycle).map((n) => [n.id, n.via]),
    [[Z, R]],
  );
  assert.ok(nodes.every((n) => !n.missing));
});

t('--format text draws the tree, plain when not a terminal', async () => {
  const r = await sase(repo, 'bead-dep-tree', [R, '--format', 'text']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.not.match(r.stdout, /\x1b\[/);
  assert.is(
    r.stdout,
    [
      'ts-rr00 open R',
      '├── ts-xx00 closed X',
      '│   └── ts-zz00 open Z',
      '│       └── ts-rr00 open R ↻ cycle',
      '└── ts-yy00 open Y',
      '    ├── ts-zz00 open Z (seen above)',
      `    └── ${GONE} missing`,
      '',
    ].join('\n'),
  );
});

t('--format id prints one id a node', async () => {
  const r = await sase(repo, 'bead-dep-tree', [R, '--format', 'id', '--depth', '1']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${R}\n${X}\n${Y}\n`);
});

t('exit 4: no bead matches the id', async () => {
  fails(await sase(repo, 'bead-dep-tree', ['ts-qqqqqqqq']), 4, "error: no bead 'ts-qqqqqqqq'");
  fails(
    await sase(repo, 'bead-dep-tree', [R, '--depth', 'deep']),
    129,
    "error: option '--depth' expects a whole number, got 'deep'",
  );
});

t('--help exits 0 and prints the usage line', async () => {
  const r = await sase(repo, 'bead-dep-tree', ['--help']);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.ok(
    r.stdout.startsWith('usage: sase-bead-dep-tree [--reverse] [--depth <n>] [--format <format>] [--json] <id>\n'),
    r.stdout,
  );
});

t('an external reference and a missing bead are marked, "(satisfied)" once the bead above says so', async () => {
  const E = 'ts-ee000000';
  const ext = 'external:gastown:gt-1';
  const LOST = 'ts-lost0000';
  writeStateCommit(
    repo,
    {
      [beadPathOf(E)]: canonical(
        beadRecord({
          id: E,
          title: 'E',
          dependencies: [dep(ext), dep(GONE), dep(LOST)],
          missing: [GONE, LOST],
          satisfied: [{ ref: GONE, satisfied_at: T0, satisfied_by: ME }],
        }),
      ),
    },
    'sase: hand-written\n',
  );
  assert.equal(await ok(repo, 'bead-dep-tree', [E]), [
    node(E, 0, null, 'open', 'E'),
    node(ext, 1, E, null, null, { external: true }),
    node(GONE, 1, E, null, null, { missing: true, satisfied: true }),
    node(LOST, 1, E, null, null, { missing: true }),
  ]);
  const r = await sase(repo, 'bead-dep-tree', [E, '--format', 'text']);
  assert.is(
    r.stdout,
    ['ts-ee00 open E', `├── ${ext} external`, `├── ${GONE} missing (satisfied)`, `└── ${LOST} missing`, ''].join('\n'),
  );
});

t.run();
