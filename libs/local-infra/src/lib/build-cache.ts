import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A build or download is redone only when its inputs change: the stamp file next to the output
 * holds a hash of the inputs (file contents and version strings).
 */
export function inputsHash(files: readonly string[], extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(file));
  for (const value of extra) hash.update(value);
  return hash.digest('hex');
}

export function isFresh(stampFile: string, hash: string, outputs: readonly string[]): boolean {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash && outputs.every((o) => existsSync(o));
}

export function writeStamp(stampFile: string, hash: string): void {
  mkdirSync(dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, hash);
}
