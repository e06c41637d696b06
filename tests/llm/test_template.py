from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from aimee.llm import template, template_en
from aimee.llm.claims import check
from aimee.llm.context import (
    AnswerContext,
    DonorCheck,
    NoHelpfulHelpers,
    OperatorFacts,
    QueueChange,
    QueueFacts,
)
from aimee.llm.prompt import build_messages
from aimee.llm.wording import finish_line
from tests.llm.factories import NOW, sapporo, seed_context


def test_the_seeds_example_states_the_real_numbers() -> None:
    text = template.compose(seed_context())
    assert text.startswith(  # the conclusion first, with the queue the helper leaves
        "高山麻由子さんを盛岡のエントリ1から札幌のエントリ1へ回せば間に合います"
        "（完了見込み16:04→16:00）。"
    )
    assert "残り20分" in text
    assert "残タスク120件" in text
    assert "担当4名（毎時300件）" in text
    assert "約20件が残る見込み" in text
    assert (
        "盛岡のエントリ1から高山麻由子さん（エントリ1 Lv4・経験36ヶ月・毎時90件）"
        "を札幌のエントリ1へ"
    ) in text
    assert (
        "札幌のエントリ1の遅延見込みは20件から0件になり、処理速度は+30%、"
        "完了見込みは16:04から16:00（-4分）になります。"
    ) in text
    assert "・納期20分前は3名移動:「納期の20分前に" in text  # quoted as written
    assert "類似度" not in text  # no raw score
    assert "移動元の工程も納期に間に合う見込みです" in text


def test_the_template_answer_passes_the_claim_check() -> None:
    ctx = seed_context()
    text = template.compose(ctx)
    assert check(ctx, text, text) is None


def test_a_donor_that_becomes_late_is_said() -> None:
    ctx = seed_context()
    assert ctx.suggestion is not None
    late_donor = replace(ctx.suggestion.changes[1], late_after=12)
    suggestion = replace(ctx.suggestion, changes=[ctx.suggestion.changes[0], late_donor])
    text = template.compose(replace(ctx, suggestion=suggestion))
    assert "移動元で遅延が生じる見込みです: 盛岡のエントリ1（12件）" in text


def test_delay_risk_lists_only_late_queues() -> None:
    on_time = replace(sapporo(), location="盛岡", late_tasks=0)
    ctx = AnswerContext(
        "間に合わない工程は？", "delay_risk_detection", NOW, queues=[sapporo(), on_time]
    )
    text = template.compose(ctx)
    assert "間に合わない見込みの工程は1件" in text
    assert "盛岡" not in text
    everything_fine = replace(ctx, queues=[on_time])
    assert "すべて納期に間に合う見込み" in template.compose(everything_fine)


def test_skill_search_lists_operators() -> None:
    ops = [OperatorFacts("上野由香利", "品川", "品川のエントリ1", "エントリ1", 4, 48, 92)]
    text = template.compose(
        AnswerContext("エントリ1ができる人", "skill_search", NOW, operators=ops)
    )
    assert "条件に合うオペレータは1名" in text
    assert "上野由香利（品川、エントリ1 Lv4・経験48ヶ月・毎時92件、現在品川のエントリ1）" in text


def test_general_without_knowhow_explains_what_aimee_does() -> None:
    text = template.compose(AnswerContext("何ができるの？", "general", NOW))
    assert "誰をどこへ動かせば間に合うか" in text


def test_notes_come_first() -> None:
    ctx = AnswerContext(
        "那覇の検証は？", "status_inquiry", NOW, notes=["那覇の検証の進捗データがありません。"]
    )
    assert template.compose(ctx).startswith("那覇の検証の進捗データがありません。")


def _what_if(message: str, fact: NoHelpfulHelpers) -> AnswerContext:
    """A what-if's answer context carrying ``fact`` about its queues, and nothing else."""
    return AnswerContext(
        message,
        "impact_analysis",
        NOW,
        kind="what_if",
        queues=list(fact.queues),
        no_helpful_helpers=fact,
    )


