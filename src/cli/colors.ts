// ANSI colours, as picocolors 1.1 writes them (same codes, same handling of
// nested styles). Not picocolors itself: on load it reads process.stdout.isTTY,
// and creating process.stdout costs every run about 5 ms.

type Style = (input: unknown) => string;

function formatter(open: string, close: string, replace = open): Style {
  return (input) => {
    const string = '' + input;
    let index = string.indexOf(close, open.length);
    if (index < 0) return open + string + close;
    // a nested style that ends with the same code: re-open ours after it
    let result = '';
    let cursor = 0;
    do {
      result += string.substring(cursor, index) + replace;
      cursor = index + close.length;
      index = string.indexOf(close, cursor);
    } while (index >= 0);
    return open + result + string.substring(cursor) + close;
  };
}

export function createColors(enabled: boolean) {
  const f = (open: string, close: string, replace?: string): Style => (enabled ? formatter(open, close, replace) : String);
  return {
    isColorSupported: enabled,
    reset: f('\x1b[0m', '\x1b[0m'),
    bold: f('\x1b[1m', '\x1b[22m', '\x1b[22m\x1b[1m'),
    dim: f('\x1b[2m', '\x1b[22m', '\x1b[22m\x1b[2m'),
    italic: f('\x1b[3m', '\x1b[23m'),
    underline: f('\x1b[4m', '\x1b[24m'),
    inverse: f('\x1b[7m', '\x1b[27m'),
    red: f('\x1b[31m', '\x1b[39m'),
    green: f('\x1b[32m', '\x1b[39m'),
    yellow: f('\x1b[33m', '\x1b[39m'),
    blue: f('\x1b[34m', '\x1b[39m'),
    magenta: f('\x1b[35m', '\x1b[39m'),
    cyan: f('\x1b[36m', '\x1b[39m'),
    white: f('\x1b[37m', '\x1b[39m'),
    gray: f('\x1b[90m', '\x1b[39m'),
  };
}
