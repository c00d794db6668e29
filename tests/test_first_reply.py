"""missing-empathy's first-reply logic beyond its pack examples: the options
that judge a customer still upset and not yet acknowledged, and their message."""

from __future__ import annotations

import pytest

import deescalate_lint as dl

PUSHBACK = {
    "id": "pushback",
    "language": "en",
    "turns": [
        {"speaker": "customer", "text": "This is ridiculous, third time I've called about this!!"},
        {"speaker": "agent", "text": "Can I take your account number?"},
        {"speaker": "customer", "text": "But the van came on Tuesday!"},
        {"speaker": "agent", "text": "The next slot is Monday morning."},
    ],
}


def _turns(options: dict[str, object] | None = None) -> list[int]:
    linter = dl.Linter(
        select=["missing-empathy"], options={"missing-empathy": options} if options else None
    )
    return [f.turn for f in linter.lint(PUSHBACK)]


def test_a_push_back_after_no_acknowledgement_is_judged_and_says_why() -> None:
    findings = dl.Linter(select=["missing-empathy"]).lint(PUSHBACK)
    assert [f.turn for f in findings] == [1, 3]
    assert "pushed back in turn 3" in findings[1].message
    assert "not acknowledged since" in findings[1].message


@pytest.mark.parametrize(
    "options",
    [{"unheard-words": 0, "unheard-marks": []}, {"unheard-marks": []}],
    ids=["off", "words-only"],
)
def test_the_options_switch_it_off(options: dict[str, object]) -> None:
    # Six words: below `unheard-words`, so without the mark it is not judged.
    assert _turns(options) == [1]


def test_a_long_turn_is_judged_without_a_mark() -> None:
    assert _turns({"unheard-marks": [], "unheard-words": 5}) == [1, 3]


def test_an_acknowledgement_in_between_ends_it() -> None:
    turns = [dict(t) for t in PUSHBACK["turns"]]  # type: ignore[union-attr]
    turns[1]["text"] = "I can hear how frustrating this has been. Can I take your account number?"
    assert dl.Linter(select=["missing-empathy"]).lint({**PUSHBACK, "turns": turns}) == []


def _opening(text: str, options: dict[str, object] | None = None) -> list[int]:
    linter = dl.Linter(
        select=["missing-empathy"], options={"missing-empathy": options} if options else None
    )
    turns = [
        {"speaker": "customer", "text": text},
        {"speaker": "agent", "text": "Can I take your booking reference?"},
    ]
    return [f.turn for f in linter.lint({"id": "opening", "language": "en", "turns": turns})]


def test_a_weak_sign_exclaimed_is_judged_from_the_first_turn() -> None:
    assert _opening("Still nothing!") == [1]
    assert _opening("Still nothing.") == []
    assert _opening("Still nothing!", {"exclaimed-marks": []}) == []
    # A detector signal with a "!" closing a sentence is upset for the detector
    # itself (its `one_mark`, twentieth session), whatever the rule's option.
    assert _opening("It still doesn't work!", {"exclaimed-marks": []}) == [1]
    assert _opening("It still doesn't work.") == []


def test_an_exclaimed_turn_that_calms_down_is_not_judged() -> None:
    assert _opening("Still nothing! Thanks, that's sorted now!") == []


def test_a_turn_upset_on_its_own_after_an_acknowledgement_is_not_judged() -> None:
    # Session 20: the pack sets `judged-after-heard = false`.
    turns = [dict(t) for t in PUSHBACK["turns"]]  # type: ignore[union-attr]
    turns[1]["text"] = "I know you're fed up. Can I take your account number?"
    turns[2]["text"] = "It's 4471 and hurry up you useless clown"
    heard = {**PUSHBACK, "turns": turns}
    assert dl.Linter(select=["missing-empathy"]).lint(heard) == []
    # An insult after an acknowledgement is not judged either way while the pack's
    # `heard-through-signals` holds "insult" (abuse28); without it, `judged-after-heard`
    # alone decides.
    rejudged = dl.Linter(
        select=["missing-empathy"], options={"missing-empathy": {"judged-after-heard": True}}
    )
    assert rejudged.lint(heard) == []
    linter = dl.Linter(
        select=["missing-empathy"],
        options={"missing-empathy": {"judged-after-heard": True, "heard-through-signals": []}},
    )
    assert [f.turn for f in linter.lint(heard)] == [3]


