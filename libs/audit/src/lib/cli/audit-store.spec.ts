import { join } from 'node:path';
import { AuditStoreUsageError, defaultEventStoreFile, describeAuditStore, locateAuditStore } from './audit-store';

const paths = { cwd: '/home/me/somewhere', workspaceRoot: '/repo' };

describe('locateAuditStore', () => {
  it('defaults to the service’s own store file under the workspace root', () => {
    expect(locateAuditStore({ context: 'delegation' }, {}, paths)).toEqual({
      kind: 'sqlite',
      file: join('/repo', defaultEventStoreFile('delegation')),
      source: 'default of --context delegation',
    });
    expect(locateAuditStore({ context: 'case-distribution' }, {}, paths)).toMatchObject({
      file: '/repo/.local/data/case-distribution/events.sqlite',
    });
  });

  it('takes <CONTEXT>_EVENT_STORE, relative to the workspace root like the service', () => {
    expect(locateAuditStore({ context: 'delegation' }, { DELEGATION_EVENT_STORE: 'data/x.sqlite' }, paths)).toMatchObject({
      file: '/repo/data/x.sqlite',
      source: 'DELEGATION_EVENT_STORE',
    });
    expect(
      locateAuditStore(
        { context: 'case-distribution' },
        {
          CASE_DISTRIBUTION_EVENT_STORE: '/abs/x.sqlite',
          DELEGATION_EVENT_STORE: '/other.sqlite',
        },
        paths,
      ),
    ).toMatchObject({
      file: '/abs/x.sqlite',
    });
  });

  it('prefers EventStoreDB when a connection string is configured, as the services do, and never prints it', () => {
    const env = {
      DELEGATION_EVENT_STORE: 'x.sqlite',
      EVENTSTORE_CONNECTION_STRING: 'esdb://admin:secret@db:2113?tls=false',
    };
    const location = locateAuditStore({ context: 'delegation' }, env, paths);
    expect(location).toEqual({
      kind: 'eventstoredb',
      connectionString: env.EVENTSTORE_CONNECTION_STRING,
      source: 'EVENTSTORE_CONNECTION_STRING',
    });
    expect(describeAuditStore(location)).not.toContain('secret');
  });

  it('lets --store win over everything, relative to where the user ran the command', () => {
    const env = {
      EVENTSTORE_CONNECTION_STRING: 'esdb://db:2113',
      DELEGATION_EVENT_STORE: 'x.sqlite',
    };
    expect(locateAuditStore({ context: 'delegation', store: 'copy.sqlite' }, env, paths)).toEqual({
      kind: 'sqlite',
      file: '/home/me/somewhere/copy.sqlite',
      source: '--store',
    });
    expect(locateAuditStore({ store: '/abs/copy.sqlite' }, {}, paths)).toMatchObject({ file: '/abs/copy.sqlite' });
  });

  it('asks for --context or --store, and refuses a context that is not a service name', () => {
    expect(() => locateAuditStore({}, {}, paths)).toThrow(AuditStoreUsageError);
    expect(() => locateAuditStore({}, {}, paths)).toThrow('pass --context <service name>');
    expect(() => locateAuditStore({ context: '../etc' }, {}, paths)).toThrow('--context must be a service name');
  });
});
