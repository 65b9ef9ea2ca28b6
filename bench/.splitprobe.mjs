import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync } from 'node:fs';
const dir = mkdtempSync('/tmp/sp-');
const r = await esbuild.build({ stdin: { contents: process.argv[2], resolveDir: '/work/main', loader: 'js' }, bundle: true, minify: true, format: 'esm', splitting: true, outdir: dir, metafile: true, external: ['@msgpack/msgpack','@noble/hashes','isomorphic-ws','ws','react','react-dom'], platform: 'browser', plugins:[{name:'rs',setup(b){b.onResolve({filter:/rawsocket\.js$/},a=>({path:'/work/main/src/transports/rawsocket-browser.ts'}))}}] });
for (const [k,o] of Object.entries(r.metafile.outputs)) { if (k.endsWith('.map')) continue; const b = readFileSync(k); console.log(k.split('/').pop(), o.entryPoint? 'ENTRY':'', b.length, gzipSync(b).length, Object.keys(o.inputs).slice(0,4).join(' ')); }
