// The real bd export the import and export tests run on, decompressed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ROOT } from './run.ts';

export const BD_ISSUES = gunzipSync(
  readFileSync(join(ROOT, 'test', 'fixtures', 'bd', 'beads-project-issues.jsonl.gz')),
).toString('utf8');
