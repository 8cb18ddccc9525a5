package io.github.alloclab.report;

/** The report page's style sheet, inlined in its {@code <head>}: large type and plain colours, for a projector. */
final class ReportStyle {

    private ReportStyle() {
    }

    /** Block colours are Tableau 10's blue (allocated), orange (free) and grey (metadata), as in the plots. */
    static final String CSS = """
            :root { color-scheme: light; }
            body { font: 17px/1.45 system-ui, "DejaVu Sans", sans-serif; color: #222; background: #fff;
                   max-width: 1500px; margin: 1.2rem auto; padding: 0 1.2rem; }
            h1 { font-size: 1.9rem; margin: 0 0 .3rem; }
            h2 { font-size: 1.45rem; margin: 2.2rem 0 .4rem; border-bottom: 2px solid #ddd; }
            code { font-size: .92em; background: #f3f3f3; padding: 0 .2em; border-radius: 3px; }
            .legend { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem .6rem; }
            .chip { display: inline-block; width: 1.3em; height: .9em; border-radius: 2px; }
            .chip.a { background: #4e79a7; } .chip.f { background: #f28e2b; } .chip.m { background: #9d9d9d; }
            .chip.x { opacity: .75; }
            .chip.hit { background: none; border: 2px solid; box-sizing: border-box; }
            .chip.k-alloc { border-color: #111; } .chip.k-realloc { border-color: #8e44ad; }
            .chip.k-free { border-color: #d62728; }
            table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .95rem; }
            th, td { padding: .25rem .7rem; border-bottom: 1px solid #e4e4e4; text-align: right; }
            th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
            th { background: #f6f6f6; }
            .bad { color: #c0392b; font-weight: bold; }
            .heaps { display: grid; gap: 0 14px; align-items: start; margin: .8rem 0; }
            .caption { height: 3.2em; overflow: hidden; font-size: .95rem; line-height: 1.35; margin: 0; }
            .ops .caption { text-align: right; padding-right: 6px; color: #666; }
            figure { margin: 0; }
            .panel { min-width: 0; }
            svg.timeline { display: block; width: 100%; background: #fff; }
            svg.timeline .region { fill: #ececec; }
            svg.timeline .bg { fill: transparent; }
            svg.timeline .row:hover .bg { fill: #ffe8a8; }
            svg.timeline .a { fill: #4e79a7; } svg.timeline .f { fill: #f28e2b; } svg.timeline .m { fill: #9d9d9d; }
            svg.timeline .x { opacity: .75; }
            svg.timeline .hit { fill: none; pointer-events: none; stroke-width: 2px; vector-effect: non-scaling-stroke; }
            svg.timeline .k-alloc { stroke: #111; } svg.timeline .k-realloc { stroke: #8e44ad; }
            svg.timeline .k-free { stroke: #d62728; fill: #d62728; }
            svg.labels { display: block; font-family: ui-monospace, "DejaVu Sans Mono", monospace; fill: #444; }
            svg.labels { overflow: visible; }
            svg.labels text { text-anchor: end; dominant-baseline: middle; }
            svg.labels .peak { fill: #c0392b; font-weight: bold; }
            .axis { position: relative; height: 2.6em; font: .75rem/1.2 ui-monospace, "DejaVu Sans Mono", monospace;
                    color: #555; border-top: 1px solid #999; }
            .axis span { position: absolute; top: 2px; white-space: nowrap; }
            .plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem; }
            .plot svg { width: 100%; height: auto; display: block; }
            .plot figcaption { font-size: .9rem; color: #555; }
            .summary .plot { max-width: 900px; }
            footer { margin: 2.5rem 0 1rem; font-size: .9rem; color: #666; border-top: 1px solid #ddd; padding-top: .5rem; }
            """;
}
