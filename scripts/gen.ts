// `npm run gen`: writes everything that is derived from the command specs,
// so it never drifts by hand: the bin/ launchers, the man pages and the shell
// completions. Deterministic (no dates, sorted), so a second run changes
// nothing; test/integrity.test.ts compares the files with generatedFiles().
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CommandSpec } from '../src/cli/spec.ts';
import { bashCompletion, fishCompletion, zshCompletion } from './completions.ts';
import { commandPage, dispatcherPage, modelPage } from './man.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every spec in src/commands/*.ts (files starting with '_' are helpers), sorted by name. */
export async function loadSpecs(root = ROOT): Promise<CommandSpec[]> {
  const dir = join(root, 'src', 'commands');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .sort();
  const specs: CommandSpec[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { spec?: CommandSpec };
    if (!mod.spec) throw new Error(`src/commands/${f} exports no 'spec'`);
    if (mod.spec.name !== f.slice(0, -3)) throw new Error(`src/commands/${f} names its command '${mod.spec.name}'`);
    specs.push(mod.spec);
  }
  return specs.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The launcher of `sase-<name>`: it runs the bundle through dist/launch.cjs,
 * with the bundle's code cache; `sase` itself only loads its bundle.
 */
export function shimText(name: string): string {
  return name
    ? `#!/usr/bin/env node\nrequire("../dist/launch.cjs")("sase-${name}");\n`
    : `#!/usr/bin/env node\nrequire("../dist/sase.cjs");\n`;
}

/** A file we generated before: a shim, which we may delete once its spec is gone. */
export const SHIM_PATTERN =
  /^#!\/usr\/bin\/env node\n((import|require\()"\.\.\/dist\/sase-[a-z0-9-]+\.[cm]js"\)?|require\("\.\.\/dist\/launch\.cjs"\)\("sase-[a-z0-9-]+"\));\n$/;

export interface Generated {
  text: string;
  /** 0o755 for launchers */
  mode: number;
}

/** Every generated file, by path relative to the repository root. */
export function generatedFiles(
  specs: CommandSpec[],
  pkg: { version: string; description: string },
): Map<string, Generated> {
  const files = new Map<string, Generated>();
  const add = (path: string, text: string, mode = 0o644) => files.set(path, { text, mode });
  // launchers are CommonJS (a require of the CommonJS bundle): no ES module loader at start-up
  add('bin/package.json', '{\n  "type": "commonjs"\n}\n');
  add('bin/sase', shimText(''), 0o755);
  for (const s of specs) {
    add(`bin/sase-${s.name}`, shimText(s.name), 0o755);
    add(`man/man1/sase-${s.name}.1`, commandPage(s, pkg.version));
  }
  // man/man<section>/, so that man(1) finds the pages from bin/ on PATH (../man beside it)
  add('man/man1/sase.1', dispatcherPage(specs, pkg.version, pkg.description));
  add('man/man7/sase.7', modelPage(specs, pkg.version));
  add('completions/sase.bash', bashCompletion(specs));
  add('completions/_sase', zshCompletion(specs));
  add('completions/sase.fish', fishCompletion(specs));
  return files;
}

export function readPackage(root = ROOT): { version: string; description: string } {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

async function main(): Promise<void> {
  const specs = await loadSpecs();
  const files = generatedFiles(specs, readPackage());
  for (const [path, { text, mode }] of files) {
    const full = join(ROOT, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    chmodSync(full, mode);
  }
  // package.json lists the executables and man pages, for npm link and global installs
  const pkgPath = join(ROOT, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  pkg.bin = Object.fromEntries([['sase', 'bin/sase'], ...specs.map((s) => [`sase-${s.name}`, `bin/sase-${s.name}`])]);
  pkg.man = [...files.keys()].filter((p) => p.startsWith('man/')).sort();
  writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
  // a launcher whose command was removed; hand-written files are left alone
  for (const f of readdirSync(join(ROOT, 'bin'))) {
    const path = `bin/${f}`;
    if (!f.startsWith('sase-') || files.has(path)) continue;
    if (SHIM_PATTERN.test(readFileSync(join(ROOT, path), 'utf8'))) {
      rmSync(join(ROOT, path));
      process.stdout.write(`removed ${path}\n`);
    }
  }
  // every man page is generated: one that is no longer (a removed command, the old flat man/) goes
  for (const dir of ['man', 'man/man1', 'man/man7']) {
    for (const f of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${f}`;
      if (/\.[17]$/.test(f) && !files.has(path)) {
        rmSync(join(ROOT, path));
        process.stdout.write(`removed ${path}\n`);
      }
    }
  }
  process.stdout.write(`generated ${files.size} files for ${specs.length} commands\n`);
}

// run only as a script, not when the integrity test imports the generators
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
