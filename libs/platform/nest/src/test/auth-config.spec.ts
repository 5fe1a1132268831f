import { Module } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authConfigFromEnv, createHttpService, PlatformModule } from '../index';

const idp = { AUTH_JWKS_URL: 'https://login.example.org/certs', AUTH_ISSUER: 'https://login.example.org', AUTH_AUDIENCE: 'leadership' };

describe('auth configuration from the environment', () => {
  it('uses the identity provider when its three settings are there', () => {
    expect(authConfigFromEnv({ ...idp, NODE_ENV: 'production' })).toEqual({ mode: 'jwks', jwksUrl: idp.AUTH_JWKS_URL, issuer: idp.AUTH_ISSUER, audience: idp.AUTH_AUDIENCE });
    expect(authConfigFromEnv({ ...idp, AUTH_MODE: 'jwks', AUTH_ALGORITHMS: 'RS256, PS256', AUTH_JWKS_MAX_AGE_SECONDS: '120' })).toMatchObject({
      mode: 'jwks',
      algorithms: ['RS256', 'PS256'],
      jwksMaxAgeSeconds: 120,
    });
  });

  it('uses the dev issuer only when asked with AUTH_MODE=dev', () => {
    expect(authConfigFromEnv({ AUTH_MODE: 'dev' })).toEqual({ mode: 'dev' });
    expect(authConfigFromEnv({ AUTH_MODE: 'dev', NODE_ENV: 'development', AUTH_DEV_KEY_FILE: '/keys/dev.json' })).toEqual({ mode: 'dev', keyFile: '/keys/dev.json' });
  });

  it.each([
    ['nothing set (the dev issuer is no longer a fallback)', {}, /AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE unset.*AUTH_MODE=dev/],
    ['NODE_ENV=development alone', { NODE_ENV: 'development' }, /AUTH_MODE=dev/],
    ['AUTH_MODE=dev in production', { AUTH_MODE: 'dev', NODE_ENV: 'production' }, /refused when NODE_ENV=production/],
    ['AUTH_MODE=dev beside a JWKS', { AUTH_MODE: 'dev', ...idp }, /choose one/],
    ['a JWKS without its audience', { AUTH_JWKS_URL: idp.AUTH_JWKS_URL, AUTH_ISSUER: idp.AUTH_ISSUER }, /AUTH_AUDIENCE unset/],
    ['an unknown mode', { AUTH_MODE: 'none' }, /AUTH_MODE must be "jwks" or "dev"/],
    ['a symmetric algorithm', { ...idp, AUTH_ALGORITHMS: 'HS256' }, /AUTH_ALGORITHMS: HS256 not accepted/],
    ['alg none', { ...idp, AUTH_ALGORITHMS: 'none' }, /AUTH_ALGORITHMS: none not accepted/],
    ['a JWKS max age that is not a number', { ...idp, AUTH_JWKS_MAX_AGE_SECONDS: 'soon' }, /AUTH_JWKS_MAX_AGE_SECONDS must be a positive number/],
  ])('refuses %s', (_name, env, message) => {
    expect(() => authConfigFromEnv(env)).toThrow(message);
  });

  it('refuses to start a service with the dev issuer in production, also when configured in code', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'auth-config-')), 'dev-issuer.json');
    @Module({ imports: [PlatformModule.forRoot({ serviceName: 'auth-config', auth: { mode: 'dev', keyFile } })] })
    class DevModule {}
    const nodeEnv = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await expect(createHttpService(DevModule, { serviceName: 'auth-config', title: 't', description: 'd', version: '1' })).rejects.toThrow(/refused when NODE_ENV=production/);
    } finally {
      process.env['NODE_ENV'] = nodeEnv;
    }
  });
});
