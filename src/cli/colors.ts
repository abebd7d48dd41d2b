// Colours for text on a terminal: picocolors, loaded only when colour is on.
// Loading it reads process.stdout.isTTY, which creates the stdout stream
// (about 8 ms of every run, measured here), so a command whose output is
// piped never loads it and gets the plain palette below.
export type Colors = ReturnType<typeof import('picocolors')['createColors']>;

// the bundles in dist/ are CommonJS, where require is the synchronous loader
declare const require: ((id: string) => unknown) | undefined;

const NAMES = [
  'reset',
  'bold',
  'dim',
  'italic',
  'underline',
  'inverse',
  'hidden',
  'strikethrough',
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'bgBlack',
  'bgRed',
  'bgGreen',
  'bgYellow',
  'bgBlue',
  'bgMagenta',
  'bgCyan',
  'bgWhite',
  'blackBright',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'whiteBright',
  'bgBlackBright',
  'bgRedBright',
  'bgGreenBright',
  'bgYellowBright',
  'bgBlueBright',
  'bgMagentaBright',
  'bgCyanBright',
  'bgWhiteBright',
] as const;

const plain = Object.fromEntries([
  ['isColorSupported', false],
  ...NAMES.map((n) => [n, (input: unknown) => String(input ?? '')]),
]) as unknown as Colors;

export function createColors(enabled: boolean): Colors {
  if (!enabled || typeof require !== 'function') return plain;
  return (require('picocolors') as { createColors(enabled: boolean): Colors }).createColors(true);
}
