import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Django serves the build: index.html through webapp/frontend's view for the SPA routes, and
// dist/ as static files under STATIC_URL, hence the /static/ base for every asset URL.
export default defineConfig({
  base: "/static/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    // `npm run dev` talks to `manage.py runserver` on :8000 for the API.
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