def test_a_what_if_no_helper_improves_is_worded_from_one_fact_in_both_languages() -> None:
    """「品川からLv5を2人入れたら？」 when no such helper helps: no note carries the verdict;
    both languages state it from the fact, an answer restating it is grounded, and a model
    is given it among the facts."""
    fact = NoHelpfulHelpers(queues=[sapporo()], head_count=2, min_level=5, origins=("品川",))
    ctx = _what_if("札幌のエントリ1に品川からLv5を2人入れたら？", fact)
    ja = template.compose(ctx)
    assert ja.startswith(
        "札幌のエントリ1は、品川からLv5以上を2名入れても納期に間に合わない見込みのままです："
    )
    en = template_en.compose(replace(ctx, language="en"))
    assert en.startswith("札幌 エントリ1 still misses its 16:00 deadline: no helper")
    assert check(ctx, ja, ja) is None
    facts = build_messages(ctx)[1]["content"].split("# 計算済みの回答")[0]
    assert f"- {ja.splitlines()[0]}" in facts  # the model is given it as a fact too


def test_people_asked_for_a_queue_on_time_already_get_one_verdict_in_both_languages() -> None:
    """The services judge the queue on time (a late task that rounds to none): both
    languages say it makes its deadline, from the same fact, not each by its own rule."""
    almost = replace(sapporo(), projected_completion=datetime(2025, 10, 23, 15, 50), late_tasks=0.3)
    fact = NoHelpfulHelpers(queues=[almost], on_time=True, head_count=2)
    ctx = _what_if("札幌のエントリ1に2人増やしたら？", fact)
    ja = template.compose(ctx)
    assert ja.startswith(
        "札幌のエントリ1は今のままでも納期に間に合う見込みです（完了見込み15:50、納期16:00まで余裕10分）。"
        "2名増やしても遅延見込みは0件のままで、変わりません。"
    )
    en = template_en.compose(replace(ctx, language="en"))
    assert en.startswith("札幌 エントリ1 makes its 16:00 deadline already")
    just_after = replace(almost, projected_completion=datetime(2025, 10, 23, 16, 2))
    ctx = _what_if("札幌のエントリ1に2人増やしたら？", replace(fact, queues=[just_after]))
    assert "余裕" not in template.compose(ctx)  # two minutes over is no margin
    assert "（完了見込み16:02、納期16:00の時点で残るタスクは0件）" in template.compose(ctx)


def test_a_plan_for_the_whole_floor_leads_with_the_floor_total() -> None:
    """Moves to several queues: no one queue's verdict stands for the plan."""
    seed = seed_context("全体の遅延を減らす配置を提案して")
    assert seed.suggestion is not None
    floor = replace(seed.suggestion, floor_before=1157, floor_after=55)
    ctx = replace(seed, whole_floor=True, suggestion=floor)
    assert template.compose(ctx).splitlines()[0] == (
        "1名を移動すれば、全体（全キュー）の遅延見込みは1,157件から55件に減りますが、"
        "すべての工程は間に合いません。"
    )
    on_time = replace(ctx, suggestion=replace(floor, floor_after=0))
    assert template.compose(on_time).startswith(
        "1名を移動すれば、全工程が納期に間に合います（全体の遅延見込み1,157件→0件）。"
    )
    one_queue = replace(ctx, whole_floor=False)  # a plan for one queue: that queue's verdict
    assert template.compose(one_queue).startswith("高山麻由子さんを")


def test_an_english_floor_plan_leads_with_the_floor_total() -> None:
    seed = seed_context("Reduce the delays on the whole floor")
    assert seed.suggestion is not None
    floor = replace(seed.suggestion, floor_before=1157, floor_after=55)
    ctx = replace(seed, kind="plan", whole_floor=True, language="en", suggestion=floor)
    assert template_en.compose(ctx).splitlines()[0] == (
        "Moving 1 operator(s) across the floor takes expected late tasks from 1,157 to 55: "
        "some queues still miss their deadlines."
    )


