"""Japanese family and given names for generated operators."""

from __future__ import annotations

import random

# fmt: off
FAMILY_NAMES = (
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
    "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
    "山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
    "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本",
    "斉藤", "福田", "太田", "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦",
    "原田", "松田", "竹内", "小野", "菅原", "工藤", "千葉", "佐野", "大城", "比嘉",
)
GIVEN_NAMES = (
    "美咲", "陽子", "恵美", "由美", "直美", "裕子", "智子", "久美子", "真由美", "明美",
    "さくら", "彩", "愛", "舞", "優子", "香織", "沙織", "千尋", "奈々", "理恵",
    "麻衣", "瞳", "早紀", "綾香", "京子", "幸子", "和子", "典子", "純子", "友美",
    "健太", "翔太", "大輔", "拓也", "直樹", "浩二", "誠", "亮", "隆", "聡",
)
# fmt: on


def unique_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """``count`` distinct full names not in ``taken`` (which is updated)."""
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(FAMILY_NAMES) + rng.choice(GIVEN_NAMES)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names
