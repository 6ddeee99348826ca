// A tiny static file server for the demo, for trying it by hand and for the test. It serves, read-only, the demo
// (/examples/browser/) and the client's browser build (/clients/js/dist/), from the repository root, so that the
// page's import of ../../clients/js/dist/realtime.min.js works as it does in the source tree.
//   node serve.mjs [port]        (default 8080; then open http://localhost:8080/)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVED = ['/examples/browser/', '/clients/js/dist/'];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.png': 'image/png', '.md': 'text/plain; charset=utf-8',
};

/** Starts the server on host:port (port 0 picks a free one) and resolves with the node:http Server, listening. */
export function serve({ port = 8080, host = '127.0.0.1' } = {}) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://x');
    const path = normalize(decodeURIComponent(url.pathname));
    if (path === '/') return answer(response, 302, { Location: '/examples/browser/' + url.search });
    const file = path.endsWith('/') ? path + 'index.html' : path;
    if (request.method !== 'GET' || !SERVED.some((prefix) => file.startsWith(prefix)) || file.includes('node_modules')) {
      return answer(response, 404, {}, 'not found');
    }
    try {
      const body = await readFile(join(ROOT, file));
      answer(response, 200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' }, body);
    } catch {
      answer(response, 404, {}, 'not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function answer(response, status, headers, body = '') {
  response.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || process.env.PORT_HTTP || 8080);
  await serve({ port, host: 'localhost' });
  console.log(`demo on http://localhost:${port}/ (the gateway: ws://localhost:8000, or add ?url=ws://host:port)`);
}
