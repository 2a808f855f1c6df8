"""How fast the team's memos are searched, filtered and listed at 100,000 memos.

    .venv/bin/python bench/memos.py [--memos 100000] [--runs 30] [--small 5000]

Seeds a fresh database (see ``_setup.py``) with the desk of ``_seed.py`` and memos
written over two years, the oldest ``--small`` first to count the SQL queries of each
case, then up to ``--memos``. Then, as one of the authors, it times the live search
(``selectors.memo_list`` with a query, its first page of 20), the tag filter, and the
memos page through Django's test client (the full page and an HTMX search), and prints
the median, p95 and maximum over ``--runs`` calls after three warm-ups, the time spent
in SQL by one call ("sql"), the query counts at both sizes, how many memos match (for a
search, by a scan of every body) and how many a search lists: the 1,000 newest matches
it ranks (``search.RANKED``). The target is a search p95 under 50 ms; the script reports
it and asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from _setup import analyze, database_label, django_start

TARGET_MS = 50.0
WARM_UPS = 3
SEED = 1212
AUTHORS = 20
PRIVATE_SHARE = 0.2
PINNED = 25
TICKETS = 2_000
PAGE = 20

# Vocabulary, most frequent first: each word is drawn with a Zipf weight of its rank.
# Free text draws from the little words of English followed by the trade's; the blanks
# in the sentences below draw from the trade's alone.
LITTLE_WORDS = [
    "the", "to", "and", "a", "of", "for", "on", "in", "is", "it", "we", "with", "this", "that",
    "be", "at", "from", "as", "not", "but", "or", "if", "they", "can", "will", "need", "have",
    "has", "should", "so", "all", "when", "there", "new", "old", "more", "some", "no", "also",
    "then", "now",
]  # fmt: skip
WORDS = [
    "check", "fix", "update", "site", "page", "client", "team", "make", "use", "send", "ask",
    "see", "look", "add", "move", "keep", "staging", "deploy", "release", "cache", "server",
    "email", "form", "plugin", "theme", "login", "error", "slow", "customer", "shop", "order",
    "invoice", "payment", "checkout", "product", "backup", "domain", "certificate", "hosting",
    "database", "query", "index", "migration", "cron", "redirect", "header", "footer", "menu",
    "banner", "image", "video", "font", "colour", "layout", "mobile", "desktop", "browser",
    "chrome", "safari", "firefox", "wordpress", "joomla", "woocommerce", "php", "javascript",
    "css", "html", "python", "nginx", "apache", "mysql", "postgresql", "redis", "docker", "git",
    "branch", "merge", "review", "test", "tests", "build", "pipeline", "monday", "tuesday",
    "wednesday", "thursday", "friday", "week", "month", "quarter", "budget", "estimate",
    "hours", "meeting", "call", "notes", "agenda", "decision", "follow-up", "owner", "deadline",
    "priority", "risk", "newsletter", "campaign", "analytics", "tracking", "cookie", "consent",
    "gdpr", "privacy", "policy", "terms", "translation", "german", "french", "spanish",
    "italian", "dutch", "language", "locale", "currency", "tax", "support", "ticket", "widget",
    "screenshot", "report", "bug", "feature", "request", "feedback", "question", "password",
    "reset", "token", "account", "role", "permission", "admin", "editor", "user", "contact",
    "performance", "speed", "lighthouse", "score", "core", "vitals", "lazy", "loading",
    "compression", "gzip", "cdn", "dns", "record", "mx", "spf", "dkim", "dmarc", "ssl", "tls",
    "renewal", "expiry", "monitor", "uptime", "outage", "incident", "postmortem", "rollback",
    "hotfix", "patch", "version", "upgrade", "downgrade", "compatibility", "api", "endpoint",
    "webhook", "integration", "sync", "import", "export", "csv", "xml", "json", "feed",
    "schema", "search", "filter", "sort", "pagination", "archive", "category", "tag", "blog",
    "post", "article", "author", "seo", "sitemap", "robots", "canonical", "meta", "description",
    "title", "keyword", "ranking", "traffic", "landing", "signup", "onboarding", "trial",
    "subscription", "plan", "pricing", "discount", "coupon", "refund", "shipping", "stock",
    "warehouse", "supplier", "catalogue", "variant", "attribute", "sku", "barcode", "label",
    "accessibility", "contrast", "keyboard", "focus", "screen", "reader", "aria", "alt",
    "heading", "landmark", "design", "mockup", "wireframe", "figma", "prototype", "style",
    "guide", "logo", "icon", "illustration", "photo", "content", "copy", "proofread", "typo",
    "wording", "tone", "brand", "voice", "message", "headline", "slogan", "maintenance",
    "contract", "retainer", "overdue", "reminder", "quote", "proposal", "scope", "production",
    "local", "environment", "variable", "secret", "config", "settings", "toggle", "log", "logs",
    "trace", "stack", "exception", "timeout", "memory", "disk", "cpu", "load", "queue",
    "worker", "job", "quickly", "carefully", "today", "tomorrow", "again", "still", "already",
    "maybe", "probably", "definitely", "db", "ui", "ux", "qa", "dev", "ops", "vpn", "ftp",
    "sftp", "ssh", "cli", "sdk", "good", "bad", "broken", "fixed", "done", "open", "closed",
    "blocked", "waiting", "pending", "urgent", "minor", "major",
]  # fmt: skip
# One memo in two thousand mentions each of these.
RARE = ["hreflang", "webauthn", "terraform", "kubernetes", "ansible", "graphql"]
RARE_SHARE = 1 / 2000
RARE_NOTES = ["Look into {rare} for this.", "{person} suggests {rare} here."]
CLIENTS = [
    "Bloom & Co", "Nordlicht GmbH", "Café Lumière", "Acme Outfitters", "Harbour Dental",
    "Greenfield School", "Studio Kaleido", "Maison Dupré", "Vela Yachts", "Quarry Ales",
]  # fmt: skip
SITES = ["bloom", "nordlicht", "lumiere", "acme", "harbour", "greenfield", "kaleido", "vela"]
HOSTS = ["www", "staging", "shop", "api", "mail"]
PEOPLE = ["Jonas", "Amélie", "Sam", "Priya", "Mateo", "Yuki", "Olga", "Kwame", "Zoë", "Lars"]
PLACES = [
    "homepage", "product page", "cart", "blog", "mobile menu", "contact page", "account area",
    "landing page", "booking form", "FAQ", "staging site", "German site", "checkout",
]  # fmt: skip
SENTENCES = [
    "{client} wants the {place} to load faster before the {word} campaign.",
    "Call with {person}: the client agreed to move the {word} to next {day}.",
    "Remember to check the {word} on staging before we deploy the release.",
    "The {place} shows a {word} error on mobile; {person} can reproduce it.",
    "Quote sent to {client} for the {word} work, about {hours} hours.",
    "Deployment to production went fine; cache cleared, {word} looks good.",
    "{person} found a slow query on the {place}: it needs an index.",
    "The client asked why the {word} report changed since {day}.",
    "Renew the certificate for {host} before it expires on {day}.",
    "Invoice reminder for {client}: {hours} hours of maintenance this month.",
    "Idea: a checklist for every {word} so nobody forgets the backup.",
    "Backup restored on {host} after the failed {word} update.",
    "{client} reports that the newsletter signup fails with {code}.",
    "Test the redirect from the old {place} to the new one, then tell {person}.",
    "Upgrade the plugin to {version}; the changelog mentions a {word} fix.",
    "The DNS records for {host} point to the old server, update them on {day}.",
]  # fmt: skip
BULLETS = [
    "check the {word} settings", "update the {word} plugin to {version}",
    "ask {person} about the {word}", "deploy to staging first", "clear the cache on {host}",
    "write the changelog", "send the quote to {client}", "review the {word} with the client",
    "fix the {code} on the {place}", "tell the team when it is done",
    "move the {word} to the backlog", "book {hours} hours for it",
]  # fmt: skip
QUOTES = [
    "Summarise these commits for a non-technical client in five bullet points.",
    "Write a friendly reminder that the maintenance contract renews next month.",
    "Explain the {word} change to the client without jargon, in three sentences.",
    "Turn these meeting notes into a list of tasks, each with an owner and a deadline.",
]
# (language, code) of fenced blocks; the code is a template like the sentences.
SNIPPETS = [
    ("php", """add_filter('{word}_headers', function ($headers) {{
    $headers['X-Cache'] = 'HIT';
    return $headers;
}});"""),
    ("php", """$orders = wc_get_orders(['status' => 'processing', 'limit' => {hours}]);
