import type { StartedTestContainer } from 'testcontainers';

/**
 * Stops the containers this run started. Local processes stay up on purpose: the next suite or
 * run reuses them; `npm test` and `npm run infra -- down` stop them.
 */
export default async function globalTeardown(): Promise<void> {
  const containers = (globalThis as { __leadershipContainers?: StartedTestContainer[] }).__leadershipContainers;
  if (containers) await Promise.all(containers.map((c) => c.stop()));
}
