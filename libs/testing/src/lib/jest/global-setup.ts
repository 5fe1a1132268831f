import './register-paths';

export default async function globalSetup(): Promise<void> {
  // Services started by int/e2e suites verify tokens of the local dev issuer (an explicit opt-in).
  process.env['AUTH_MODE'] ??= 'dev';
  // Loaded after the paths are registered (a static import would be hoisted above them).
  const { infraSetup } = await import('./infra-setup');
  await infraSetup();
}
