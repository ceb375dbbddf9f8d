// Builds the pages into dist/: the chat page (the bundled script with @microsoft/signalr, the stylesheet and
// index.html) and the operators' admin page in dist/admin/ (its own script, stylesheet and index.html).
// Usage: npm run build   (or: npm run watch)
import { build, context } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const watch = process.argv.includes("--watch");
const outdir = "dist";

await rm(outdir, { recursive: true, force: true });
await mkdir(`${outdir}/admin`, { recursive: true });

const options = {
  entryPoints: ["src/app.js", "src/app.css", "src/admin/admin.js", "src/admin/admin.css"],
  outdir,
  outbase: "src",
  bundle: true,
  format: "esm",
  target: ["es2022"],
  platform: "browser",
  minify: !watch,
  sourcemap: watch,
  logLevel: "info",
};

await copyFile("src/index.html", `${outdir}/index.html`);
await copyFile("src/admin/index.html", `${outdir}/admin/index.html`);
if (watch) {
  const ctx = await context(options);
  await ctx.watch();
} else {
  await build(options);
}
