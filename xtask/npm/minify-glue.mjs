// Minifies the ES-module JavaScript that wasm-bindgen writes beside each app's wasm
// (Trunk's `minify` shrinks classic scripts such as the Markdown worker's glue but
// leaves modules as generated: about 60 KB per app), then updates the
// Subresource Integrity hashes in the HTML pages that preload it, which would
// otherwise make the browser refuse the changed file.
//
// Usage: node minify-glue.mjs <dist dir>
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { minify } from 'terser';

const dist = process.argv[2];
if (!dist) {
  console.error('usage: node minify-glue.mjs <dist dir>');
  process.exit(2);
}

function files(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return name.endsWith(ext) ? [path] : [];
  });
}

const sri = (data) => `sha384-${createHash('sha384').update(data).digest('base64')}`;

const integrity = new Map();
for (const path of files(dist, '.js')) {
  const code = readFileSync(path, 'utf8');
  if (!/^export /m.test(code)) continue;
  const result = await minify(code, { module: true, compress: true, mangle: true });
  writeFileSync(path, result.code);
  integrity.set('/' + relative(dist, path).split(sep).join('/'), sri(result.code));
  console.log(`minified ${relative(dist, path)}: ${code.length} -> ${result.code.length} bytes`);
}

for (const page of files(dist, '.html')) {
  const html = readFileSync(page, 'utf8');
  const updated = html.replace(/<link\b[^>]*>/g, (tag) => {
    const href = /\bhref=["']?([^"' >]+)/.exec(tag)?.[1];
    const hash = href && integrity.get(href);
    return hash ? tag.replace(/\bintegrity=(["']?)sha384-[A-Za-z0-9+/=]+\1/, `integrity=$1${hash}$1`) : tag;
  });
  writeFileSync(page, updated);
}
