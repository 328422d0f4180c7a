/// <reference types="vitest" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The service serves the build under /app/; `npm run dev` proxies the API to a running service
// (MC_API, default http://127.0.0.1:8080).
const api = process.env.MC_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "/app/",
  plugins: [react()],
  server: { proxy: { "/api": api, "/healthz": api } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
