"""Korean conversations are recognised as Korean, end to end, every time.

Why these cases: Korean chats mix in Latin script all the time (product names,
order numbers, English loanwords, whole English phrases), and many turns are a
greeting plus one sentence. Detection is by script (Hangul), so each case here
checks that the Hangul share survives that mixing, that the Linter then judges
the turns with the Korean packs (no "language not supported" or "no patterns
for ko" notice; findings carry ``language == "ko"``), and that the answer does
not change between runs. Turns that switch strongly to another supported
language are judged in that language (``turn_language``).
"""

from __future__ import annotations

from typing import Any

import pytest

from deescalate_lint import Linter
from deescalate_lint.detection import detect, turn_language, turn_languages
from deescalate_lint.engine import NOTICE_LANGUAGE, NOTICE_RULE_LANGUAGE
from deescalate_lint.model import Finding, Notice


def _convo(*turns: tuple[str, str]) -> dict[str, Any]:
    return {"turns": [{"speaker": speaker, "text": text} for speaker, text in turns]}


#: (id, transcript, rules expected to flag it: empty means a clean conversation).
CASES: list[tuple[str, dict[str, Any], frozenset[str]]] = [
    (
        "short-greeting",
        _convo(("고객", "안녕하세요"), ("상담원", "네 안녕하세요, 무엇을 도와드릴까요?")),
        frozenset(),
    ),
    (
        "short-one-sentence",
        _convo(("고객님", "배송 언제 와요?"), ("상담사", "내일 도착 예정입니다.")),
        frozenset(),
    ),
    (
        "short-thanks",
        _convo(("손님", "감사합니다!"), ("직원", "네, 좋은 하루 되세요.")),
        frozenset(),
    ),
    (
        "short-agent-only-apology",
        _convo(("상담원", "불편을 드려 죄송합니다. 바로 확인해 보겠습니다.")),
        frozenset(),
    ),
    (
        "delivery-call",
        _convo(
            ("고객", "주문한 지 일주일째인데 아직도 안 왔어요. 진짜 어이없네요."),
            (
                "상담원",
                "일주일이나 기다리셨으니 정말 답답하셨겠어요. 불편을 드려 죄송합니다. "
                "주문번호 확인 부탁드립니다.",
            ),
            ("고객", "12345요."),
            (
                "상담원",
                "확인해 보니 택배사에서 지연되고 있네요. 제가 지금 택배사에 바로 연락해 볼게요.",
            ),
        ),
        frozenset(),
    ),
    (
        "billing-defensive",
        _convo(
            ("고객", "요금이 왜 두 번 빠져나갔어요?!"),
            ("상담원", "결제 버튼을 잘못 누르신 것 같네요."),
        ),
        # A double charge protested ("?!") is upset: the blame acknowledges nothing.
        frozenset({"defensive-phrasing", "missing-empathy"}),
    ),
    (
        "promise-chat",
        _convo(
            ("고객", "내일 꼭 받아야 해요"),
            ("상담원", "네, 내일 오전 중으로 도착합니다."),
        ),
        frozenset({"unrealistic-promise"}),
    ),
    (
        "over-apology-chat",
        _convo(
            ("고객", "아직 환불이 안 들어왔는데요"),
            ("상담원", "정말 죄송합니다. 확인이 늦어져서 너무 죄송해요."),
        ),
        frozenset({"over-apologising"}),
    ),
    (
        "email-redirect",
        _convo(
            ("고객", "이게 말이 돼요? 벌써 세 번째 전화예요!!"),
            ("상담원", "자세한 내용은 메일로 보내 주세요."),
        ),
        # Sent to e-mail (the first next step, with no recap), and not a word
        # for the third call.
        frozenset({"email-when-call-needed", "missing-empathy", "no-recap"}),
    ),
    (
        "cut-in",
        _convo(
            ("고객", "요금이 이상하게 나와서 설명을 들으려고 했는데"),
            ("상담원", "잠깐만요, 잠깐만요. 어떤 요금이요?"),
        ),
        frozenset({"interruption"}),
    ),
    (
        "english-labels",
        _convo(
            ("customer", "비밀번호를 잊어버렸어요."),
            ("agent", "네, 본인 확인 후 재설정 도와드릴게요."),
        ),
        frozenset(),
    ),
    (
        "mixed-english-phrase",
        _convo(
            ("고객", "안녕하세요, my order number is 12345 인데요 tracking이 안 돼요"),
            ("상담원", "네 고객님, 운송장 번호로 다시 조회해 볼게요."),
        ),
        frozenset(),
    ),
    (
        "mixed-product-names",
        _convo(
            ("고객", "아이폰 15 Pro Max 256GB 예약 취소 가능한가요?"),
            ("상담원", "네, 출고 전이라 My Page에서 바로 취소하실 수 있어요."),
        ),
        frozenset(),
    ),
    (
        "mixed-english-sorry",
        _convo(
            ("고객", "결제가 안 돼요 ㅠㅠ error code E102 떠요"),
            ("상담원", "Sorry! 카드사 점검 시간이라 그래요. 30분 뒤에 다시 시도해 주세요."),
        ),
        # A failed payment with a crying ㅠㅠ is upset (the failure signal, session 26):
        # a bare "Sorry!" is no acknowledgement, and the fix comes with no recap.
        frozenset({"missing-empathy", "no-recap"}),
    ),
    (
        "mixed-whole-english-turn",
        _convo(
            ("고객", "Hi, can you help me in English? My Korean is not very good."),
            ("상담원", "네, 가능합니다. 주문번호를 알려 주시겠어요? 천천히 말씀하셔도 돼요."),
            ("고객", "주문번호 A-2231 이에요."),
            ("상담원", "확인했습니다. 교환 접수 바로 도와드릴게요."),
        ),
        frozenset(),
    ),
    (
        "mixed-email-address",
        _convo(
            ("고객", "영수증은 kim.minji@example.com 으로 보내 주세요"),
            ("상담원", "네, kim.minji@example.com 으로 영수증 보내 드렸습니다."),
        ),
        frozenset(),
    ),
    (
        "chat-slang",
        _convo(
            ("고객", "ㅇㅇ 알겠어요 ㅋㅋ 근데 쿠폰은 언제 들어와요?"),
            ("상담원", "쿠폰은 보통 다음 날 오전에 들어가요~"),
        ),
        frozenset(),
    ),
    (
        "formal-written",
        _convo(
            ("고객", "지난달 청구서에 오류가 있는 것 같아 문의드립니다."),
            (
                "상담원",
                "고객님, 문의해 주셔서 감사합니다. 확인 결과 중복 청구된 금액은 "
                "다음 달 청구서에서 차감될 예정입니다.",
            ),
        ),
        frozenset(),
    ),
    (
        "insurance-call",
        _convo(
            ("고객", "입원하면 하루에 얼마까지 나와요?"),
            ("상담원", "가입하신 특약은 입원비를 하루 5만 원까지 보장해 드립니다."),
        ),
        frozenset(),
    ),
    (
        "angry-profanity",
        _convo(
            ("고객", "씨발 진짜 왜 이래요. 한 달째 해결이 안 되잖아요"),
            ("상담원", "불편을 드려 죄송합니다. 지금 바로 기술팀에 연결해 드릴게요."),
        ),
        # The customer's swearing is never a finding; the agent's bare apology
        # (no word for a month of trouble) and cold hand-off to another team are.
        frozenset({"missing-empathy", "escape", "no-recap"}),
    ),
    (
        "numbers-and-dates",
        _convo(
            ("고객", "2024-03-15 주문 #A1234, 3/20 도착 예정이었는데요"),
            ("상담원", "네, 3/22 출고로 변경되었습니다. 늦어져서 죄송해요."),
        ),
        frozenset(),
    ),
    (
        "konglish-tech",
        _convo(
            ("고객", "Wi-Fi 공유기 reset 했는데도 인터넷이 안 돼요"),
            ("상담원", "네, 원격으로 회선 점검해 볼게요. 잠시만 기다려 주세요."),
        ),
        frozenset(),
    ),
]


