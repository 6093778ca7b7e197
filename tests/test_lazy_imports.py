"""What a build process loads only when it needs it, and that the lighter way gives the same output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.sax import saxutils

import markdown
import pytest

from catalogue import charts, markup

ROOT = Path(__file__).resolve().parent.parent

BODY = """\
## A heading {#anchor}

Some *text* with a [link](https://example.org) and a footnote.[^1] The HTML spec
is by the W3C.

*[HTML]: Hyper Text Markup Language

| kind | count |
|:-----|------:|
| a    | 1     |

```python
print("code")
```

Term
: its definition

1. one
2. two

* a
* b

<div markdown="1">inside *html*</div>

[^1]: The note.
"""


def modules_after(code: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout))


def test_markdown_is_loaded_with_the_first_body_converted():
    assert not {"markdown", "nh3", "pygments"} & modules_after("import catalogue.markup, catalogue.site")
    assert {"markdown", "nh3"} <= modules_after("import catalogue.markup; catalogue.markup.to_html('*x*')")


def test_the_extensions_as_instances_convert_as_extra_by_name():
    by_name = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    _, clean = markup._converter()
    assert markup.to_html(BODY) == clean(by_name.convert(BODY))
    html = markup.to_html(BODY)
    for made_by_an_extension in ("<table>", "<abbr", "<dl>", "<sup>", "<pre><code>", "<p>inside <em>html</em></p>"):
        assert made_by_an_extension in html


def test_a_build_process_does_not_load_the_url_and_mail_modules_for_its_charts():
    assert "urllib.request" not in modules_after("import catalogue.charts")


@pytest.mark.parametrize("text", ["plain", "a & b < c > d", 'say "hi"', "it's", "both \" and '", "tab\there\nline\r"])
def test_chart_text_is_escaped_as_xml_saxutils_escapes_it(text):
    assert charts.escape(text) == saxutils.escape(text)
    assert charts.quoteattr(text) == saxutils.quoteattr(text)
