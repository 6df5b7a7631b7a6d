import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const backend = 'http://localhost:3000';

/**
 * Writes `.br` and `.gz` beside every text asset of the build (≥ 1 KB), once, at build time: the
 * server (`@fastify/static` with `preCompressed`) sends them to browsers that accept them, so no
 * request pays for compression.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'kefu-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/')
        ? config.build.outDir
        : join(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const path = join(dir, name);
          return statSync(path).isDirectory() ? walk(path) : [path];
        });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json|txt|map)$/.test(file)) continue;
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // `KEFU_BUILD_MANIFEST=1 npm run build` writes dist/.vite/manifest.json, the chunk graph (to
    // check that the public pages import no antd, docs/benchmarks.md). Off by default: the server
    // would serve it to anyone, module paths included.
    manifest: process.env.KEFU_BUILD_MANIFEST === '1',
    // `KEFU_BUILD_SOURCEMAP=1`: source maps, for bench/agent-pages-profile.ts's PROFILE_SOURCES
    // (main-thread time per source module). Off by default, for the same reason.
    sourcemap: process.env.KEFU_BUILD_SOURCEMAP === '1',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // A staff page used to fetch ≈ 100 chunks (antd split into 0.1–40 KB parts) over the
          // browser's 6 connections (docs/benchmarks.md, agent-pages). antd and its rc parts now
          // come as one chunk. The core libraries get their own group first, at a higher
          // priority: otherwise the antd group pulls them in (it takes its modules'
          // dependencies) and the entry, and so the antd-free public pages, would import antd.
          groups: [
            {
              name: 'core',
              priority: 20,
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack|i18next|react-i18next|use-sync-external-store)[\\/]/,
            },
            {
              name: 'antd',
              priority: 10,
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+)[\\/]/,
            },
          ],
          // The app's own shared bits under 10 KB go into the chunks that use them.
          experimentalInlineCommonChunks: { maxSize: 10_000 },
        },
      },
    },
  },
});
