"""A deterministic synthetic corpus of customer-service transcripts, of any size.

Why synthetic: the real corpora beside this checkout are about 1 MB of English,
too small to measure throughput or memory on, and there are no real German,
Finnish, Chinese or Korean service dialogues to be had. The fragments below were
written for this project (none copied from any corpus): greetings, calm and
upset customer lines, ordinary agent replies, and a small share of agent lines
that escalate (blame, "calm down", grovelling apologies, guarantees, moving an
upset caller to email), in all five supported languages.

Same seed and size, same bytes: the generator uses its own ``random.Random``.
About 5% of agent turns are escalating lines and about a quarter of the
customers are upset, so a realistic minority of transcripts has findings.

Usage::

    python -m bench.synth --size 50MB /tmp/synth.jsonl
"""

# ruff: noqa: E501 -- the fragments are whole sentences; wrapping them would hurt reading.
from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Share of transcripts per language.
LANGUAGE_MIX = (("en", 0.50), ("de", 0.15), ("fi", 0.10), ("zh", 0.125), ("ko", 0.125))
#: Share of agent turns drawn from the escalating fragments.
ESCALATING_SHARE = 0.05
#: Share of transcripts whose customer is upset.
UPSET_SHARE = 0.25
#: Share of transcripts that are timed phone calls (the rest: chat, social).
PHONE_SHARE = 0.25

Fragments = dict[str, list[str]]

