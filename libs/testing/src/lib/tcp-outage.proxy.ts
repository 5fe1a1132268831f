import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server (MongoDB, Kafka, …) that a test can take away and give
 * back: `stop()` is an outage as clients see one (open connections cut, new ones refused),
 * `start()` ends it on the same port. Point the client at `uri`/`port`, not at the server.
 */
export class TcpOutageProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** The proxy's port (0 until the first start; then kept across restarts). */
  port = 0;

  constructor(
    private readonly target: { readonly host: string; readonly port: number },
    /**
     * Keep the port through an outage (connections are cut as they arrive) instead of closing the
     * listener: on a busy machine another process's connection can take the ephemeral port while
     * it is closed, and the clients never get back (seen with the MongoDB driver on a CI clone).
     */
    private readonly options: { readonly holdPort?: boolean } = {},
  ) {}

  /** A proxy for the server of a `scheme://host:port/…` URI. */
  static for(uri: string, defaultPort: number, options: { readonly holdPort?: boolean } = {}): TcpOutageProxy {
    const url = new URL(uri.replace(/^[a-z+]+:/, 'http:'));
    return new TcpOutageProxy({ host: url.hostname, port: Number(url.port || defaultPort) }, options);
  }

  /** While true, connections are cut as they arrive (the port stays ours: see stop()). */
  private down = false;

  async start(): Promise<void> {
    this.down = false;
    if (this.server) return;
    const server = createServer((client) => {
      if (this.down) {
        client.on('error', () => undefined);
        client.destroy();
        return;
      }
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        // A cut connection errors on both ends; that is the point, not a failure of the test.
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as { port: number }).port;
  }

  /** An outage: open connections are cut, and new ones refused (or, with `holdPort`, cut as they arrive). */
  async stop(): Promise<void> {
    if (!this.options.holdPort) return this.close();
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  /** Closes the proxy: open connections cut, the port released (the end of a test). */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
