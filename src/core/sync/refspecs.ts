// Refspecs that make plain `git fetch` carry sase's refs.

export function remoteRefspecs(remote: string): string[] {
  // the notes refspec is a wildcard too ('sase*' matches 'sase'): an exact
  // source ref that the remote lacks makes the whole `git fetch` fail
  return [`+refs/sase/*:refs/sase-remotes/${remote}/*`, `+refs/notes/sase*:refs/sase-remotes/${remote}/notes*`];
}
