# The HTML report is well-formed XML (polyglot XHTML5), self-contained (no
# external URL, no script), and holds the headline figures.
set -e
cd "$TMPDIR_CASE"
vocal report -q -o report.html "$SRC/tests/data/report/small.jsonl"
python3 - <<'PY'
import re, xml.dom.minidom
src = open("report.html", encoding="utf-8").read()
doc = xml.dom.minidom.parseString(src.encode("utf-8"))
print("well-formed")
print("scripts:", len(doc.getElementsByTagName("script")))
print("external:", len(re.findall(r'(?:src|href)="(?:https?:)?//', src)))
print("svg charts:", len(doc.getElementsByTagName("svg")))
tables = doc.getElementsByTagName("table")
print("every chart has a table:", len(tables) >= len(doc.getElementsByTagName("svg")))
def text(el): return "".join(n.data if n.nodeType == n.TEXT_NODE else text(n) for n in el.childNodes)
for el in doc.getElementsByTagName("div"):
    if el.getAttribute("id") in ("kpi-nps", "kpi-records"):
        print(el.getAttribute("id"), text(el))
print("@media print" in src)
PY
