"""People: look-ups of one person and searches for people who can do a process."""

from __future__ import annotations

import re

from aimee.nlu.request_words.patterns import any_of

ABOUT_WHERE = re.compile(
    r"(?:さん|くん|ちゃん|様|君)?(?:って|は)\s*[^、。?？]{1,8}"
    r"(?:だ(?:った)?っけ|でしたっけ|だよね|ですよね|の人|[?？])"
)
"""「高山さんって盛岡だっけ？」「村上さんは梅田？」: where a person is, asked to be confirmed."""


CAN_USE = re.compile(r"(?:さん|くん|ちゃん)?(?:は|って|を)?\s*使え(?:る|ます)[?？]")
"""「竹下さん使える？」: whether a person may be used."""


ASKS_SOMEONE = re.compile(
    r"誰か|いない[?？]|お願いできる|頼める|入れられる|入れる[?？]|使える[?？]|使えます[?？]|ない[?？]$"
)


WHO = re.compile(
    r"誰が(?:でき|いる|速|早)|誰ができ|できる人|できる方|できるのは|誰[?？]?$|何人(?!か)|何名(?!か)"
    r"|(?:いる|おる|おります|居る)(?:か|かな)?[?？]|いますか|探"
    r"|(?:人|方)(?:って|は)?\s*(?:いない|おらん|おらへん|いませんか)[?？]"
    r"|\bwho can\b|how many"
)


LOOKUP = any_of(
    r"どこ|スキル|何ができ|レベル|担当|在籍|配置|経験|今何|いま何|何して|プロフィール|詳しく|について",
    r"使える|いける|できる|得意|苦手|何の工程|やって|出てる|来てる|出勤|lv|だよね|よね[?？]|where|skills?|level",
    r"tell me about|いる[?？]|いますか|active|\bdoko\b|\bnani\b|空いて(?:る|ます)(?:か|[?？])",
    r"(?:って|は)\s*(?:だれ|誰|どなた)[?？]?$",
    r"何時まで(?:いる|居る|勤務|シフト|出勤)?[?？]?$",
    r"どの(?:拠点|工程|業務|キュ|チ[ーｰ]?ム)|所属|どっち|どちら|経歴|何年目|出社|work(?:s|ing)?\b",
)


WHO_IS_ON = re.compile(r"(?:誰|だれ|どなた)が(?:担当|入って|やって|ついて)")
"""「品川の審査工程はどなたが担当されていますか」: who works a process (a skill search)."""


SKILL_WORDS = any_of(
    r"できる人|できるの|できる[?？]|できる方|誰ができ|誰が(?:でき|いる)|いける人|入れる人|人材",
    r"空いて|速い|早い|ベテラン|経験者|上級者|\bwho can\b|anyone (?:who|with)|fastest|available",
    r"(?:打て|やれ|こなせ|さばけ)る(?:人|方)",
)


COUNT = re.compile(r"何人|何名|how many")


ASKS_WHO = re.compile(r"誰|だれ|どなた|何人|何名|\bwho\b")
"""「E1最速って誰だっけ」: a person recalled from the data, not a rule."""


CAN_DO = re.compile(
    r"(?<!お願い)(?<!依頼)(?<!頼)(?:でき|打て|やれ|こなせ|さばけ)る(?:人|方|メンバ|オペレ|子)"
    r"|(?:補正|検証|エントリ\d)を?回せる(?:人|方)"  # 「補正回せる人」: who can do 補正
)
"""「エントリ1打てる人何人？」: who can do a process, asked whatever the classifier says."""