def _text(transcript: dict[str, Any]) -> str:
    return "\n".join(turn["text"] for turn in transcript["turns"])


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 20
    assert sum(1 for _, t, _ in CASES if len(t["turns"]) <= 2) >= 5


@pytest.mark.parametrize(("case", "transcript", "expected"), CASES, ids=[c[0] for c in CASES])
def test_detected_as_korean(
    case: str, transcript: dict[str, Any], expected: frozenset[str]
) -> None:
    first = detect(_text(transcript))
    assert first.language == "ko", f"{case}: detected {first}"
    assert first.method == "script"
    assert detect(_text(transcript)) == first


@pytest.mark.parametrize(("case", "transcript", "expected"), CASES, ids=[c[0] for c in CASES])
def test_linted_in_korean_end_to_end(
    case: str, transcript: dict[str, Any], expected: frozenset[str]
) -> None:
    linter = Linter()
    results = linter.results(transcript)
    notices = [r for r in results if isinstance(r, Notice)]
    assert not [n for n in notices if n.code in (NOTICE_LANGUAGE, NOTICE_RULE_LANGUAGE)], notices
    findings = [r for r in results if isinstance(r, Finding)]
    # A whole English turn inside a Korean chat is judged in English; the rest in Korean.
    korean_turns = {
        index
        for index, turn in enumerate(transcript["turns"])
        if turn_language(turn["text"], "ko") == "ko"
    }
    for finding in findings:
        if finding.turn in korean_turns:
            assert finding.language == "ko"
    assert {f.rule for f in findings} == expected
    again = [r.to_dict() for r in linter.results(transcript)]
    assert again == [r.to_dict() for r in results]


