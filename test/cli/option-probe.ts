// A spec no command has, with the option shapes the commands do not use
// (yet), for test/cli/options.test.ts to check like the commands' specs: short
// aliases, several dashes, a digit before a dash, a --no- flag of two words,
// an optional value, defaults, choices on an int, a type a valueless flag
// overrides, and no standard format options but --stdin.
import { defineCommand } from '../../src/cli/spec.ts';

export const spec = defineCommand({
  name: 'option-probe',
  summary: 'probe',
  args: [{ name: 'id', description: 'an id', required: true }],
  options: [
    { flags: '-s, --status <list>', description: 'statuses', type: 'list', choices: ['open', 'in_progress'] },
    { flags: '--retry-failed', description: 'a flag of two words', type: 'bool' },
    { flags: '--no-fast-mode', description: 'a negated flag of two words', type: 'bool' },
    { flags: '--x-y-z <v>', description: 'one-letter words' },
    { flags: '--a2-b <v>', description: 'a digit before a dash' },
    { flags: '--opt [v]', description: 'an optional value' },
    { flags: '--count <n>', description: 'an int with a default', type: 'int', default: 3 },
    { flags: '--mode <m>', description: 'choices with a default', choices: ['fast', 'slow'], default: 'slow' },
    { flags: '--tag <t>', description: 'a string with a default', type: 'string', default: 'none' },
    { flags: '--level <n>', description: 'an int with choices', type: 'int', choices: ['1', '2'] },
    { flags: '--int-flag', description: 'an int without a value', type: 'int' },
    { flags: '--items <list>', description: 'a list without choices', type: 'list' },
    { flags: '-q, --quiet', description: 'a short alias', type: 'bool' },
  ],
  description: 'probe',
  output: 'nothing',
  exit: [],
  examples: [],
  formatted: false,
  stdin: true,
  async run() {
    return 0;
  },
});