foreach ($orders as $order) {{
    error_log($order->get_id());
}}"""),
    ("js", """document.querySelectorAll('.{word}').forEach((el) => {{
  el.addEventListener('click', () => el.classList.toggle('open'));
}});"""),
    ("js", """const res = await fetch('/api/v1/{word}/', {{
  headers: {{ Authorization: `Token ${{token}}` }},
}});
console.log(await res.json());"""),
    ("sql", """CREATE INDEX orders_{word} ON orders (created_at DESC);
EXPLAIN ANALYZE SELECT * FROM orders WHERE status = 'open'
ORDER BY created_at DESC LIMIT 20;"""),
    ("sql", """UPDATE wp_options SET option_value = 'https://{host}'
WHERE option_name IN ('siteurl', 'home');"""),
    ("python", """def {word}_total(rows):
    return sum(row.amount for row in rows if row.paid)"""),
    ("html", """<link rel="preload" href="/fonts/{word}.woff2" as="font" type="font/woff2"
      crossorigin>"""),
    ("bash", """ssh deploy@{host} 'cd /srv/site && git pull && composer install --no-dev'
wp cache flush --path=/srv/site"""),
    ("nginx", r"""location ~* \.(css|js|woff2)$ {{
    expires 1y;
    add_header Cache-Control "public, immutable";
}}"""),
    ("css", """.{word} {{
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
}}"""),
    ("yaml", """deploy:
  stage: {word}
  script:
    - ./deploy.sh {host}"""),
]  # fmt: skip
# Other languages of the team and its clients, emoji included.
ABROAD = [
    "Étiquette : « déploiement » du site de {client} prévu vendredi 🎉",
    "Der Kunde möchte die Startseite überarbeiten, bitte bis Donnerstag prüfen. Grüße an {person}!",
    "La reunión con {client} se movió al martes; revisar el carrito de compras.",
    "本番環境へのデプロイは金曜日に行います。キャッシュの確認をお願いします。",
    "日本語のメモも検索できます。お客様のサイトが遅いです。",
    "客户希望在周五之前完成网站部署，请检查缓存。",  # noqa: RUF001
    "Клиент просит обновить сервер до пятницы; проверьте резервную копию.",
    "Ο πελάτης θέλει νέο λογότυπο στην αρχική σελίδα.",  # noqa: RUF001
    "العميل يريد تحديث الصفحة الرئيسية قبل الجمعة",
    "مشتری می‌خواهد صفحه اصلی تا جمعه به‌روز شود",
    "Спасибо за быстрый ответ 🙏 всё работает ✅",
]  # fmt: skip
EMOJI = ["🎉", "🚀", "✅", "⚠️", "🔥", "💡", "🗓️", "👀", "🐛", "☕"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "1 March", "the 15th"]
TAGS = [
    "todo", "idea", "meetings", "process", "process/release", "process/onboarding",
    "clients", "clients/bloom", "clients/nordlicht", "clients/lumiere", "clients/acme",
    "clients/harbour", "clients/kaleido", "hosting", "hosting/nginx", "hosting/dns",
    "hosting/ssl", "performance", "sql", "php", "js",
    "wordpress", "woocommerce", "joomla", "seo", "design", "prompts", "snippets", "security",
    "billing", "i18n", "backup", "incident", "accessibility", "newsletter", "analytics",
    "api", "deploy", "bug", "q3-planning", "retro", "reading-list", "tips", "café",
]  # fmt: skip
# Memos tagged #clients or a tag nested under it; and a tag a few dozen memos carry.
TAG_COMMON = "clients"
TAG_RARE = "reading-list"
REACTION_COUNTS = {0: 55, 1: 20, 2: 12, 3: 8, 5: 5}
ATTACHMENT_SHARE = 0.04

# What a colleague types into the search box, and how the bench names it.
QUERIES = [
    ("common word", "cache"),
    ("very common word", "client"),
    ("rare word", "hreflang"),
    ("2 words", "staging deploy"),
    ("substring", "deplo"),
    ("2 characters", "db"),
    ("non-Latin", "デプロイ"),
]


@dataclass(frozen=True)
class Timing:
    median: float
    p95: float
    worst: float
    queries: int
    sql_ms: float


@dataclass(frozen=True)
class Case:
    name: str
    call: Callable[[], Any]
    target: bool = False  # whether the search target applies
    matches: Callable[[], int] | None = None  # for a search, by a scan, without its index
    listed: Callable[[], int] | None = None  # what a search lists, through its index
    bound: int | None = None  # the most a search lists: the matches it ranks


@dataclass
class _Team:
    authors: list[int]
    staff: list[int]
    clients: list[int]
    client_weights: list[float]
    projects: dict[int, list[int]]
    tickets: list[tuple[int, int]]  # (ticket id, client id)
    tags: dict[str, int]


def _cumulative_zipf(count: int) -> list[float]:
    """Cumulative weights 1, 1/2, 1/3 … for words ranked 1 to ``count``."""
    cumulative, total = [], 0.0
    for rank in range(1, count + 1):
        total += 1 / rank
        cumulative.append(total)
    return cumulative


class Writer:
    """Writes memos as the team does: notes, meeting notes, snippets, prompts, checklists
    and notes in other languages; now and then emoji and hashtags."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._prose = LITTLE_WORDS + WORDS
        self._prose_weights = _cumulative_zipf(len(self._prose))
        self._word_weights = _cumulative_zipf(len(WORDS))

    def word(self) -> str:
        return self.rng.choices(WORDS, cum_weights=self._word_weights)[0]

    def prose(self, count: int) -> str:
        words = self.rng.choices(self._prose, cum_weights=self._prose_weights, k=count)
        return " ".join(words).capitalize() + "."

    def fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            client=rng.choice(CLIENTS),
            person=rng.choice(PEOPLE),
            place=rng.choice(PLACES),
            word=self.word(),
            day=rng.choice(DAYS),
            hours=rng.randint(1, 40),
            host=f"{rng.choice(HOSTS)}.{rng.choice(SITES)}.example",
            code=f"ERR-{rng.randint(100, 9999)}",
            version=f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}",
        )

    def memo(self) -> str:
        rng = self.rng
        kind = rng.choices(
            ["note", "meeting", "snippet", "prompt", "checklist", "abroad"],
            weights=[40, 15, 20, 8, 10, 7],
        )[0]
        lines: list[str] = []
        if kind == "note":
            lines += [self.fill(rng.choice(SENTENCES)) for _ in range(rng.randint(1, 4))]
            lines.append(self.prose(rng.randint(3, 25)))
        elif kind == "meeting":
            lines += [f"**Call notes with {rng.choice(CLIENTS)}** ({rng.choice(DAYS)})", ""]
            lines += [f"- {self.fill(rng.choice(BULLETS))}" for _ in range(rng.randint(3, 9))]
            lines += ["", self.fill(rng.choice(SENTENCES)), self.prose(12)]
        elif kind == "snippet":
            language, code = rng.choice(SNIPPETS)
            lines += [self.fill(rng.choice(SENTENCES)), "", f"```{language}", self.fill(code)]
            lines.append("```")
        elif kind == "prompt":
            lines += [f"Prompt for the {self.word()} notes:", ""]
            lines.append("> " + self.fill(rng.choice(QUOTES)))
        elif kind == "checklist":
            lines.append(f"**{self.word().capitalize()} checklist**")
            lines += [f"{n}. {self.fill(rng.choice(BULLETS))}" for n in range(1, rng.randint(3, 8))]
        else:
            lines += [self.fill(rng.choice(ABROAD)) for _ in range(rng.randint(1, 3))]
        if rng.random() < RARE_SHARE * len(RARE):
            note = rng.choice(RARE_NOTES)
            lines[0] += " " + note.format(rare=rng.choice(RARE), person=rng.choice(PEOPLE))
        if rng.random() < 0.15:
            lines[-1] += " " + rng.choice(EMOJI)
        tags = rng.sample(TAGS, rng.choice([0, 1, 1, 1, 2, 2, 3]))
        if tags:
            lines += ["", " ".join(f"#{tag}" for tag in tags)]
        return "\n".join(lines)


