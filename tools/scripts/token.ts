/*
 * npm run token -- --sub <personId> [--roles admin,compliance] [--ttl 3600]
 * Prints a bearer token signed by the local dev issuer (.local/auth/dev-issuer.json, created
 * on first use; AUTH_DEV_KEY_FILE elsewhere). Services verify against the same key only with
 * AUTH_MODE=dev, which `npm start` sets (and NODE_ENV=production refuses). The token carries
 * `exp` (--ttl), `iat`, `typ: JWT`, the dev issuer and audience: what every service requires.
 */
import { devIssuerFile, issueDevToken } from '@leadership/platform-nest';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

async function main(): Promise<void> {
  const sub = option('sub');
  if (!sub) {
    console.error('usage: npm run token -- --sub <personId> [--roles admin,compliance] [--ttl seconds]');
    process.exit(2);
  }
  const roles = (option('roles') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  const ttl = Number(option('ttl') ?? 8 * 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('--ttl must be a positive number of seconds');
  process.stdout.write(`${await issueDevToken({ sub, roles, ttlSeconds: ttl })}\n`);
  process.stderr.write(`token for ${sub}${roles.length ? ` with roles ${roles.join(', ')}` : ''}, valid ${ttl} s (key ${devIssuerFile()})\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
