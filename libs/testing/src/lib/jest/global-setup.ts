import './register-paths';

export default async function globalSetup(): Promise<void> {
  // Loaded after the paths are registered (a static import would be hoisted above them).
  const { infraSetup } = await import('./infra-setup');
  await infraSetup();
}
