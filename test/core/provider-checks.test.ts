import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { helpProbes, missingFlags, rootRefusal } from '../../src/core/agents/provider-checks.ts';
import { builtinProviders, mergeProviders } from '../../src/core/agents/providers.ts';

const t = suite('provider checks');
const b = builtinProviders();

t(
  'the help texts to read: the subcommand before the first flag, the flags sase passes there, the model flag too',
  () => {
    assert.equal(helpProbes(b.get('claude')!), [
      {
        program: 'claude',
        args: ['--help'],
        flags: [
          '-p',
          '--output-format',
          '--verbose',
          '--dangerously-skip-permissions',
          '--session-id',
          '--model',
          '--resume',
        ],
      },
    ]);
    assert.equal(helpProbes(b.get('codex')!), [
      {
        program: 'codex',
        args: ['exec', '--help'],
        flags: ['--json', '--color', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '--model'],
      },
      {
        program: 'codex',
        args: ['exec', 'resume', '--help'],
        flags: ['--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '--model'],
      },
    ]);
    assert.equal(helpProbes(b.get('gemini')!)[0]!.flags, [
      '--output-format',
      '--yolo',
      '--skip-trust',
      '--model',
      '--resume',
    ]);
    assert.equal(helpProbes(b.get('opencode')!), [
      { program: 'opencode', args: ['run', '--help'], flags: ['--format', '--auto', '--model', '--session'] },
    ]);
    // a configured command: '--x=1' is the flag '--x'; a placeholder is no subcommand; {model} in the command adds no model flag
    const mine = mergeProviders(b, { mine: { command: ['my-agent', '--x=1', '{model}', '-'], prompt: 'stdin' } }).get(
      'mine',
    )!;
    assert.equal(helpProbes(mine), [{ program: 'my-agent', args: ['--help'], flags: ['--x'] }]);
  },
);

t('missingFlags: a flag listed as a whole word only', () => {
  const help = '  -p, --print   Print\n  --output-format <format>\n  -r, --resume [value]\n  --verbose=LEVEL';
  assert.equal(missingFlags(help, ['-p', '--print', '--output-format', '--resume', '--verbose']), []);
  assert.equal(missingFlags(help, ['--output', '--format', '-r', '--skip-trust']), [
    '--output',
    '--format',
    '--skip-trust',
  ]);
  assert.equal(missingFlags('  --print', ['-p']), ['-p'], "'-p' is not found inside '--print'");
});

t("rootRefusal: claude as root without IS_SANDBOX=1 in its environment (the provider env over sase's)", () => {
  const claude = b.get('claude')!;
  const why = rootRefusal(claude, {}, 0);
  assert.match(why ?? '', /^claude refuses to start as root unless IS_SANDBOX=1 is in its environment/);
  assert.match(why ?? '', /env = \{ IS_SANDBOX = "1" \} under \[providers\.claude\]/);
  assert.is(rootRefusal(claude, {}, 1000), null, 'not root');
  assert.is(rootRefusal(claude, {}, null), null, 'no uid (not POSIX)');
  assert.is(rootRefusal(claude, { IS_SANDBOX: '1' }, 0), null, "sase's own environment");
  assert.ok(rootRefusal(claude, { IS_SANDBOX: 'true' }, 0), 'claude takes only "1"');
  const sandboxed = mergeProviders(b, { claude: { env: { IS_SANDBOX: '1' } } }).get('claude')!;
  assert.is(rootRefusal(sandboxed, {}, 0), null, 'the provider env');
  assert.is(rootRefusal(b.get('codex')!, {}, 0), null, 'only claude');
  const asked = mergeProviders(b, { claude: { command: ['claude', '-p'] } }).get('claude')!;
  assert.is(rootRefusal(asked, {}, 0), null, 'without --dangerously-skip-permissions claude runs as root');
});

t.run();
