// Writes static/vendor/bootstrap-<version>/bootstrap.used.min.css: Bootstrap (from the npm package
// pinned in package.json) with only the rules whose class names appear in the templates, the
// scripts, or the Python that writes markup. Also refreshes bootstrap.full.min.css beside this file,
// the untrimmed upstream copy that tests/web/test_trimmed_css.py compares against (no node needed there).
// Run: cd tools/trim-css && npm ci && npm run trim
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PurgeCSS } from "purgecss";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const upstream = join(here, "node_modules", "bootstrap");
const { version } = JSON.parse(readFileSync(join(upstream, "package.json"), "utf8"));
const full = join(upstream, "dist", "css", "bootstrap.min.css");
const outDir = join(root, "static", "vendor", `bootstrap-${version}`);
const out = join(outDir, "bootstrap.used.min.css");

const [result] = await new PurgeCSS().purge({
  content: [
    join(root, "templates", "**", "*.html"),
    join(root, "static", "js", "*.js"),
    join(root, "quizapp", "web", "**", "*.py"),
  ],
  css: [full],
  // PurgeCSS's default extractor takes every word made of letters, digits, - and _: a class written
  // whole anywhere (a template, classList.toggle("show"), flash(..., "success") aside) is kept.
  safelist: {
    standard: [
      // Flash messages: alert-{{ category }} in base.html, the category given to flash() in Python.
      "alert-success", "alert-info", "alert-warning", "alert-danger",
      // States that scripts switch on and off (also written whole in them today).
      "show", "active", "disabled", "d-none", "is-invalid",
    ],
  },
  keyframes: true,
  fontFace: true,
  variables: false,  // app.css and inline styles read Bootstrap's --bs-* custom properties
});

// The banner (/*! … Licensed under MIT … */) comes through PurgeCSS as it is; check rather than trust.
if (!result.css.includes("Licensed under MIT")) throw new Error("Bootstrap's license banner went missing");
writeFileSync(out, result.css.endsWith("\n") ? result.css : result.css + "\n");
copyFileSync(join(upstream, "LICENSE"), join(outDir, "LICENSE"));
copyFileSync(full, join(here, "bootstrap.full.min.css"));
const size = (f) => readFileSync(f).length;
console.log(`Bootstrap ${version}: ${size(full)} bytes -> ${relative(root, out)}: ${size(out)} bytes`);
