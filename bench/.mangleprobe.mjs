import * as esbuild from 'esbuild';
import { gzipSync } from 'node:zlib';
import { execSync } from 'node:child_process';
const names = execSync(`grep -rhoE "private (readonly |static |async |get )*[a-zA-Z_]+" src | awk '{print $NF}' | sort -u`).toString().trim().split('\n');
const pub = new Set(['close','end','join','register','subscribe','state','value','key','options','realm','roles','callee','caller','abort','active','config','logger','debug','transport','socket','id','closed','listeners','pending','entries','find','remove','meta','host','table','timer','started','stopped','request','receive','deliver','dispatch','write','kill','progress','wake','attempt','attempts','sessions','subscriptions','registrations','calls','challenge','finished','failed','ended','broker','dealer','client','serializer','isClosed','interrupt','invoke','reply','port','last','key','lastError']);
const re = new RegExp('^(' + names.filter(n=>!pub.has(n)).join('|') + ')$');
for (const mangle of [false, true]) {
const r = await esbuild.build({ stdin: { contents: process.argv[2], resolveDir: '/work/main', loader: 'js' }, bundle: true, minify: true, format: 'esm', write: false, external: ['@msgpack/msgpack','@noble/hashes','isomorphic-ws','ws','react','react-dom'], platform: 'browser', mangleProps: mangle ? re : undefined, plugins:[{name:'rs',setup(b){b.onResolve({filter:/rawsocket\.js$/},a=>({path:'/work/main/src/transports/rawsocket-browser.ts'}))}}] });
const out = r.outputFiles[0].contents; console.log(mangle, out.length, gzipSync(out).length);
}
