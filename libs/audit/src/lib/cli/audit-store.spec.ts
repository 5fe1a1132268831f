import { join } from 'node:path';
import { DEFAULT_DELEGATION_EVENT_STORE, describeAuditStore, locateAuditStore } from './audit-store';

const paths = { cwd: '/home/me/somewhere', workspaceRoot: '/repo' };

describe('locateAuditStore', () => {
  it('defaults to the delegation service’s store file under the workspace root', () => {
    expect(locateAuditStore(undefined, {}, paths)).toEqual({ kind: 'sqlite', file: join('/repo', DEFAULT_DELEGATION_EVENT_STORE), source: 'default' });
  });

  it('takes DELEGATION_EVENT_STORE, relative to the workspace root like the service', () => {
    expect(locateAuditStore(undefined, { DELEGATION_EVENT_STORE: 'data/x.sqlite' }, paths)).toMatchObject({ file: '/repo/data/x.sqlite', source: 'DELEGATION_EVENT_STORE' });
    expect(locateAuditStore(undefined, { DELEGATION_EVENT_STORE: '/abs/x.sqlite' }, paths)).toMatchObject({ file: '/abs/x.sqlite' });
  });

  it('prefers EventStoreDB when a connection string is configured, as the service does', () => {
    const env = { DELEGATION_EVENT_STORE: 'x.sqlite', EVENTSTORE_CONNECTION_STRING: 'esdb://admin:secret@db:2113?tls=false' };
    const location = locateAuditStore(undefined, env, paths);
    expect(location).toEqual({ kind: 'eventstoredb', connectionString: env.EVENTSTORE_CONNECTION_STRING });
    expect(describeAuditStore(location)).not.toContain('secret');
  });

  it('lets --store win over everything, relative to where the user ran the command', () => {
    const env = { EVENTSTORE_CONNECTION_STRING: 'esdb://db:2113', DELEGATION_EVENT_STORE: 'x.sqlite' };
    expect(locateAuditStore('copy.sqlite', env, paths)).toEqual({ kind: 'sqlite', file: '/home/me/somewhere/copy.sqlite', source: '--store' });
  });
});
