// node:child_process, loaded when a process is first started: most commands
// start none (a warm `bead ready` or `bead show` reads files only), and
// loading it costs every start 1-2 ms.

export const childProcess = (): typeof import('node:child_process') => process.getBuiltinModule('node:child_process');
