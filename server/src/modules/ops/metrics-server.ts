import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * With KEFU_METRICS=<port>, Prometheus metrics are served only here — GET /metrics on a
 * separate listener (loopback by default), never on the public port.
 */
export async function startMetricsServer(
  app: FastifyInstance,
  port: number,
  host: string,
): Promise<MetricsServer> {
  const register = app.metrics.client.register;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    register.metrics().then(
      (body) => res.writeHead(200, { 'content-type': register.contentType }).end(body),
      (err: unknown) => {
        app.log.error({ err }, 'metrics failed');
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
