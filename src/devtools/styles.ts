/** The panel's own small stylesheet (the stories' look: system font, cards, badges), scoped to `.rwd`. */
export const devtoolsCss = `
.rwd{--t:#1f2937;--m:#6b7280;--l:#e5e7eb;--s:#fff;--p:#f6f7f9;--a:#2563eb;--ok:#15803d;--okb:#dcfce7;--w:#b45309;--wb:#fef3c7;--b:#b91c1c;--bb:#fee2e2;
box-sizing:border-box;color:var(--t);background:var(--p);font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;border:1px solid var(--l);border-radius:12px}
.rwd *{box-sizing:border-box}
.rwd--fixed{position:fixed;left:8px;right:8px;bottom:8px;z-index:2147483000;max-height:50vh;display:flex;flex-direction:column;box-shadow:0 8px 24px rgba(0,0,0,.15)}
.rwd__head{display:flex;align-items:center;gap:8px;padding:8px 12px;border-bottom:1px solid var(--l);background:var(--s);border-radius:12px 12px 0 0}
.rwd__title{font-weight:600;flex:1}
.rwd__body{overflow:auto;padding:12px;display:grid;gap:12px}
.rwd--fixed .rwd__body{flex:1 1 auto;min-height:0}
.rwd__body>section{background:var(--s);border:1px solid var(--l);border-radius:8px;padding:10px 12px;min-width:0}
.rwd h4{margin:0 0 6px;font-size:13px}
.rwd table{width:100%;border-collapse:collapse;font-size:12px}
.rwd th,.rwd td{text-align:left;padding:3px 6px;border-top:1px solid var(--l);vertical-align:top;overflow-wrap:anywhere}
.rwd th{color:var(--m);font-weight:500;border-top:0}
.rwd code,.rwd pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
.rwd pre{margin:6px 0 0;padding:8px;background:var(--p);border-radius:6px;max-height:240px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
.rwd__note{color:var(--m);margin:0}
.rwd__row{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:6px}
.rwd__btn{font:inherit;font-size:12px;padding:3px 10px;border:1px solid var(--l);border-radius:6px;background:var(--s);color:var(--t);cursor:pointer}
.rwd__btn:hover{border-color:var(--a)}
.rwd__btn--bad{color:var(--b);border-color:var(--bb)}
.rwd__input{font:inherit;font-size:12px;padding:3px 8px;border:1px solid var(--l);border-radius:6px;flex:1 1 160px;min-width:0}
.rwd__badge{display:inline-block;padding:0 8px;border-radius:999px;font-size:12px;background:#f3f4f6}
.rwd__badge--open,.rwd__badge--active{background:var(--okb);color:var(--ok)}
.rwd__badge--connecting,.rwd__badge--reconnecting,.rwd__badge--pending,.rwd__badge--retrying{background:var(--wb);color:var(--w)}
.rwd__badge--closed,.rwd__badge--error,.rwd__badge--revoked{background:var(--bb);color:var(--b)}
.rwd__log{max-height:220px;overflow:auto;border-top:1px solid var(--l);list-style:none;margin:0;padding:0}
.rwd__msg{display:grid;grid-template-columns:92px 18px 110px 1fr 60px;gap:6px;width:100%;text-align:left;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;padding:2px 6px;border:0;border-bottom:1px solid var(--l);background:none;color:inherit;cursor:pointer}
.rwd__msg:hover,.rwd__msg[aria-current=true]{background:#eff6ff}
.rwd__msg span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.rwd__in{color:var(--ok)}.rwd__out{color:var(--a)}
.rwd__toggle{position:fixed;right:12px;bottom:12px;z-index:2147483000}
`
