/// The status page's inline stylesheet: a responsive card grid, light and dark colours (WCAG AA contrast) and the
/// chart's SVG styles.
enum StatusPageStyle {
    static let css = """
        :root{color-scheme:light dark;--bg:#f3f5f8;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;
        --accent:#0550ae;--bar:#4a76b8;--delay:#8250df;--ok:#116329;--ok-bg:#dafbe1;--bad:#b3261e;--bad-bg:#ffebe9;
        --bad-bar:#cf222e;--warn:#7a4e00;--warn-bg:#fff3c4;--code:#f6f8fa;--shadow:rgba(31,35,40,.25)}
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#9ea7b3;
        --line:#30363d;--accent:#79b8ff;--bar:#5a8fd8;--delay:#c297ff;--ok:#56d364;--ok-bg:#12301c;--bad:#ff7b72;
        --bad-bg:#3b1416;--bad-bar:#f85149;--warn:#e3b341;--warn-bg:#33260a;--code:#0d1117;--shadow:rgba(0,0,0,.7)}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);
        font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
        a{color:var(--accent)}
        h1,h2{line-height:1.25;margin:0}
        h1{font-size:1.45rem}
        h2{font-size:1.1rem;margin-bottom:.35rem}
        .page-header{max-width:92rem;margin:0 auto;padding:1rem 1rem .25rem;display:flex;flex-wrap:wrap;
        gap:.5rem 1.5rem;align-items:center;justify-content:space-between}
        .meta{margin:.15rem 0 0;color:var(--muted);font-size:.9rem}
        .meta time{white-space:nowrap}
        .links{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;margin:0;padding:0}
        .links a{display:inline-block;padding:.2rem .65rem;border:1px solid var(--line);border-radius:999px;
        background:var(--card);text-decoration:none;font-size:.88rem}
        .links a:hover,.links a:focus-visible{border-color:var(--accent)}
        main{max-width:92rem;margin:0 auto;padding:.75rem 1rem 1rem;display:grid;gap:1rem;
        grid-template-columns:minmax(0,1fr)}
        @media (min-width:64rem){main{grid-template-columns:minmax(0,3fr) minmax(0,2fr);
        grid-template-areas:"verdict yaml" "workloads workloads" "removal addition" "services services"
        "sources sources"}
        .card-verdict{grid-area:verdict}.card-yaml{grid-area:yaml}.card-removal{grid-area:removal}
        .card-addition{grid-area:addition}.card-services{grid-area:services}.card-sources{grid-area:sources}
        .card-workloads{grid-area:workloads}}
        .patch{margin:.3rem 0 0}.patch summary{cursor:pointer;font-size:.88rem}
        .patch pre{white-space:pre-wrap;word-break:break-all}
        .card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.15rem;
        min-width:0}
        .note{color:var(--muted);font-size:.88rem;margin:.1rem 0 .6rem}
        .muted{color:var(--muted)}
        .pill{display:inline-block;padding:0 .55rem;border-radius:999px;font-size:.8rem;font-weight:600;
        border:1px solid currentColor;white-space:nowrap}
        .pill-ok,.pill-enough{color:var(--ok);background:var(--ok-bg)}
        .pill-bad,.pill-not_enough{color:var(--bad);background:var(--bad-bg)}
        .pill-warn,.pill-insufficient_data{color:var(--warn);background:var(--warn-bg)}
        .verdict{border-left-width:6px}
        .verdict-enough{border-left-color:var(--ok)}
        .verdict-not_enough{border-left-color:var(--bad)}
        .verdict-insufficient_data{border-left-color:var(--warn)}
        .eyebrow{margin:0 0 .3rem;font-size:.8rem;font-weight:600;letter-spacing:.04em;text-transform:uppercase;
        color:var(--muted)}
        .verdict h2{font-size:1.45rem;display:flex;gap:.5rem;align-items:center;margin:.2rem 0 .4rem}
        .icon{flex:none;fill:none;stroke-width:2.2;stroke-linecap:round;stroke-linejoin:round}
        .verdict-enough .icon{stroke:var(--ok)}
        .verdict-not_enough .icon{stroke:var(--bad)}
        .verdict-insufficient_data .icon{stroke:var(--warn)}
        .lede{margin:0 0 .9rem;max-width:46rem}
        .policy{margin:.8rem 0 0}
        .figures{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.5rem;margin:0}
        @media (min-width:40rem){.verdict .figures{grid-template-columns:repeat(3,minmax(0,1fr))}}
        .split-side .figures{grid-template-columns:repeat(3,minmax(0,1fr))}
        .figures div{border:1px solid var(--line);border-radius:8px;padding:.45rem .7rem}
        .figures dt{font-size:.78rem;color:var(--muted)}
        .figures dd{margin:0;font-size:1.3rem;font-weight:650;font-variant-numeric:tabular-nums}
        .figures small{font-size:.8rem;font-weight:400;color:var(--muted)}
        #figure-recommended-prestop dd{color:var(--accent)}
        .tone-bad,.figures .tone-bad dd{color:var(--bad);font-weight:700}
        .tone-warn,.figures .tone-warn dd{color:var(--warn);font-weight:700}
        pre{margin:0;padding:.75rem;background:var(--code);border:1px solid var(--line);border-radius:8px;
        overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere;
        font:12.5px/1.45 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
        .stats{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.1rem;margin:0 0 .4rem;padding:0;
        font-variant-numeric:tabular-nums}
        .stats span{color:var(--muted);font-size:.85rem}
        .chart{display:block;overflow:visible;font-size:12px}
        .chart .axis{stroke:var(--muted)}
        .chart .bar{fill:var(--bar)}
        .chart .bar.over{fill:var(--bad-bar)}
        .chart .bar:hover{opacity:.8}
        .chart text{fill:var(--fg)}
        .chart .tick{fill:var(--muted);text-anchor:middle}
        .chart .tick.end{text-anchor:end}
        .chart .count{text-anchor:middle;font-size:11px;font-variant-numeric:tabular-nums}
        .chart .empty{fill:var(--muted);text-anchor:middle;font-size:14px}
        .chart line.mark{stroke-width:2}
        .chart line.mark-recommendation{stroke:var(--fg)}
        .chart line.mark-prestop{stroke:var(--accent);stroke-dasharray:7 4}
        .chart line.mark-configured-delay{stroke:var(--delay);stroke-width:2.5;stroke-dasharray:2 3}
        .chart .mark-label{font-weight:650;paint-order:stroke;stroke:var(--card);stroke-width:4px;
        stroke-linejoin:round}
        .chart text.mark-prestop{fill:var(--accent)}
        .chart text.mark-configured-delay{fill:var(--delay)}
        @media (max-width:40rem){.chart .tick.minor{display:none}
        .ns,.target{display:block;font-size:12px;line-height:16px}}
        details{margin-top:.4rem;font-size:.88rem}
        summary{cursor:pointer;color:var(--muted)}
        .bucket-table table{margin-top:.3rem;width:auto}
        .table-scroll{overflow-x:auto;margin:0 -.25rem;padding:0 .25rem;
        background:linear-gradient(to left,var(--card) 40%,transparent) right/1.5rem 100% no-repeat local,
        radial-gradient(farthest-side at 100% 50%,var(--shadow),transparent) right/.6rem 100% no-repeat scroll}
        .table-scroll:focus-visible{outline:2px solid var(--accent)}
        table{border-collapse:separate;border-spacing:0;width:100%;font-variant-numeric:tabular-nums;font-size:14px;
        line-height:20px}
        th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
        thead th{font-size:.78rem;color:var(--muted);font-weight:600;border-bottom-width:2px;vertical-align:bottom}
        th:first-child,td:first-child,th.text,td.text{text-align:left}
        tbody th{font-weight:600}
        tbody tr:hover{background:var(--bg)}
        #services tbody th{position:sticky;left:0;background:var(--card)}
        .ns,.target{color:var(--muted);font-weight:400}
        td.empty{text-align:left;color:var(--muted)}
        .error-text{white-space:normal;min-width:10rem;color:var(--muted);font-size:.85rem}
        .split{display:flex;flex-wrap:wrap;gap:1rem 2rem}
        .split-main{flex:3 1 30rem;min-width:0}
        .split-side{flex:1 1 16rem;min-width:0}
        .page-footer{max-width:92rem;margin:0 auto;padding:0 1rem 2rem;color:var(--muted);font-size:.85rem}
        """
}
