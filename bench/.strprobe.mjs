import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
const r = await esbuild.build({ stdin: { contents: process.argv[2], resolveDir: '/work/main', loader: 'js' }, bundle: true, minify: true, format: 'esm', write: false, external: ['@msgpack/msgpack','@noble/hashes','isomorphic-ws','ws','react','react-dom'], platform: 'browser', plugins:[{name:'rs',setup(b){b.onResolve({filter:/rawsocket\.js$/},a=>({path:'/work/main/src/transports/rawsocket-browser.ts'}))}}] });
const s = r.outputFiles[0].text;
const strs = s.match(/"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g) || [];
const total = strs.reduce((a,b)=>a+b.length,0);
console.log('strings', strs.length, 'bytes', total, 'of', s.length);
const nostr = s.replace(/"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '""');
console.log('gzip all', gzipSync(s).length, 'gzip without strings', gzipSync(nostr).length);
