import { createConnection } from 'node:net';

/** Where the probe connects; the local server trusts connections from 127.0.0.1. */
export interface PostgresTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly timeoutMs?: number;
}

/** An ErrorResponse of the server (e.g. 57P03 "the database system is starting up"). */
export class PostgresServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${message} (SQLSTATE ${code})`);
  }
}

const PROTOCOL_3_0 = 196_608;

function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function cstrings(...values: string[]): Buffer {
  return Buffer.concat(values.map((v) => Buffer.from(`${v}\0`, 'utf8')));
}

function errorFields(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const code = String.fromCharCode(body[at] as number);
    const end = body.indexOf(0, at + 1);
    fields[code] = body.toString('utf8', at + 1, end);
    at = end + 1;
  }
  return fields;
}

function dataRow(body: Buffer): (string | null)[] {
  const count = body.readInt16BE(0);
  const row: (string | null)[] = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    const length = body.readInt32BE(at);
    at += 4;
    if (length < 0) {
      row.push(null);
    } else {
      row.push(body.toString('utf8', at, at + length));
      at += length;
    }
  }
  return row;
}

/**
 * Runs one statement over the PostgreSQL frontend/backend protocol 3.0 (simple query) and
 * returns its rows as text. Enough for a readiness probe and for tests to look inside the
 * server, without a client library the workspace does not depend on. Only trust
 * authentication: the local server is configured that way, and a server asking for a password
 * is not the one this tool started.
 */
export function queryPostgres(target: PostgresTarget, sql: string): Promise<(string | null)[][]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: target.host, port: target.port });
    const rows: (string | null)[][] = [];
    let pending = Buffer.alloc(0);
    let queried = false;
    let settled = false;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      if (error) socket.destroy();
      else socket.end(message('X', Buffer.alloc(0)));
      if (error) reject(error);
      else resolve(rows);
    };
    socket.setTimeout(target.timeoutMs ?? 2000, () => finish(new Error(`no answer from ${target.host}:${target.port}`)));
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error('connection closed before the query completed')));
    socket.once('connect', () => {
      const body = Buffer.concat([
        Buffer.from([0, 0, 0, 0]),
        cstrings('user', target.user, 'database', target.database, 'application_name', 'local-infra', ''),
      ]);
      body.writeInt32BE(PROTOCOL_3_0, 0);
      const length = Buffer.alloc(4);
      length.writeInt32BE(body.length + 4, 0);
      socket.write(Buffer.concat([length, body]));
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5) {
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) break;
        const type = String.fromCharCode(pending[0] as number);
        const body = pending.subarray(5, 1 + length);
        pending = pending.subarray(1 + length);
        switch (type) {
          case 'R': {
            const method = body.readInt32BE(0);
            if (method !== 0) {
              finish(new Error(`${target.host}:${target.port} asks for authentication (method ${method}); not a server this tool configured`));
              return;
            }
            break;
          }
          case 'E': {
            const fields = errorFields(body);
            finish(new PostgresServerError(fields['C'] ?? '?????', fields['M'] ?? 'error'));
            return;
          }
          case 'D':
            rows.push(dataRow(body));
            break;
          case 'Z':
            if (queried) {
              finish(undefined);
              return;
            }
            queried = true;
            socket.write(message('Q', cstrings(sql)));
            break;
          default:
            // ParameterStatus, BackendKeyData, RowDescription, CommandComplete, notices: not needed.
            break;
        }
      }
    });
  });
}
