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

  constructor(private readonly target: { readonly host: string; readonly port: number }) {}

  /** A proxy for the server of a `scheme://host:port/…` URI. */
  static for(uri: string, defaultPort: number): TcpOutageProxy {
    const url = new URL(uri.replace(/^[a-z+]+:/, 'http:'));
    return new TcpOutageProxy({ host: url.hostname, port: Number(url.port || defaultPort) });
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
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
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
