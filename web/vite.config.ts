import { defineConfig } from "vitest/config";

// A static site: relative asset URLs so it works from any path (GitHub Pages project sites).
export default defineConfig({
  base: "./",
  build: { target: "es2022", chunkSizeWarningLimit: 1500 },
  worker: { format: "es" },
  server: { fs: { allow: [".."] } },
  test: { include: ["test/**/*.test.ts"], environment: "node" },
});
