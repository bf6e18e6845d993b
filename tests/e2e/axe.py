"""axe-core (vendored under static/vendor) in the page under test: WCAG 2.1 A and AA violations.

The script is added by its URL on the app's own server, so the page's CSP (script-src 'self')
lets it run as it is, with no bypass.
"""
from __future__ import annotations

from urllib.parse import urljoin

AXE_URL = "/static/vendor/axe-core-4.14.1/axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """async tags => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('')),
  }));
}"""


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """The page's WCAG 2.1 A/AA violations as axe reports them (id, impact, help, failing nodes)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(url=urljoin(page.url, AXE_URL))
    return page.evaluate(RUN, WCAG_21_AA)


def describe(where: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}, {len(v['nodes'])} 处) {v['help']}")
        lines.extend(f"    {node}" for node in v["nodes"][:6])
    return "\n".join(lines)
