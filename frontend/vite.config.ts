import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Django serves the build: index.html through webapp/frontend's view for the app's routes, and
// dist/ as static files under STATIC_URL, hence the /static/ base of every built asset URL. The
// dev server (`npm run dev`) serves from / and proxies the API to `manage.py runserver`.
export default defineConfig(({ command }) => ({
  base: command === "build" ? "/static/" : "/",
  plugins: [react()],
  // The Evaluate page's chunk is ~660 kB, ECharts with only its used charts registered being
  // ~600 kB of it; it loads lazily, only on that page.
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 700 },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
}));
