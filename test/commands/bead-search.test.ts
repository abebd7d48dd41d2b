import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createBead, initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('bead-search');
const repo = await initedRepo();
const T = (d: number) => `2026-01-0${d}T00:00:00Z`;
const login = await createBead(repo, ['--title', 'Fix the login page', '--priority', '3'], T(1));
const body = await createBead(repo, ['--title', 'Flaky test', '--description', 'The LOGIN form times out'], T(2));
const other = await createBead(repo, ['--title', 'Write docs'], T(3));
const urgent = await createBead(repo, ['--title', 'Login outage', '--priority', '0'], T(4));
await ok(repo, 'bead-close', [urgent.id]);

t('finds beads by title or description, ignoring case, closed ones too, most urgent first', () => {
  // through the real executable: there was no way to search before but piping bead list through jq
  const ids = okBin(repo, 'bead-search', ['login']).map((r) => r.id);
  assert.equal(ids, [urgent.id, body.id, login.id]);
  assert.not.ok(ids.includes(other.id));
});

t('several words are one text; the filters and --limit, --sort of bead list', async () => {
  assert.equal(
    (await ok(repo, 'bead-search', ['login', 'page'])).map((r) => r.id),
    [login.id],
  );
  assert.equal(
    (await ok(repo, 'bead-search', ['login', '--status', 'open'])).map((r) => r.id),
    [body.id, login.id],
  );
  assert.equal(
    (await ok(repo, 'bead-search', ['login', '--sort', '-created_at', '--limit', '2'])).map((r) => r.id),
    [urgent.id, body.id],
  );
  assert.equal(await ok(repo, 'bead-search', ['nothing like it']), []);
});

t('usage errors: no text, a bad --sort field', async () => {
  fails(await sase(repo, 'bead-search', []), 129, 'error: missing <text>');
  fails(await sase(repo, 'bead-search', ['  ']), 129, 'error: nothing to search for: <text> is empty');
  fails(
    await sase(repo, 'bead-search', ['x', '--sort', 'size']),
    129,
    "error: option '--sort': unknown field 'size' (valid: id, priority, created_at, updated_at, status, title, issue_type, tier, assignee, parent_id)",
  );
});

t.run();