#: Turns inside a Korean conversation that switch strongly to another supported language.
SWITCHES = [
    ("Sorry, I don't understand Korean. Can you help me in English, please?", "en"),
    ("I have been waiting for my refund for two weeks and nobody has called me back.", "en"),
    ("我不会说韩语，请用中文帮我查一下订单。", "zh"),
]


@pytest.mark.parametrize(("text", "language"), SWITCHES)
def test_strong_switch_away_from_korean(text: str, language: str) -> None:
    assert turn_language(text, "ko") == language
    # In a Korean conversation too, on the path the Linter takes (``turn_languages``):
    # only the switched turn leaves Korean.
    turns = ["주문한 물건이 아직 안 왔어요.", text, "네, 확인해 드리겠습니다."]
    assert turn_languages(turns, "ko") == ["ko", language, "ko"]


#: Turns that stay Korean: a few Latin words or a short English aside are not a switch.
STAYS = [
    "주문번호 A-2231 이에요.",
    "OK 감사합니다!",
    "결제가 안 돼요 ㅠㅠ error code E102 떠요",
    "아이폰 15 Pro Max 256GB 예약 취소 가능한가요?",
    "Thank you, 덕분에 해결됐어요.",
]


@pytest.mark.parametrize("text", STAYS)
def test_korean_turn_with_latin_words_stays_korean(text: str) -> None:
    assert turn_language(text, "ko") == "ko"


def test_korean_turn_in_an_english_conversation_is_judged_in_korean() -> None:
    assert turn_language("죄송합니다, 영어를 잘 못해요. 한국어로 말씀해 주세요.", "en") == "ko"


def test_english_turn_in_a_korean_chat_is_linted_in_english() -> None:
    transcript = _convo(
        ("고객", "환불은 언제 돼요? 벌써 두 번째 문의예요."),
        ("상담원", "I'm so so sorry about this, I really am."),
    )
    findings = Linter(select=["over-apologising"]).lint(transcript)
    assert [(f.turn, f.language, f.evidence) for f in findings] == [(1, "en", "I'm so so sorry")]


def test_korean_agent_turn_in_an_english_led_chat_is_linted_in_korean() -> None:
    transcript = _convo(
        (
            "customer",
            "Hi, I ordered a rice cooker last week and it still has not arrived. Where is it?",
        ),
        ("상담원", "네 고객님, 내일 오전 중으로 도착합니다."),
    )
    assert detect(_text(transcript)).language == "en"
    findings = Linter(select=["unrealistic-promise"]).lint(transcript)
    assert [(f.turn, f.language, f.evidence) for f in findings] == [
        (1, "ko", "내일 오전 중으로 도착합니다")
    ]
