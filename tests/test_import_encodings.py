"""UTF-16 without a byte-order mark is text (detected, or named with
--encoding), and a file with the wrong columns gives one consistent error count."""

import io

import pytest
from django.core.management import CommandError, call_command

from registry import models as m
from registry.imports.tables import open_rows

ORGS = "Company Name,企业名称,Province\nChina Mobile,中国移动,北京\nSinopec,中国石化,Beijing\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_detected(encoding):
    rows = open_rows(ORGS.encode(encoding))
    assert rows.encoding == encoding.replace("-", "_")
    assert [cells for _, cells in rows.rows][1] == ["China Mobile", "中国移动", "北京"]


def _run(tmp_path, *args, content: bytes):
    path = tmp_path / "orgs.csv"
    path.write_bytes(content)
    out = io.StringIO()
    call_command(*args, str(path), "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("options", [(), ("--encoding", "utf-16-le")])
def test_import_data_reads_utf16_le_without_a_bom(tmp_path, options):
    out = _run(tmp_path, "import_data", "organisations", *options, content=ORGS.encode("utf-16-le"))
    assert "Imported: 2 create" in out
    assert sorted(m.Organisation.objects.values_list("name_zh", flat=True)) == ["中国石化", "中国移动"]


@pytest.mark.django_db
def test_real_binary_is_still_refused(tmp_path):
    with pytest.raises(CommandError, match="binary"):
        _run(tmp_path, "import_data", "organisations", content=b"\x00\x01\x02\x03\xff\xfe\xfd" * 500)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["organisations", "metrics", "people"])
def test_a_file_with_the_wrong_columns_gives_one_error_count(tmp_path, kind):
    path = tmp_path / "wrong.csv"
    path.write_text("colour,size\nred,3\n")
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_data", kind, str(path), "--no-progress", stdout=out, stderr=io.StringIO())
    text = out.getvalue() + str(error.value)
    assert "0 error" not in text  # never "0 error" followed by "1 error(s)"
    assert "No header row found" in text
