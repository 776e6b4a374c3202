import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/** The edge node or hub the dev server forwards API and live-stream requests to. */
const apiTarget = process.env.EMS_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [solid()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1_000 },
  server: {
    host: '127.0.0.1',
    proxy: {
      // The hub accepts refresh-cookie requests only from its own origin, so the proxy presents that origin.
      '/api': { target: apiTarget, changeOrigin: true, configure: (proxy) => proxy.on('proxyReq', (request) => request.setHeader('Origin', apiTarget)) },
      '/ws': { target: apiTarget.replace(/^http/, 'ws'), ws: true, changeOrigin: true, rewriteWsOrigin: true },
      '/.well-known': { target: apiTarget, changeOrigin: true },
    },
  },
});
