"""The pages load a Bootstrap cut down to the rules they use (tools/trim-css): every Bootstrap class
that a template, a script or the Python that writes markup names is still in the cut-down file, so a
class added to a template without regenerating the CSS fails here instead of losing its style."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "tools" / "trim-css" / "bootstrap.full.min.css"
USED = ROOT / "static" / "vendor" / "bootstrap-5.3.9" / "bootstrap.used.min.css"
REGENERATE = "重新生成：cd tools/trim-css && npm ci && npm run trim"
# PurgeCSS's default extractor: what it counts as a word that may be a class name.
WORD = re.compile(r"[A-Za-z0-9_-]+")


def selectors(css: str) -> list[str]:
    """Each selector of a stylesheet's rules, a list like `.a, .b:not(.c, .d)` taken apart at its commas."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for prelude in re.findall(r"([^{}]+)\{", css):
        prelude = prelude.rsplit(";", 1)[-1].strip()  # after an @charset or @import
        if prelude.startswith("@"):
            continue  # @media, @supports, @keyframes: the rules inside are read on their own
        depth, start = 0, 0
        for i, ch in enumerate(prelude + ","):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                found.append(prelude[start:i].strip())
                start = i + 1
    return found


def classes(selector: str) -> set[str]:
    return set(re.findall(r"\.(-?[A-Za-z_][\w-]*)", selector))


def flash_categories() -> set[str]:
    """The categories given to flash() in quizapp/web; base.html shows each as alert-<category>."""
    found = set()
    for path in (ROOT / "quizapp" / "web").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "flash":
                category = node.args[1] if len(node.args) > 1 else ast.Constant("message")
                assert isinstance(category, ast.Constant), f"{path}: flash() 的类别应写成字面量"
                found.add("info" if category.value == "message" else category.value)
    return found


def words_in_markup() -> set[str]:
    """Every word of the templates, the scripts and quizapp/web's Python, as PurgeCSS reads them."""
    files = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "static" / "js").glob("*.js"),
             *(ROOT / "quizapp" / "web").rglob("*.py")]
    return {w for f in files for w in WORD.findall(f.read_text(encoding="utf-8"))}


def test_every_bootstrap_class_the_pages_name_is_in_the_trimmed_css() -> None:
    words = words_in_markup() | {f"alert-{c}" for c in flash_categories()}
    # A rule of full Bootstrap is wanted when every class its selector names is used somewhere
    # (`.navbar-nav .nav-link` yes; `.nav-tabs .nav-item`, with no nav-tabs anywhere, no).
    wanted = set().union(*(c for s in selectors(FULL.read_text(encoding="utf-8")) if (c := classes(s)) and c <= words))
    assert {"btn", "navbar-toggler", "alert-danger", "form-check-input", "page-link", "table-sm"} <= wanted
    kept = set().union(*map(classes, selectors(USED.read_text(encoding="utf-8"))))
    missing = sorted(wanted - kept)
    assert not missing, f"这些 Bootstrap 类被页面使用，但精简后的 CSS 里没有：{missing}。{REGENERATE}"


def test_the_trimmed_css_is_much_smaller_and_keeps_bootstrap_s_license() -> None:
    full, used = FULL.read_text(encoding="utf-8"), USED.read_text(encoding="utf-8")
    banner = re.search(r"/\*!\s*\* Bootstrap\s+(v[\d.]+).*?Licensed under MIT.*?\*/", used, re.S)
    assert banner, "精简后的 CSS 缺少 Bootstrap 的版权和许可声明"
    assert f"Bootstrap  {banner.group(1)} " in full, f"精简版与完整版不是同一版本 Bootstrap。{REGENERATE}"
    assert f"bootstrap-{banner.group(1)[1:]}" == USED.parent.name
    assert (USED.parent / "LICENSE").is_file()
    assert len(used) < len(full) / 3
    # Only the cut-down file is served: the full one lives with the tool, outside static/.
    assert not list((ROOT / "static").rglob("bootstrap.min.css"))
