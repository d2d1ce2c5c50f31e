"""China's administrative divisions, from jionlp's gazetteer: names -> nested, coded areas.

Provinces, prefecture-level cities and counties/districts (three levels, ~3,500 areas) with
their official full names, short forms (浙江, 杭州) and administrative codes. Towns and
villages are left out: their names repeat too often to identify anything without an address.
The gazetteer is read once per process, lazily (about a second).
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from functools import cache

# A bare level printed for the area it means (市政府, 我市, 市委书记) and the endings of the
# official names of areas at that level.
LEVEL_ENDINGS = {"省": ("省", "自治区"), "市": ("市",), "县": ("县",), "区": ("区",)}


@dataclass(frozen=True, eq=False)  # one object per area: identity is equality
class Area:
    name: str  # official full name: 杭州市
    code: str  # administrative code: 330100
    parent: Area | None = None

    @property
    def path(self) -> tuple[Area, ...]:
        """From the province down to this area."""
        return (*(self.parent.path if self.parent else ()), self)

    @property
    def level(self) -> int:
        return len(self.path)

    def within(self, other: Area) -> bool:
        return other in self.path


class Gazetteer:
    def __init__(self, tree: dict):
        self.by_name: dict[str, list[Area]] = {}
        for province in tree.values():
            self._add(province, None)
        self._longest = max(map(len, self.by_name))

    def _add(self, node: dict, parent: Area | None, depth: int = 1) -> None:
        names = {node["_full_name"], *(node["_alias"] if isinstance(node["_alias"], list) else [node["_alias"]])}
        if parent is not None and node["_full_name"] in self.by_name and parent in self.by_name[node["_full_name"]]:
            area = parent  # 北京市 within 北京市, 香港 within 香港特别行政区: one area
        elif parent is not None and "直辖" in node["_full_name"] and node["_full_name"].endswith("行政区划"):
            area = parent  # 省直辖行政区划: a heading, not an area; 东方市 lies in 海南省
        else:
            area = Area(node["_full_name"], node["_admin_code"], parent)
            for name in names:
                if len(name) >= 2:
                    self.by_name.setdefault(name, []).append(area)
        if depth < 3:
            for key, child in node.items():
                if not key.startswith("_") and isinstance(child, dict) and "_full_name" in child:
                    self._add(child, area, depth + 1)

    def candidates(self, name: str) -> list[Area]:
        return self.by_name.get(name, [])

    def _name_at(self, text: str, start: int) -> str:
        """The longest name of an area that ``text`` has at ``start``."""
        for end in range(min(len(text), start + self._longest), start + 1, -1):
            if text[start:end] in self.by_name:
                return text[start:end]
        return ""

    def parse(self, text: str, context: tuple[Area, ...] = (), full_names: bool = False) -> tuple[Area | None, int]:
        """The most specific area that ``text`` starts with (浙江省杭州市钱塘区, 杭州钱塘区,
        永康市), and how many characters name it. Each further name must lie inside the one
        before; a name shared by several areas (朝阳区) is chosen by what it lies in, by the
        ``context`` areas (the article's home place, its other places), or not at all.
        ``full_names``: only names printed in full (北京市, not the 北京 of 北京大学)."""
        area, used = None, 0
        while name := self._name_at(text, used):
            found = [a for a in self.candidates(name) if not full_names or a.name == name]
            if area is not None:
                found = [a for a in found if a != area and a.within(area)]
            elif len(found) > 1:
                found = [a for a in found if any(a.within(c) or c.within(a) for c in context)] or found
                found = found if len(found) == 1 else [a for a in found if a in context]
            if len(found) != 1:
                break
            area, used = found[0], used + len(name)
        return area, used


@cache
def gazetteer() -> Gazetteer:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp  # prints a banner on import

        tree = jionlp.china_location_loader(detail=True)
    return Gazetteer(tree)


def place_key(area: Area) -> str:
    """The name that identifies an area: its own, or with the area above when shared (北京市朝阳区)."""
    if len(gazetteer().candidates(area.name)) <= 1 or area.parent is None:
        return area.name
    return place_key(area.parent) + area.name
