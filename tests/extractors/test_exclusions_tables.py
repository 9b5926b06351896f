"""Cells of tables flattened into text are not mentions, while one value per row of a column stays."""
from __future__ import annotations

from helpers import spans


def test_cells_of_a_multi_column_table_are_not_mentions():
    table = "TT\nNgành\n1\nKế toán\n200\n215\n24.5\n210\n(A00, A01)\n2\nLuật\n90\n84\n23.1\n95\n(A00, D01)\n"
    assert spans(table) == []


def test_numbers_side_by_side_on_one_line_are_table_cells():
    assert spans("Khoa Hóa học 45 52 21.75 50 Khoa Sinh học") == []
    assert spans("Trường Đại học A 1.250.000 4.000.000 Trường Đại học B") == []


def test_table_row_numbers_are_not_mentions():
    table = "TT\nNgành\nChỉ tiêu\n1\nKế toán\n230\n2\nLuật\n60\n3\nBảo hiểm\n150\n"
    assert spans(table) == ["230", "60", "150"]


def test_one_value_per_row_column_stays():
    assert spans("TT\nNgành\nChỉ tiêu\n1\nKế toán\n230\n2\nLuật\n60\n") == ["230", "60"]


def test_two_numbers_with_a_counted_noun_after_stay():
    assert spans("Trong năm 2020 45 doanh nghiệp mới được thành lập.") == ["45"]