def test_a_place_the_plan_leaves_alone_is_unchanged() -> None:
    """「その案、那覇の補正に影響ない？」 about a queue the plan neither takes from nor
    helps: the verdict is that nothing changes there, not that it has no queue."""
    from aimee.llm.context import DonorCheck

    ctx = AnswerContext(
        "その案、那覇の補正に影響ない？",
        "impact_analysis",
        NOW,
        kind="donor_check",
        donor=DonorCheck(place="那覇の補正", leaving=[], queues=[]),
    )
    text = template.compose(ctx)
    assert text.startswith("那覇の補正の見込みはこの案では変わりません。")
    assert "計算対象の工程がありません" not in text
    english = template_en.compose(ctx)
    assert english.startswith("那覇の補正 is unchanged by this plan.")


def test_every_answer_reads_late_the_same_way() -> None:
    # a fraction of a task left at the deadline rounds to none: on time, in every answer
    nearly = replace(sapporo(), projected_completion=NOW.replace(hour=16, second=3), late_tasks=0.3)
    never = replace(sapporo(), location="那覇", projected_completion=None, late_tasks=120)
    for intent, kind in (("delay_risk_detection", "delay_risk"), ("status_inquiry", "status")):
        ctx = AnswerContext("全体は？", intent, NOW, queues=[nearly, never], whole_floor=True)
        ja = template.compose(ctx)
        assert "2工程中1工程" in ja or "間に合わない見込みの工程は1件" in ja, ja
        en = template_en.compose(replace(ctx, language="en", kind=kind))
        assert "1 of 2 queues" in en or "1 queue will miss" in en, en
    assert "will make its 16:00 deadline" in en and "less than one task left" in en  # status
    line = template.compose(AnswerContext("那覇は？", "status_inquiry", NOW, queues=[never]))
    assert "今の体制では終わる見込みがなく" in line and "見込みなし" not in line


def test_a_verdict_never_contradicts_its_own_times() -> None:
    # finishing two minutes after the deadline with under half a task left: on time, said so
    just = replace(sapporo(), projected_completion=NOW.replace(hour=16, minute=2), late_tasks=0.4)
    line = finish_line(just)
    assert "ほぼ間に合います" in line and "余裕" not in line
    # finishing before the deadline with tasks still arriving after it: late, no minus minutes
    arriving = replace(sapporo(), projected_completion=NOW.replace(hour=15, minute=57))
    for text in (finish_line(arriving), template.compose(_one(arriving))):
        assert "間に合" in text and "-" not in text and "遅れ" not in text.split("。")[0]
    en = template_en.queue_sentence(arriving)
    assert "will miss" in en and "min late" not in en


def test_a_time_asked_about_is_answered_first_with_the_business() -> None:
    ctx = replace(_one(sapporo()), kind="finish_time", by_time=NOW.replace(hour=18, minute=0))
    assert template.compose(ctx).startswith(
        "札幌のエントリ1（業務523201）は18:00までには間に合います（完了見込み16:04、余裕116分）。"
    )
    en = template_en.compose(replace(ctx, language="en"))
    assert en.startswith(
        "札幌 エントリ1 (business 523201) will be done by 18:00 (116 min to spare)."
    )
    never = replace(sapporo(), projected_completion=None)
    assert template.compose(replace(ctx, queues=[never])).startswith(
        "札幌のエントリ1（業務523201）は18:00までには間に合いません。"
    )
    # a business the master data names is said by its name too, as managers say it
    named = replace(ctx, queues=[replace(sapporo(), business_name="SS")])
    assert template.compose(named).startswith(
        "札幌のエントリ1（業務523201・SS）は18:00までには間に合います"
    )
    en = template_en.compose(replace(named, language="en"))
    assert en.startswith("札幌 エントリ1 (business 523201, SS) will be done by 18:00")


