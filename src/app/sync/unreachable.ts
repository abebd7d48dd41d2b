// The one way a sync says that git could not talk to the remote.
import { FatalError, withHint } from '../../core/errors.ts';
import { failureLine, type GitError } from '../../git/exec.ts';

/** A git failure talking to `remote` (it cannot be reached, or refuses us): fatal, nothing changed. */
export function unreachable(remote: string, err: GitError): FatalError {
  return withHint(
    new FatalError(`cannot reach remote '${remote}': ${failureLine(err)}`),
    'nothing was changed; check the remote with git remote -v and git fetch',
  );
}
