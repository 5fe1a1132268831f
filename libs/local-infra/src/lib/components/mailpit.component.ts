import { join } from 'node:path';
import { inputsHash, isFresh, writeStamp } from '../build-cache';
import type { InfraConfig } from '../config';
import type { LocalComponent } from '../component';
import { execFileAsync } from '../process';

/** Mailpit version built from the Go module proxy; bump here to upgrade. */
export const MAILPIT_VERSION = 'v1.33.1';

const binary = (c: InfraConfig) => join(c.paths.bin, 'mailpit');

export const mailpitComponent: LocalComponent = {
  name: 'mailpit',
  description: `Mailpit ${MAILPIT_VERSION} (SMTP catcher with HTTP API)`,
  startTimeoutMs: 20_000,

  async install(c, log) {
    const hash = inputsHash([], [MAILPIT_VERSION]);
    const stamp = `${binary(c)}.stamp`;
    if (isFresh(stamp, hash, [binary(c)])) return;
    log(`mailpit: building ${MAILPIT_VERSION} with Go (first time takes a minute)…`);
    await execFileAsync('go', ['install', `github.com/axllent/mailpit@${MAILPIT_VERSION}`], {
      cwd: c.paths.home,
      env: { ...process.env, GOBIN: c.paths.bin, CGO_ENABLED: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
    writeStamp(stamp, hash);
  },

  launch(c) {
    return {
      command: binary(c),
      args: [
        `--smtp=${c.host}:${c.ports.smtp}`,
        `--listen=${c.host}:${c.ports.mailpitHttp}`,
        `--database=${join(c.paths.data, 'mailpit.db')}`,
        '--smtp-auth-accept-any',
        '--smtp-auth-allow-insecure',
        '--disable-version-check',
        '--max=5000',
      ],
      cwd: c.paths.home,
      marker: binary(c),
    };
  },

  async ready(c) {
    try {
      const res = await fetch(`http://${c.host}:${c.ports.mailpitHttp}/api/v1/info`, {
        signal: AbortSignal.timeout(1000),
      });
      return res.ok;
    } catch {
      return false;
    }
  },

  ports: (c) => [c.ports.smtp, c.ports.mailpitHttp],
  endpoints: (c) => ({ smtp: `smtp://${c.host}:${c.ports.smtp}`, http: `http://${c.host}:${c.ports.mailpitHttp}` }),
};
