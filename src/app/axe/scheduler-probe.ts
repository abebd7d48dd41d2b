// Which schedule entry runs the Axe for this user, if any. (Filled in with
// sase axe install: cron, systemd or launchd.)
type Env = Record<string, string | undefined>;

export async function installedScheduler(_env: Env): Promise<string | null> {
  return null;
}
