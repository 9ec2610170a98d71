"""`loket city`: the staffing advice of every office in one table, with the cost of each office's WFH policies."""

import pandas as pd
from builders import write_one_desk_office

from simulation.cli import main


def _office(path, name, staff, per_hour):
    return write_one_desk_office(path, name, staff, per_hour)


def test_city_table_agrees_with_staff_on_each_office(tmp_path):
    quiet = _office(tmp_path / "quiet.toml", "quiet_office", 4, 8.0)  # 4 officers, work for about 1.3
    busy = _office(tmp_path / "busy.toml", "busy_office", 2, 10.0)  # 2 officers, work for about 1.7
    assert main(["city", str(quiet), str(busy), "--out", str(tmp_path / "city"), "--quiet"]) == 0
    city = pd.read_csv(tmp_path / "city" / "city.csv")
    assert (tmp_path / "city" / "city.png").is_file() and (tmp_path / "city" / "report.html").is_file()
    assert list(dict.fromkeys(city.office)) == ["quiet_office", "busy_office"]
    for name, path in (("quiet_office", quiet), ("busy_office", busy)):
        assert main(["staff", str(path), "--out", str(tmp_path / name), "--quiet"]) == 0
        staff = pd.read_csv(tmp_path / name / "staffing.csv")
        mine = city[city.office == name].reset_index(drop=True)
        assert mine.recommended_onsite.tolist() == staff.recommended_onsite.tolist()
        # Officer-days a week that could work from home: only where the standard is met.
        could = staff.may_work_from_home.where(staff.status == "meets", 0).sum()
        assert mine.may_work_from_home.sum() == could
    assert city[city.office == "quiet_office"].may_work_from_home.sum() > 0
    # The WFH policy costs citizens hours at the busy office, per its own comparison.
    busy_rows = city[city.office == "busy_office"]
    assert (busy_rows.wfh_50_extra_citizen_hours_lost > 0).all()
    assert busy_rows.wfh_50_extra_citizen_hours_lost.nunique() == 1  # one office-level value on every row


def test_city_refuses_two_offices_with_one_name(tmp_path, capsys):
    a = _office(tmp_path / "a.toml", "same", 2, 5.0)
    b = _office(tmp_path / "b.toml", "same", 3, 5.0)
    assert main(["city", str(a), str(b), "--out", str(tmp_path / "c")]) == 2
    assert "same name" in capsys.readouterr().err and not (tmp_path / "c").exists()
