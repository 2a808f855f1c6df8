"""The demo desk's memos, through the real services: the team's public notes with tags,
code, links to clients, projects and tickets, a pin and reactions, and one private memo
each. Support agents are given the memo permissions to read and write them."""

from __future__ import annotations

from datetime import timedelta

from snagdesk_server.accounts.models import Role, User
from snagdesk_server.accounts.services import role_update
from snagdesk_server.core.demo import Demo
from snagdesk_server.memos.models import Memo
from snagdesk_server.memos.services import memo_create, memo_react

PUBLIC = Memo.Visibility.PUBLIC
PRIVATE = Memo.Visibility.PRIVATE

# (author index, hours ago, visibility, pinned, client index, text)
MEMOS = [
    (
        0,
        2,
        PUBLIC,
        True,
        None,
        """**Release checklist** #process/release

1. Tag the release and write the changelog
2. Run the migrations on staging first
3. Tell @sam when the caches are cleared""",
    ),
    (
        1,
        5,
        PUBLIC,
        False,
        0,
        """Bloom & Co. want the booking form to send a copy to the shop #clients/bloom #forms

```php
add_filter('wpcf7_mail_components', function ($components) {
    $components['additional_headers'] .= "Cc: shop@bloom.example\\n";
    return $components;
});
```""",
    ),
    (
        2,
        26,
        PUBLIC,
        False,
        None,
        """Slow query on the order list: add the index #performance #sql

```sql
CREATE INDEX orders_created ON orders (created_at DESC);
```""",
    ),
    (
        0,
        50,
        PUBLIC,
        False,
        1,
        """Call notes: the client prefers email before 10:00 #clients #meetings
Next review in March. 🗓️""",
    ),
    (
        1,
        75,
        PUBLIC,
        False,
        None,
        """Prompt that writes good release notes #prompts

> Summarise these commits for a non-technical client in five bullet points.""",
    ),
    (
        2,
        98,
        PUBLIC,
        False,
        2,
        """Cache headers for the static site #hosting/nginx

```nginx
location ~* \\.(css|js|woff2)$ { expires 1y; add_header Cache-Control "public, immutable"; }
```""",
    ),
    (0, 120, PRIVATE, False, None, "Ask Jonas about the hosting renewal price #todo"),
    (
        1,
        140,
        PUBLIC,
        False,
        None,
        """Étiquette : « déploiement » — les accents et l'Unicode marchent 🎉 #i18n
日本語のメモも検索できます。""",
    ),
]


def _agents_may_write_memos(demo: Demo) -> None:
    role = Role.objects.filter(name="Support agent").first()
    if role is not None:
        codes = sorted({*role.permissions, "memos.view", "memos.create"})
        role_update(role=role, actor=demo.shared["admin"], name=role.name, permissions=codes)


def seed(demo: Demo) -> None:
    _agents_may_write_memos(demo)
    # Read again: the shared users hold their roles as they were before the grant.
    team = User.objects.select_related("role").in_bulk(
        [u.pk for u in demo.shared["staff"].values()]
    )
    staff = [team[user.pk] for user in demo.shared["staff"].values()]
    clients = demo.shared["clients"]
    made = []
    for author, hours_ago, visibility, pinned, client, text in MEMOS:
        made.append(
            memo_create(
                actor=staff[author % len(staff)],
                body=text,
                visibility=visibility,
                pinned=pinned,
                client=clients[client] if client is not None else None,
                now=demo.now - timedelta(hours=hours_ago),
            )
        )
    for memo, emoji, reactor in [
        (0, "👍", 1),
        (0, "👍", 2),
        (0, "🚀", 1),
        (1, "❤️", 0),
        (7, "🎉", 2),
    ]:
        memo_react(
            memo=made[memo],
            actor=staff[reactor % len(staff)],
            emoji=emoji,
            now=demo.now - timedelta(hours=1),
        )
    demo.counts["memos"] = len(made)
