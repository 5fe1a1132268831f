import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The anchor signing key: an Ed25519 key of its own, never the token issuer's (a leaked issuer
 * key must not let anyone forge anchors, nor an anchor key mint tokens). Kept as PKCS#8 PEM;
 * the public half beside it as SPKI PEM (`<file>` with `.pem` replaced by `.pub.pem`), which is
 * all verify needs and what may be published.
 */
export interface AnchorSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** First 16 hex digits of the SHA-256 of the public key (SPKI DER): names the key in each anchor. */
  readonly keyId: string;
}

/** `anchor-key.pem` → `anchor-key.pub.pem` (anything else gets `.pub.pem` appended). */
export function publicKeyFileOf(privateKeyFile: string): string {
  return privateKeyFile.endsWith('.pem') ? `${privateKeyFile.slice(0, -'.pem'.length)}.pub.pem` : `${privateKeyFile}.pub.pem`;
}

export function anchorKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/**
 * Reads the signing key, generating it on first use (like the dev token issuer's key). The
 * private key is written 0600 with an exclusive create, so when several processes start at once
 * the first one's key wins and the others read it.
 */
export function ensureAnchorSigningKey(file: string): AnchorSigningKey {
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    }
  }
  const key = readSigningKey(file);
  const publicFile = publicKeyFileOf(file);
  if (!existsSync(publicFile)) writeFileSync(publicFile, key.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return key;
}

function readSigningKey(file: string): AnchorSigningKey {
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: anchorKeyId(publicKey) };
}

/**
 * The public key verify checks anchors with, from a PEM file holding either the public key or
 * the private key (its public half is derived). Only Ed25519 is accepted.
 */
export function readAnchorPublicKey(file: string): KeyObject {
  const pem = readFileSync(file, 'utf8');
  const publicKey = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 key`);
  return publicKey;
}
