// Builds the page into dist/: the bundled script (with @microsoft/signalr), the stylesheet and index.html.
// Usage: npm run build   (or: npm run watch)
import { build, context } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const watch = process.argv.includes("--watch");
const outdir = "dist";

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const options = {
  entryPoints: ["src/app.js", "src/app.css"],
  outdir,
  bundle: true,
  format: "esm",
  target: ["es2022"],
  platform: "browser",
  minify: !watch,
  sourcemap: watch,
  logLevel: "info",
};

await copyFile("src/index.html", `${outdir}/index.html`);
if (watch) {
  const ctx = await context(options);
  await ctx.watch();
} else {
  await build(options);
}