def _team_create(rng: random.Random, now: datetime) -> _Team:
    """The ticket desk of ``_seed.py`` (staff, clients, projects, some tickets) and the
    memo tags; the authors are twenty of its agents."""
    import _seed

    from snagdesk_server.accounts.models import User
    from snagdesk_server.memos.models import MemoTag
    from snagdesk_server.tickets.models import Ticket

    desk = _seed.desk_create(rng)
    moments = _seed.timeline(rng, TICKETS, now)
    _seed.tickets_create(desk, rng, numbers=range(1, TICKETS + 1), moments=moments, now=now)
    _seed.sequence_set(last=TICKETS)
    staff = list(
        User.objects.filter(is_staff=True, is_superuser=False)
        .order_by("email")
        .values_list("pk", flat=True)
    )
    tags = MemoTag.objects.bulk_create(MemoTag(name=name) for name in TAGS)
    return _Team(
        authors=staff[:AUTHORS],
        staff=staff,
        clients=desk.clients,
        client_weights=desk.client_weights,
        projects=desk.projects,
        tickets=list(Ticket.objects.values_list("pk", "client_id")),
        tags={tag.name: tag.pk for tag in tags},
    )


def _links(rng: random.Random, team: _Team) -> dict[str, int | None]:
    """What a memo is about: a ticket (5%), a project (10%), a client (35%) or nothing."""
    draw = rng.random()
    if draw < 0.05:
        ticket, client = rng.choice(team.tickets)
        return {"ticket_id": ticket, "client_id": client, "project_id": None}
    client = rng.choices(team.clients, weights=team.client_weights)[0]
    if draw < 0.15:
        project = rng.choice(team.projects[client])
        return {"ticket_id": None, "client_id": client, "project_id": project}
    return {"ticket_id": None, "client_id": client if draw < 0.5 else None, "project_id": None}


