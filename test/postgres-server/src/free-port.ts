import { createServer } from 'node:net';

/**
 * Asks the kernel for a free loopback port: a server keeps its port across stopServer() /
 * startServer(), which port 0 cannot give. The test harness uses it too.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('free port: server has no TCP address'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}
