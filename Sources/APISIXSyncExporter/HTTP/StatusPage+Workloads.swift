/// The workloads behind measured Services, at-risk first, each with its configured preStop and grace period, the
/// end-to-end p99 lag of its Services, the verdict and, when it needs a change, the paste-ready patch.
extension StatusPage {
    func appendWorkloads(to html: inout String) {
        let document = snapshot.workloads
        guard document.enabled || !document.workloads.isEmpty else {
            let reason = StatusPageText.escape(document.disabledReason ?? "off")
            html += """
                <section class="card card-workloads" aria-labelledby="workloads-heading">
                <h2 id="workloads-heading">Workloads</h2>
                <p class="note" id="workloads-disabled">Pod deletion timing is off: \(reason). Removals are timed \
                from the EndpointSlice change and compared with --prestop-delay.</p>
                </section>

                """
            return
        }
        let atRisk = document.workloads.filter {
            $0.verdict == WorkloadVerdict.tooShort.rawValue
                || $0.verdict == WorkloadVerdict.exceedsGrace.rawValue
        }.count
        html += """
            <section class="card card-workloads" aria-labelledby="workloads-heading">
            <h2 id="workloads-heading">Workloads <span class="pill \(atRisk > 0 ? "pill-bad" : "pill-ok")" \
            id="workloads-at-risk">\(atRisk) at risk</span></h2>
            <p class="note">Each workload's own preStop against the end-to-end removal lag of its Services (pod \
            deletion until every APISIX target stops routing to it). At-risk workloads first, each with the patch \
            that fixes it; <a href="./api/v1/workloads">./api/v1/workloads</a> has the same as JSON.</p>
            <div class="table-scroll" role="region" aria-labelledby="workloads-heading" tabindex="0">
            <table id="workloads">
            <thead><tr><th scope="col">Workload</th><th scope="col" class="text">Verdict</th>\
            <th scope="col">preStop</th><th scope="col">Grace</th><th scope="col">p99 end to end</th>\
            <th scope="col">Recommended</th><th scope="col">Samples</th></tr></thead>
            <tbody>

            """
        for workload in document.workloads {
            let name = StatusPageText.escape("\(workload.namespace)/\(workload.name)")
            let kind = StatusPageText.escape(workload.kind)
            let tone: String
            switch workload.verdict {
            case WorkloadVerdict.ok.rawValue: tone = "pill-ok"
            case WorkloadVerdict.tooShort.rawValue, WorkloadVerdict.exceedsGrace.rawValue: tone = "pill-bad"
            default: tone = "pill-warn"
            }
            let verdict = StatusPageText.escape(workload.verdict.replacingOccurrences(of: "_", with: " "))
            let preStop =
                workload.prestopSeconds.map { "\($0) s (\(StatusPageText.escape(workload.prestop)))" }
                ?? StatusPageText.escape(workload.prestop)
            let p99 = workload.removalLagP99Seconds.map { StatusPageText.seconds($0) } ?? "–"
            let recommended = workload.recommendedPrestopSeconds.map { "\($0) s" } ?? "–"
            let services = StatusPageText.escape(workload.services.joined(separator: ", "))
            html += "<tr data-workload=\"\(name)\" data-verdict=\"\(StatusPageText.escape(workload.verdict))\">"
            html += "<th scope=\"row\">\(name) <span class=\"target\">\(kind)</span>"
            html += "<div class=\"note\">\(services)</div>"
            if let command = workload.kubectlPatch {
                html += "<details class=\"patch\" open><summary>Patch</summary>"
                if let note = workload.patchNote { html += "<p class=\"note\">\(StatusPageText.escape(note))</p>" }
                if let patch = workload.patch {
                    html += "<pre><code class=\"patch-json\">\(StatusPageText.escape(patch))</code></pre>"
                }
                html += "<pre><code class=\"kubectl-patch\">\(StatusPageText.escape(command))</code></pre></details>"
            }
            html += "</th><td class=\"text\"><span class=\"pill \(tone)\">\(verdict)</span></td>"
            html += "<td>\(preStop)</td><td>\(workload.terminationGracePeriodSeconds) s</td><td>\(p99)</td>"
            html += "<td>\(recommended)</td><td>\(workload.samples)</td></tr>\n"
        }
        html += "</tbody>\n</table>\n</div>\n</section>\n"
    }
}
