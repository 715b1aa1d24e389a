/**
 * The operator's tool for admin roles, against the configured database (DATABASE_URL, or the
 * embedded PGlite under DATA_DIR):
 *
 *   npm run admin -- grant EMAIL     make the account with this email an admin
 *   npm run admin -- revoke EMAIL    make it a plain user again
 *   npm run admin -- list            the admins
 *
 * Admin is granted here, by whoever runs the server, and never by signing up: the app verifies
 * no email, so an address proves nothing (as Django's `createsuperuser`). With the embedded
 * database, stop the server first: PGlite belongs to one process at a time.
 */
import { listAdmins, setUserRoleByEmailOrThrow, type UserSummary } from '../lib/auth/users';
import { closeDb } from '../lib/db/client';

const USAGE = 'usage: npm run admin -- grant EMAIL | revoke EMAIL | list';

function line(user: UserSummary): string {
  return `${user.email ?? '(anonymous)'}\t${user.role}\t${user.id}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, email, ...rest] = argv;
  if (command === 'list' && email === undefined) {
    const admins = await listAdmins();
    console.log(admins.length === 0 ? 'No admins.' : admins.map(line).join('\n'));
    return 0;
  }
  if ((command === 'grant' || command === 'revoke') && email && rest.length === 0) {
    const user = await setUserRoleByEmailOrThrow({ email, role: command === 'grant' ? 'admin' : 'user' });
    console.log(`${command === 'grant' ? 'Granted' : 'Revoked'}: ${line(user)}`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2))
  .then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  )
  .finally(() => closeDb());