FRAGMENTS: dict[str, Fragments] = {
    "en": {
        "agent_open": [
            "Hi, thanks for getting in touch, my name is {agent}. How can I help today?",
            "Good morning, you're through to {company} support, {agent} speaking.",
            "Hello {{ first_name }}, thanks for your message. Let me take a look at this for you.",
            "Hi there! I can see your order {order} on my screen. What seems to be the issue?",
        ],
        "customer_calm": [
            "Hi, my {product} arrived yesterday but the charger is missing from the box.",
            "I'd like to change the delivery address on order {order}, is that still possible?",
            "Can you tell me when my refund will show up? I sent the parcel back on {day}.",
            "My card was charged twice for the same subscription this month.",
            "The app keeps logging me out every time I open it on my phone.",
            "Could you check whether the {product} comes in a larger size?",
            "ok thanks, that makes sense",
            "yes that's the one, the order from last {day}",
        ],
        "customer_upset": [
            "This is the third time I'm calling about the same {product}. It's ridiculous!!",
            "I've been waiting two weeks and nobody has told me anything. I am FED UP with this.",
            "Honestly this is the worst service I've ever had, I want to speak to a manager.",
            "If this isn't fixed today I'm cancelling my account and going to a competitor.",
            "You people keep promising and nothing happens. This is absolutely unacceptable.",
            "I'm really angry, I paid for next-day delivery and it still hasn't arrived.",
        ],
        "agent_neutral": [
            "I understand, that's frustrating. Let me check the tracking for order {order}.",
            "Thanks for waiting. I've found the payment and I'm reversing the duplicate now.",
            "I can see the parcel left our warehouse on {day}, it's with the courier at the moment.",
            "I've raised this with our delivery team and I'll call you back by {time} with an update.",
            "Could you confirm the postcode on the account so I can make that change?",
            "The refund was issued this morning; banks usually take three to five working days.",
            "I'm sorry about the wait. I've added a note to your account so nobody asks you again.",
            "Let me transfer you to the billing team, they can cancel the second charge directly.",
            "You can also reset the app from Settings > Account > Sign out of all devices.",
            "Is there anything else I can help you with today?",
        ],
        "agent_escalating": [
            "Look, that's not my fault, the courier lost the parcel.",
            "Sir, you need to calm down before I can help you.",
            "As I already told you, the refund takes ten days.",
            "It's against our policy to refund opened items.",
            "I'm so sorry, I'm really sorry, I apologise for all of this.",
            "I guarantee it will be with you tomorrow morning.",
            "Please send us an email and someone will get back to you.",
            "There's nothing I can do about that.",
        ],
        "agent_close": [
            "Thanks for your patience, have a great day!",
            "You're welcome. Take care and thanks for contacting {company}.",
        ],
    },
    "de": {
        "agent_open": [
            "Guten Tag, Sie sprechen mit {agent} vom Kundenservice. Wie kann ich Ihnen helfen?",
            "Hallo {{ vorname }}, danke für Ihre Nachricht. Ich schaue mir das gleich an.",
            "Moin, hier ist {agent} von {company}. Worum geht es denn?",
        ],
        "customer_calm": [
            "Hallo, meine Bestellung {order} ist angekommen, aber das Ladekabel fehlt.",
            "Ich möchte gern die Lieferadresse ändern, geht das noch?",
            "Wann wird mir die Rückerstattung gutgeschrieben? Ich habe das Paket am {day} zurückgeschickt.",
            "Mir wurde das Abo diesen Monat zweimal abgebucht.",
            "Ja genau, das ist die Bestellung von letzter Woche.",
        ],
        "customer_upset": [
            "Das ist jetzt schon das dritte Mal, dass ich anrufe. Das ist doch eine Frechheit!!",
            "Ich warte seit zwei Wochen und niemand meldet sich. Ich bin wirklich sauer.",
            "Wenn das heute nicht geklärt wird, kündige ich meinen Vertrag.",
            "Ihr Service ist eine Katastrophe, ich will sofort einen Vorgesetzten sprechen.",
        ],
        "agent_neutral": [
            "Das verstehe ich, das ist ärgerlich. Ich schaue mir die Sendungsverfolgung an.",
            "Danke fürs Warten. Ich habe die doppelte Abbuchung gefunden und storniere sie jetzt.",
            "Das Paket hat unser Lager am {day} verlassen und ist gerade beim Zusteller.",
            "Ich habe das an die Fachabteilung weitergegeben und rufe Sie bis {time} Uhr zurück.",
            "Können Sie mir bitte die Postleitzahl auf dem Konto bestätigen?",
            "Die Erstattung wurde heute angewiesen, das dauert in der Regel drei bis fünf Werktage.",
            "Gibt es sonst noch etwas, wobei ich Ihnen helfen kann?",
        ],
        "agent_escalating": [
            "Das ist nicht meine Schuld, der Paketdienst hat das verloren.",
            "Beruhigen Sie sich bitte erst mal.",
            "Wie ich Ihnen bereits gesagt habe, dauert die Erstattung zehn Tage.",
            "Das ist gegen unsere Richtlinien.",
            "Es tut mir so leid, es tut mir wirklich leid, entschuldigen Sie bitte vielmals.",
            "Ich garantiere Ihnen, dass es morgen da ist.",
            "Schreiben Sie uns bitte eine E-Mail, dann kümmert sich jemand darum.",
        ],
        "agent_close": [
            "Vielen Dank für Ihre Geduld und einen schönen Tag noch!",
            "Gern geschehen. Auf Wiederhören!",
        ],
    },
    "fi": {
        "agent_open": [
            "Hyvää päivää, asiakaspalvelu, {agent} puhelimessa. Miten voin auttaa?",
            "Hei {{ etunimi }}, kiitos viestistäsi. Katsotaan tätä yhdessä.",
            "Moi, täällä {agent} {company}:lta. Mitä asiaa sinulla on?",
        ],
        "customer_calm": [
            "Hei, tilaukseni {order} tuli eilen, mutta laturi puuttuu paketista.",
            "Haluaisin vaihtaa toimitusosoitteen, onko se vielä mahdollista?",
            "Milloin saan hyvityksen? Palautin paketin {day}.",
            "Minulta veloitettiin tilaus kahteen kertaan tässä kuussa.",
            "Joo, se on se viime viikon tilaus.",
        ],
        "customer_upset": [
            "Soitan jo kolmatta kertaa samasta asiasta. Tämä on ihan naurettavaa!!",
            "Olen odottanut kaksi viikkoa eikä kukaan ole ottanut yhteyttä. Olen tosi vihainen.",
            "Jos tätä ei korjata tänään, irtisanon sopimukseni.",
            "Teidän palvelunne on aivan surkeaa, haluan puhua esimiehelle.",
        ],
        "agent_neutral": [
            "Ymmärrän, se on harmillista. Tarkistan lähetyksen seurannan.",
            "Kiitos odottamisesta. Löysin tuplaveloituksen ja peruutan sen nyt.",
            "Paketti lähti varastolta {day} ja on nyt kuljetusliikkeellä.",
            "Välitin asian eteenpäin ja soitan sinulle takaisin kello {time} mennessä.",
            "Voisitko vahvistaa tilin postinumeron?",
            "Hyvitys maksettiin tänään, pankista riippuen se näkyy yleensä kolmessa päivässä.",
            "Voinko auttaa vielä jossain muussa?",
        ],
        "agent_escalating": [
            "Se ei ole minun vikani, kuljetusliike hukkasi paketin.",
            "Rauhoittukaa nyt ensin.",
            "Kuten jo sanoin, hyvitys kestää kymmenen päivää.",
            "Se on meidän käytäntöjemme vastaista.",
            "Olen niin pahoillani, todella pahoillani, pahoittelen kovasti.",
            "Lupaan, että paketti on perillä huomenna.",
            "Lähettäkää meille sähköpostia, niin joku palaa asiaan.",
        ],
        "agent_close": [
            "Kiitos kärsivällisyydestä ja oikein hyvää päivänjatkoa!",
            "Ole hyvä, kiitos soitosta!",
        ],
    },
    "zh": {
        "agent_open": [
            "您好，这里是{company}客服，我是{agent}，请问有什么可以帮您？",
            "您好{{ name }}，感谢您的留言，我马上帮您查一下。",
        ],
        "customer_calm": [
            "你好，我昨天收到订单{order}，但是盒子里没有充电器。",
            "我想修改一下收货地址，现在还来得及吗？",
            "请问退款什么时候能到账？我{day}已经把包裹寄回去了。",
            "这个月我的会员费被扣了两次。",
            "好的，就是上周的那个订单。",
        ],
        "customer_upset": [
            "这已经是我第三次打电话了，太过分了！！",
            "我等了两个星期都没有人联系我，我真的很生气。",
            "如果今天还解决不了，我就投诉到消费者协会。",
            "你们的服务太差了，我要找你们经理。",
        ],
        "agent_neutral": [
            "我理解您的心情，我这就帮您查一下物流信息。",
            "感谢您的耐心等待，重复扣款我已经找到了，现在为您退回。",
            "包裹{day}已经从仓库发出，目前在快递公司那边。",
            "我已经把问题反馈给相关部门，{time}点之前给您回电话。",
            "麻烦您核对一下账户上的手机号码。",
            "退款今天已经处理，一般三到五个工作日到账。",
            "请问还有其他可以帮您的吗？",
        ],
        "agent_escalating": [
            "这不是我的错，是快递公司弄丢的。",
            "请你先冷静一下。",
            "我已经跟您说过了，退款需要十天。",
            "这是公司规定，我们没办法。",
            "真的非常抱歉，实在对不起，太抱歉了。",
            "我保证明天一定送到。",
            "请您发邮件给我们，会有同事跟进。",
        ],
        "agent_close": [
            "感谢您的耐心，祝您生活愉快！",
            "不客气，再见！",
        ],
    },
    "ko": {
        "agent_open": [
            "안녕하세요, {company} 고객센터 {agent}입니다. 무엇을 도와드릴까요?",
            "안녕하세요 {{ name }}님, 문의 주셔서 감사합니다. 바로 확인해 드리겠습니다.",
        ],
        "customer_calm": [
            "안녕하세요, 어제 주문한 {order} 상품을 받았는데 충전기가 빠져 있어요.",
            "배송지 주소를 바꾸고 싶은데 아직 가능할까요?",
            "환불은 언제 들어오나요? {day}에 반품 보냈거든요.",
            "이번 달에 구독료가 두 번 결제됐어요.",
            "네, 지난주에 주문한 거 맞아요.",
        ],
        "customer_upset": [
            "벌써 세 번째 전화하는 거예요. 정말 너무하네요!!",
            "2주째 기다리는데 아무도 연락을 안 줘요. 진짜 화가 나요.",
            "오늘 안에 해결 안 되면 해지할 거예요.",
            "서비스가 너무 엉망이에요, 책임자 바꿔 주세요.",
        ],
        "agent_neutral": [
            "불편을 드려 죄송합니다. 배송 조회를 바로 확인해 보겠습니다.",
            "기다려 주셔서 감사합니다. 중복 결제 건을 찾아서 지금 취소해 드렸습니다.",
            "상품은 {day}에 물류센터에서 출고되어 현재 택배사에 있습니다.",
            "담당 부서에 전달했고 {time}시까지 다시 연락드리겠습니다.",
            "계정에 등록된 휴대폰 번호 확인 부탁드립니다.",
            "환불은 오늘 처리되었고 보통 3~5 영업일 안에 입금됩니다.",
            "더 도와드릴 일이 있을까요?",
        ],
        "agent_escalating": [
            "그건 제 잘못이 아니에요, 택배사에서 분실한 거예요.",
            "고객님, 일단 진정하세요.",
            "아까 말씀드렸잖아요, 환불은 열흘 걸립니다.",
            "그건 회사 규정상 안 됩니다.",
            "정말 죄송합니다, 너무 죄송합니다, 진심으로 사과드립니다.",
            "내일까지 무조건 도착한다고 보장합니다.",
            "이메일로 보내 주시면 담당자가 연락드릴 거예요.",
        ],
        "agent_close": [
            "기다려 주셔서 감사합니다. 좋은 하루 보내세요!",
            "감사합니다. 안녕히 계세요!",
        ],
    },
}

