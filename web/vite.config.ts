import { defineConfig } from 'vite';

/** The Globe UI: built into web/dist, served by the NestJS app itself. */
export default defineConfig({
  root: __dirname,
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/socket.io': { target: 'http://127.0.0.1:3000', ws: true } } },
});
