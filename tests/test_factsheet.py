"""Factsheets read back: pages, the site's values, the map, and the whole shortlist."""

from __future__ import annotations

import pytest
from _toy import ROOT

from locscan import factsheet
from locscan.errors import CriteriaError, ExportError
from locscan.scan import Scan
from locscan.shortlist import Shortlist

GMR = ROOT / "criteria/gmr-tijdelijke-werknemers.yaml"


@pytest.fixture(scope="module")
def scan(small_demo):
    return Scan.open(small_demo, GMR)


def test_a_pdf_factsheet_per_site_reads_back(scan, tmp_path):
    from pypdf import PdfReader

    sites = list(scan.longlist().index[:2])
    store = Shortlist("sqlite://", "fs")
    scan.add_to_shortlist(store, sites[0], user="Anna")
    store.update(sites[0], user="Bram", expected_version=1, note="eigenaar gebeld",
                 capacity=60)
    sheets = [factsheet.facts(scan, s, store=store) for s in sites]
    out = factsheet.write(sheets, tmp_path / "factsheets.pdf")
    reader = PdfReader(out)
    assert len(reader.pages) == 2  # one page per site
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert sites[0] in text
    assert sites[1] in text
    assert "Binnen 15 km van een werklocatie" in text
    assert "eigenaar gebeld" in text
    assert "geschat door de werkgroep" in text  # the typed capacity, 60
    assert "criteria hash" in text
    assert "DEMO" in text


def test_the_html_factsheet_is_self_contained(scan, tmp_path):
    site = scan.longlist().index[0]
    out = factsheet.write([factsheet.facts(scan, site)], tmp_path / "f.html")
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page
    assert 'class="site"' in page
    assert "<script" not in page
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "staat niet op de shortlist" in page


def test_bad_factsheet_requests(scan, tmp_path):
    with pytest.raises(CriteriaError, match="geen locatie 'perceel:nee'"):
        factsheet.facts(scan, "perceel:nee")
    with pytest.raises(ExportError, match=r"a factsheet is \.pdf or \.html"):
        factsheet.write([], tmp_path / "f.docx")