_SLOTS: dict[str, list[str]] = {
    "agent": ["Sam", "Alex", "Maria", "Jonas", "Aino", "Li Wei", "Min-jun"],
    "company": ["Northwind", "Acme", "Contoso", "Kestrel"],
    "product": ["headphones", "kettle", "phone case", "router", "jacket"],
    "day": ["Monday", "Tuesday", "Friday", "12.3.", "3월 4일", "上周五"],
    "time": ["3", "4", "15", "16"],
}


def _fill(rng: random.Random, template: str) -> str:
    """Fill ``{slot}`` fields; ``{{ placeholder }}`` stays as a template placeholder."""
    out = template.replace("{{", "\x00").replace("}}", "\x01")
    for slot, values in _SLOTS.items():
        token = "{" + slot + "}"
        while token in out:
            out = out.replace(token, rng.choice(values), 1)
    while "{order}" in out:
        out = out.replace("{order}", f"#{rng.randrange(10_000_000, 99_999_999)}", 1)
    return out.replace("\x00", "{{").replace("\x01", "}}")


def _pick_language(rng: random.Random) -> str:
    roll = rng.random()
    total = 0.0
    for code, share in LANGUAGE_MIX:
        total += share
        if roll < total:
            return code
    return LANGUAGE_MIX[-1][0]


