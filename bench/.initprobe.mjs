import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
const lazy = /\/(callee|msgpack|rawsocket|progress-results|authentication)\.js$/;
const r = await esbuild.build({ stdin: { contents: process.argv[2], resolveDir: '/work/main', loader: 'js' }, bundle: true, minify: true, format: 'esm', write: false, metafile: true, external: ['@msgpack/msgpack','@noble/hashes','isomorphic-ws','ws','react','react-dom'], platform: 'browser', plugins:[{name:'lazy',setup(b){b.onResolve({filter:lazy},a=> a.kind==='dynamic-import' ? ({path:a.path, external:true}) : undefined)}}] });
const s = r.outputFiles[0].contents; console.log('initial min', s.length, 'gzip', gzipSync(s).length);
const o = Object.values(r.metafile.outputs)[0];
if (process.argv[3]) for (const [k,v] of Object.entries(o.inputs).sort((a,b)=>b[1].bytesInOutput-a[1].bytesInOutput).slice(0,+process.argv[3])) console.log(String(v.bytesInOutput).padStart(7), k);