@pytest.mark.parametrize(
    ("language", "customer", "reply", "quoted"),
    [
        (
            "ko",
            "환불 신청한 지 3주째인데 아직도 처리가 안 됐습니다. 정말 화가 납니다!",
            "제목: RE: 반품 완료 후 3주째 환불 미처리\n\n반품 상품은 검수 후 환불됩니다. "
            "영업일 기준 7일 내 처리됩니다.",
            "반품 상품은 검수 후 환불됩니다",
        ),
        (
            "de",
            "Seit drei Wochen warte ich auf mein Geld, das ist eine Frechheit!",
            "Betreff: Ihre Erstattung\n\nDie Erstattung erfolgt nach Prüfung der Ware. "
            "Bitte haben Sie noch Geduld.",
            "Die Erstattung erfolgt nach Prüfung der Ware",
        ),
    ],
    ids=["ko", "de"],
)
def test_the_quote_skips_the_subject_line_an_email_reply_opens_with(
    language: str, customer: str, reply: str, quoted: str
) -> None:
    """The quote is the reply's first sentence, as a QA lead names it, not its
    subject heading; a subject that is the whole turn is still quoted."""
    linter = dl.Linter(select=["missing-empathy"])
    turns = [{"speaker": "customer", "text": customer}, {"speaker": "agent", "text": reply}]
    findings = linter.lint({"id": "mail", "language": language, "turns": turns})
    assert [f.evidence for f in findings] == [quoted]
    turns[1]["text"] = reply.split("\n")[0]
    findings = linter.lint({"id": "mail", "language": language, "turns": turns})
    assert [f.evidence.startswith(reply[:4]) for f in findings] == [True]


#: An upset customer turn per language, for tests of the reply's quote.
UPSET = {
    "en": "This is outrageous, third time I've called!!",
    "de": "Das ist eine Frechheit, schon das dritte Mal!!",
    "fi": "Tämä on jo kolmas kerta!! Ihan käsittämätöntä!",
    "zh": "这都第三次了！太过分了！！",
    "ko": "벌써 세 번째예요!! 정말 화가 납니다!",
}


@pytest.mark.parametrize(
    ("language", "reply", "quoted"),
    [
        ("en", "Hi Sam,\nThis is Anna from the billing team. Your card was charged.", "Your card"),
        ("en", "I'm Anna from billing and your card was charged correctly.", "I'm Anna"),
        ("en", "It's Tuesday. Your card was charged correctly.", "It's Tuesday"),
        ("de", "Hier ist Ihre Rechnung. Sie ist korrekt.", "Hier ist Ihre Rechnung"),
        ("fi", "Hei, täällä Minna Elisan asiakaspalvelusta. Lasku on oikein.", "Hei, täällä"),
        ("fi", "Olen pahoillani. Lasku on oikein.", "Olen pahoillani"),
        ("zh", "您好！\n我是XX银行客服小王。\n您的订单已经发出了。", "您的订单"),
        ("zh", "我是说您的订单已经发出了。请耐心等待。", "我是说"),
        ("ko", "박준서 고객님께\n안녕하십니까. ○○몰 고객센터입니다.\n문의 감사합니다.", "문의"),
        ("ko", "문제는 환불 여부입니다. 규정상 어렵습니다.", "문제는 환불 여부입니다"),
        # Cases a cold review found: neither a subject line nor an introduction
        # may step over the reply's own words, and a quote stays on one line.
        ("en", "Subject: Refund. We cannot refund you.\nRegards, Anna", "Subject"),
        ("en", "Subject: Refund\n...sorry, we cannot refund you.", "Subject: Refund"),
        ("en", "Hi Sam,\nI'm Sam from billing and we can't refund you.\nBye.", "I'm"),
        ("de", "Hallo,\nIch bin Anna vom Kundenservice und kann nichts tun.\nBitte.", "Ich"),
        ("fi", "Hei Matti,\nOlen Minna enkä voi auttaa.\nLasku on oikein.", "Olen Minna"),
    ],
)
def test_a_sentence_that_only_introduces_the_agent_is_stepped_over(
    language: str, reply: str, quoted: str
) -> None:
    """Only a whole sentence of self-introduction is stepped over (on the same
    line as a greeting, the quote still starts at the greeting); a sentence
    that starts like one and goes on is the reply's words."""
    turns = [{"speaker": "customer", "text": UPSET[language]}, {"speaker": "agent", "text": reply}]
    findings = dl.Linter(select=["missing-empathy"]).lint(
        {"id": "intro", "language": language, "turns": turns}
    )
    assert len(findings) == 1
    assert "\n" not in findings[0].evidence and findings[0].evidence.startswith(quoted)