#: Invented agents (name, team) for ``--agents``: QA grouping in the HTML report.
AGENTS = (
    ("Dana Whitfield", "Returns"),
    ("Lee Okafor", "Returns"),
    ("Mira Santos", "Returns"),
    ("Jonas Becker", "Billing"),
    ("Aino Virtanen", "Billing"),
    ("Wei Zhang", "Billing"),
    ("Ji-woo Park", "Delivery"),
    ("Sam Novak", "Delivery"),
    ("Priya Raman", "Delivery"),
    ("Tomás Ruiz", "Delivery"),
)


def agent_metadata(number: int) -> dict[str, str]:
    """Agent, team, queue and date for transcript ``number``, drawn without the corpus's
    random stream (so the transcripts themselves stay the same bytes)."""
    # Some agents take more of the calls, as on a real floor.
    weights = (5, 3, 2, 4, 1, 2, 3, 2, 1, 1)
    slot = (number * 2654435761) % sum(weights)
    chosen = 0
    while slot >= weights[chosen]:
        slot -= weights[chosen]
        chosen += 1
    agent, team = AGENTS[chosen]
    day = 1 + (number * 7) % 28
    return {"agent": agent, "team": team, "queue": f"{team} queue", "date": f"2026-11-{day:02d}"}


def transcript(
    rng: random.Random, number: int, with_language: bool = True, with_agents: bool = False
) -> dict[str, Any]:
    """One synthetic transcript as a canonical JSON object."""
    code = _pick_language(rng)
    words = FRAGMENTS[code]
    upset = rng.random() < UPSET_SHARE
    phone = rng.random() < PHONE_SHARE
    exchanges = rng.randint(1, 6)
    texts: list[tuple[str, str]] = [("agent", rng.choice(words["agent_open"]))]
    for index in range(exchanges):
        pool = "customer_upset" if upset and (index == 0 or rng.random() < 0.5) else "customer_calm"
        texts.append(("customer", rng.choice(words[pool])))
        escalate = rng.random() < ESCALATING_SHARE
        texts.append(
            ("agent", rng.choice(words["agent_escalating" if escalate else "agent_neutral"]))
        )
    texts.append(("agent", rng.choice(words["agent_close"])))
    turns: list[dict[str, Any]] = []
    clock = 0.0
    for speaker, template in texts:
        text = _fill(rng, template)
        turn: dict[str, Any] = {"speaker": speaker, "text": text}
        if phone:
            # Speech at about 14 characters a second; now and then the agent
            # starts before the customer has finished.
            duration = round(0.6 + len(text) / 14.0, 2)
            start = clock
            if speaker == "agent" and turns and rng.random() < 0.05:
                start = max(0.0, clock - rng.uniform(0.3, 2.5))
            turn["start"] = round(start, 2)
            turn["end"] = round(start + duration, 2)
            clock = start + duration + rng.uniform(0.1, 1.2)
        turns.append(turn)
    record: dict[str, Any] = {
        "id": f"synth-{code}-{number:08d}",
        "channel": "phone" if phone else rng.choice(("chat", "chat", "social")),
        "turns": turns,
    }
    if with_language:
        record["language"] = code
    if with_agents:
        record.update(agent_metadata(number))
    return record


