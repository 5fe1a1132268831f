/**
 * True when a container engine answers. Asks the engine itself through testcontainers: the
 * `docker` client binary can exist without any engine behind it (as on our dev machines).
 * TEST_INFRA=local|containers overrides the detection.
 */
export async function containerRuntimeAvailable(timeoutMs = 5000): Promise<boolean> {
  const forced = process.env['TEST_INFRA'];
  if (forced === 'local') return false;
  if (forced === 'containers') return true;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs));
    const client = await Promise.race([getContainerRuntimeClient(), timeout]);
    return Boolean(client.info.containerRuntime);
  } catch {
    return false;
  }
}
