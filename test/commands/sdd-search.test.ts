import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initedRepo } from '../helpers/fixtures.ts';
import { fails, ok, okBin, sase } from '../helpers/run.ts';

const t = suite('sdd-search');
const repo = await initedRepo();
const on = (day: number) => ({ env: { SASE_NOW: `2026-01-0${day}T00:00:00Z` } });
await ok(repo, 'sdd-new', ['--tier', 'epic', '--title', 'OAuth login', '--goal', 'people sign in'], on(1));
await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Docs', '--goal', 'explain the oauth flow'], on(2));
await ok(repo, 'sdd-new', ['--tier', 'tale', '--title', 'Rate limits', '--goal', 'limit the API'], on(3));

t('finds plans and prompts by title or text, ignoring case, in list order', () => {
  // through the real executable
  const recs = okBin(repo, 'sdd-search', ['OAUTH']);
  assert.equal(
    recs.map((r) => `${r.kind}:${r.slug}`),
    ['plan:docs', 'plan:oauth-login', 'prompt:docs', 'prompt:oauth-login'],
  );
});

t('--tier narrows it; --sort and --limit as in sdd list', async () => {
  assert.equal(
    (await ok(repo, 'sdd-search', ['oauth', '--tier', 'epics'])).map((r) => r.slug),
    ['oauth-login'],
  );
  assert.equal(
    (await ok(repo, 'sdd-search', ['oauth', '--tier', 'tales,epics', '--sort', '-slug', '--limit', '1'])).map(
      (r) => r.slug,
    ),
    ['oauth-login'],
  );
  assert.equal(await ok(repo, 'sdd-search', ['nowhere']), []);
});

t('usage errors: no text, a bad --sort field', async () => {
  fails(await sase(repo, 'sdd-search', []), 129, 'error: missing <text>');
  fails(
    await sase(repo, 'sdd-search', ['x', '--sort', 'size']),
    129,
    "error: option '--sort': unknown field 'size' (valid: path, slug, tier, title, status, created_at, updated_at)",
  );
});

t.run();