def transcripts(
    seed: int = 6, with_language: bool = True, with_agents: bool = False
) -> Iterator[dict[str, Any]]:
    """An endless, deterministic stream of synthetic transcripts."""
    rng = random.Random(seed)
    number = 0
    while True:
        yield transcript(rng, number, with_language, with_agents)
        number += 1


def write_corpus(
    path: Path,
    size_bytes: int,
    seed: int = 6,
    with_language: bool = True,
    with_agents: bool = False,
    count: int | None = None,
) -> tuple[int, int]:
    """Write transcripts as JSONL until the file reaches ``size_bytes`` (or ``count``
    transcripts, when given); (records, bytes)."""
    written = records = 0
    with path.open("w", encoding="utf-8") as out:
        for record in transcripts(seed, with_language, with_agents):
            line = json.dumps(record, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            records += 1
            if (count is None and written >= size_bytes) or records == count:
                break
    return records, written


def parse_size(value: str) -> int:
    """``"50MB"``, ``"1GB"``, ``"300k"`` or a plain number of bytes."""
    text = value.strip().upper().removesuffix("B")
    factor = 1
    for suffix, scale in (("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000)):
        if text.endswith(suffix):
            text, factor = text[:-1], scale
            break
    return int(float(text) * factor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synth", description=__doc__.split("\n")[0]
    )
    parser.add_argument("output", type=Path)
    parser.add_argument("--size", default="10MB", help="target file size, e.g. 10MB, 1GB")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--no-language", action="store_true", help="leave out the language field")
    parser.add_argument(
        "--agents", action="store_true", help="add agent, team, queue and date to each transcript"
    )
    parser.add_argument("--count", type=int, help="write this many transcripts (instead of --size)")
    args = parser.parse_args(argv)
    records, written = write_corpus(
        args.output,
        parse_size(args.size),
        args.seed,
        not args.no_language,
        with_agents=args.agents,
        count=args.count,
    )
    print(f"wrote {records} transcripts, {written} bytes to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
