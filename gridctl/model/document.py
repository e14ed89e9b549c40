"""文件: 工作计划, 实施方案, 应急预案, 安全责任书, 安全制度 — each with its due date and its file.

The file (PDF or photo of the signed paper) is committed beside the record
(documents/<grid>/<id>.pdf); `gridctl due` tracks documents not yet done by their due date, and
the ones the profile asks every unit for (`supervision.documents`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from gridctl.model.base import Record
from gridctl.model.types import Code, Label, Note, Short, Text, vocab


class Document(Record):
    kind_name = "document"
    kind: Literal["document"]
    grid: Code = Field(description="the unit the document belongs to")
    type: vocab("document_types")  # type: ignore[valid-type]
    title: Text
    due: dt.date | None = Field(default=None, description="报送/签订期限")
    date: dt.date | None = Field(default=None, description="印发、报送或签订的日期 (empty: not done yet)")
    to: Short | None = Field(default=None, description="报送对象, e.g. 中心校, 县教育局安全办")
    attachment: Label | None = Field(
        default=None, description="its PDF or photo in the ledger: documents/XF0101/D2026-0001.pdf"
    )
    signed_by: Code | None = Field(default=None, description="安全责任书: staff id of who signed")
    signed_with: Short | None = Field(default=None, description="安全责任书: with whom (a unit, grid or person)")
    note: Note | None = None