def _one(q: QueueFacts) -> AnswerContext:
    return AnswerContext("札幌のエントリ1は？", "status_inquiry", NOW, queues=[q])


def test_a_what_if_that_helps_its_queue_but_hurts_the_floor_says_so_first() -> None:
    """A manager reading only the first sentence learns the floor gets worse."""
    ctx = seed_context("高山さんを札幌のエントリ1に回したら？")
    assert ctx.suggestion is not None
    late_donor = replace(ctx.suggestion.changes[1], late_after=102)
    suggestion = replace(
        ctx.suggestion,
        changes=[ctx.suggestion.changes[0], late_donor],
        floor_before=1106,
        floor_after=1187,
        premise="高山麻由子さんを盛岡のエントリ1から札幌のエントリ1へ回すと、",
    )
    first = template.impact_verdict(suggestion)
    assert first == (
        "高山麻由子さんを盛岡のエントリ1から札幌のエントリ1へ回すと、札幌のエントリ1は"
        "間に合うようになります（遅延見込み20件→0件）が、盛岡のエントリ1が遅れるため、"
        "全体（全キュー）の遅延見込みは1106件→1187件に増え、悪くなります。"
    )
    better = replace(suggestion, changes=ctx.suggestion.changes, floor_after=1086)
    assert template.impact_verdict(better).endswith(
        "（遅延見込み20件→0件）。全体（全キュー）の遅延見込みは1106件→1086件で、良くなります。"
    )


def test_a_donor_check_of_a_queue_the_plan_helps_says_when_it_finishes_in_both_languages() -> None:
    ctx = seed_context("その場合札幌のE1は何時に終わる？")
    assert ctx.suggestion is not None
    target = ctx.suggestion.changes[0]
    donor = DonorCheck(place="札幌のエントリ1", leaving=[], queues=[target])
    asked = replace(ctx, kind="donor_check", donor=donor)
    assert template.compose(asked).startswith(
        "この案で札幌のエントリ1は間に合うようになります（完了見込み16:04→15:59、"
        "遅延見込み20件→0件）。この案では札幌のエントリ1から誰も動かしません。"
    )
    english = template_en.compose(replace(asked, language="en"))
    assert english.startswith("With this plan, エントリ1 finishes at 15:59 instead of 16:04")
    late_elsewhere = QueueChange("札幌", "検証", 12, 12, None, None)
    site = replace(donor, place="札幌", queues=[target, late_elsewhere])  # the site as a whole
    assert template.compose(replace(asked, donor=site)).startswith(
        "札幌の検証はこの案と関係なく間に合わない見込みです。"
    )


def test_a_donor_check_of_one_queue_the_plan_hurts_names_it_once() -> None:
    """「品川SSの検証はどうなるの」 under a plan that takes from it: 「品川の検証」, not
    「品川の検証の検証」; a site asked names its queues after it."""
    ctx = seed_context("その場合品川の検証は？")
    hurt = QueueChange("品川", "検証", 60, 199, None, None)
    queue = DonorCheck(place="品川の検証", leaving=[], queues=[hurt])
    asked = replace(ctx, kind="donor_check", donor=queue)
    assert template.compose(asked).startswith(
        "この案では品川の検証は間に合わず、さらに悪化します（遅延見込み60件→199件）。"
    )
    on_time = QueueChange("品川", "補正", 0, 16, None, None)
    site = replace(queue, place="品川", queues=[hurt, on_time])
    assert template.compose(replace(asked, donor=site)).startswith(
        "この案では品川の検証は間に合わず、さらに悪化します（遅延見込み60件→199件）、"
        "品川の補正は間に合わなくなります（遅延見込み0件→16件）。"
    )
    still_late = QueueChange("品川", "検証", 60, 60, None, None)
    english = template_en.compose(
        replace(asked, language="en", donor=replace(queue, queues=[still_late]))
    )
    assert english.startswith("品川の検証 will be late regardless of this plan.")