def memos_create(
    team: _Team, rng: random.Random, *, moments: Sequence[datetime], pinned: set[int]
) -> None:
    """One memo per moment, rendered and tagged as ``services.memo_create`` would, with
    reactions and attachment rows, ``_seed.BATCH`` memos at a time. Index ``i`` of
    ``moments`` is pinned when ``i`` is in ``pinned``."""
    import _seed
    from django.db import transaction

    from snagdesk_server.memos.config import MemoSettings
    from snagdesk_server.memos.markdown import markdown_parse, markdown_render
    from snagdesk_server.memos.models import Memo, MemoAttachment, MemoReaction, MemoTagging
    from snagdesk_server.memos.services import _tag_url

    emoji = MemoSettings().reaction_choices
    writer = Writer(rng)
    for start in range(0, len(moments), _seed.BATCH):
        memos, tags = [], []
        for index in range(start, min(start + _seed.BATCH, len(moments))):
            body = writer.memo()
            created = moments[index]
            private = rng.random() < PRIVATE_SHARE
            memos.append(
                Memo(
                    author_id=rng.choice(team.authors),
                    body=body,
                    body_html=markdown_render(body, tag_url=_tag_url, mentions={}),
                    visibility=Memo.Visibility.PRIVATE if private else Memo.Visibility.PUBLIC,
                    pinned=index in pinned,
                    created_at=created,
                    updated_at=created + timedelta(minutes=rng.expovariate(1 / 30)),
                    **_links(rng, team),
                )
            )
            tags.append(markdown_parse(body).tags)
        with transaction.atomic():
            Memo.objects.bulk_create(memos)
            MemoTagging.objects.bulk_create(
                MemoTagging(memo_id=memo.pk, tag_id=team.tags[name])
                for memo, names in zip(memos, tags, strict=True)
                for name in names
            )
            MemoReaction.objects.bulk_create(_reactions(rng, team, memos, emoji))
            MemoAttachment.objects.bulk_create(
                MemoAttachment(
                    memo_id=memo.pk,
                    file=f"memos/{memo.pk}/{n}.png",
                    original_name=f"screenshot-{n + 1}.png",
                    content_type="image/png",
                    size=rng.randint(20_000, 900_000),
                    is_image=True,
                    created_at=memo.created_at,
                )
                for memo in memos
                if rng.random() < ATTACHMENT_SHARE
                for n in range(rng.randint(1, 2))
            )


