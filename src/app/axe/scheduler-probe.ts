// Which schedule entry runs the Axe for this user, if any: cron, systemd or
// launchd (sase axe install writes it; app/axe/install.ts reads it back).
export { installedScheduler } from './install.ts';