def _reactions(rng: random.Random, team: _Team, memos: list[Any], emoji: list[str]) -> list[Any]:
    """Reactions from colleagues who can see each memo (a private one: its author)."""
    from snagdesk_server.memos.models import MemoReaction

    reactions = []
    counts, weights = list(REACTION_COUNTS), list(REACTION_COUNTS.values())
    for memo in memos:
        readers = team.staff if memo.is_public else [memo.author_id]
        pairs = {
            (rng.choice(readers), rng.choice(emoji))
            for _ in range(rng.choices(counts, weights=weights)[0])
        }
        reactions += [
            MemoReaction(
                memo_id=memo.pk,
                user_id=user,
                emoji=one,
                created_at=memo.created_at + timedelta(hours=rng.expovariate(1 / 6)),
            )
            for user, one in sorted(pairs)
        ]
    return reactions


def _count_queries(call: Callable[[], Any]) -> tuple[int, float]:
    """The number of queries of one call and their total time (ms)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries), sum(
        float(q["time"]) for q in context.captured_queries
    ) * 1000


def _time(call: Callable[[], Any], runs: int) -> Timing:
    queries, sql_ms = _count_queries(call)  # also the first warm-up
    for _ in range(WARM_UPS - 1):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return Timing(
        median=statistics.median(samples),
        p95=samples[math.ceil(0.95 * len(samples)) - 1],
        worst=samples[-1],
        queries=queries,
        sql_ms=sql_ms,
    )


def _cases(user: Any, client: Any) -> list[Case]:
    from django.urls import reverse

    from snagdesk_server.memos.search import RANKED, search_ranks, search_terms
    from snagdesk_server.memos.selectors import MemoFilters, memo_list

    def first_page(filters: MemoFilters) -> Callable[[], Any]:
        return lambda: list(memo_list(user=user, filters=filters)[:PAGE])

    def count(filters: MemoFilters) -> Callable[[], int]:
        return lambda: memo_list(user=user, filters=filters).count()

    def scanned(query: str) -> Callable[[], int]:
        def run() -> int:
            memos = memo_list(user=user)
            for term in search_terms(query):
                memos = memos.filter(body__icontains=term)
            return memos.count()

        return run

    def page(url: str, headers: dict[str, str] | None = None) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get(url, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            return response

        return get

    cases = [
        Case(
            f"search, {name}",
            first_page(MemoFilters(query=query)),
            target=True,
            matches=scanned(query),
            listed=count(MemoFilters(query=query)),
            bound=RANKED if search_ranks(query) else None,
        )
        for name, query in QUERIES
    ]
    for name, tag in (("common", TAG_COMMON), ("rare", TAG_RARE)):
        filters = MemoFilters(tag=tag)
        cases.append(Case(f"tag, {name} (#{tag})", first_page(filters), matches=count(filters)))
    url = reverse("memos:list")
    common = QUERIES[0][1]
    cases += [
        Case("page", page(url), matches=count(MemoFilters())),
        Case(
            f"page, HTMX search ({common})",
            page(f"{url}?q={common}", {"HX-Request": "true"}),
            matches=scanned(common),
        ),
    ]
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--memos", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--small", type=int, default=5_000, help="memos when the queries are first counted"
    )
    args = parser.parse_args()
    small = min(args.small, args.memos)

    # WhiteNoise warns that collectstatic has not run; the bench needs no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    django_start("memos")

    import _seed
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from snagdesk_server.accounts.models import User

    rng = random.Random(SEED)
    now = timezone.now()
    started = time.perf_counter()
    team = _team_create(rng, now)
    moments = _seed.timeline(rng, args.memos, now)
    pinned = set(rng.sample(range(args.memos), min(PINNED, args.memos)))
    memos_create(team, rng, moments=moments[:small], pinned=pinned)
    analyze()

    # A colleague who wrote some of the memos: they see the public ones and their own.
    reader = User.objects.select_related("role").get(pk=team.authors[0])
    # Production's settings allow only the hosts _setup.py names, not "testserver".
    client = Client(SERVER_NAME="localhost")
    client.force_login(reader)
    cases = _cases(reader, client)
    # Without a collectstatic manifest the production storage cannot name static files.
    storages = override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    with storages:
        small_counts = {case.name: _count_queries(case.call)[0] for case in cases}

    memos_create(
        team, rng, moments=moments[small:], pinned={i - small for i in pinned if i >= small}
    )
    analyze()
    seeded = time.perf_counter() - started

    print(
        f"{database_label()}, {args.memos:,} memos (seeded in {seeded:.0f} s), "
        f"{args.runs} runs after {WARM_UPS} warm-ups, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; times in ms"
    )
    at_small = f"at {small:,}"
    print(
        f"{'case':32} {'median':>8} {'p95':>8} {'max':>8} {'sql':>8} {'queries':>8} "
        f"{at_small:>9} {'matches':>8} {'listed':>7}"
    )
    results = []
    with storages:
        for case in cases:
            timing = _time(case.call, args.runs)
            matches = case.matches() if case.matches else 0
            listed = case.listed() if case.listed else None
            results.append((case, timing, matches, listed))
            print(
                f"{case.name:32} {timing.median:8.1f} {timing.p95:8.1f} {timing.worst:8.1f} "
                f"{timing.sql_ms:8.1f} {timing.queries:8} {small_counts[case.name]:9} "
                f"{matches:8,} {'' if listed is None else f'{listed:,}':>7}"
            )
    print()
    for case, timing, _, _ in results:
        if case.target:
            verdict = "PASS" if timing.p95 < TARGET_MS else "FAIL"
            print(f"{verdict}  {case.name}: p95 {timing.p95:.1f} ms (target < {TARGET_MS:.0f} ms)")
    for case, timing, matches, listed in results:
        if timing.queries != small_counts[case.name]:
            print(
                f"GROWS {case.name}: {small_counts[case.name]} queries at {small:,} memos, "
                f"{timing.queries} at {args.memos:,}"
            )
        expected = matches if case.bound is None else min(matches, case.bound)
        if listed is not None and listed != expected:
            print(
                f"INDEX {case.name}: the search lists {listed:,} memos where a scan of every "
                f"body finds {matches:,} (it lists at most {case.bound or matches:,})"
            )


if __name__ == "__main__":
    main()
