"""What the demo tickets say: the reports, their threads (scripted for the tickets a
visitor opens first, drawn from stock lines for the others), and what the widget
collected in the reporter's browser."""

from __future__ import annotations

from dataclasses import dataclass

from snagdesk_server.tickets.models import Ticket


@dataclass(frozen=True)
class TicketSpec:
    client: int  # its place in the demo's clients (accounts' CLIENTS)
    subject: str
    message: str
    department: str
    priority: str
    tags: tuple[str, ...]
    screenshot: bool = False
    # Drawn at random unless given: the scripted conversations below need their own.
    status: str = ""
    source: str = ""


# fmt: off
TICKETS = [
    TicketSpec(0, "Checkout button hidden behind the cookie banner on mobile",
               "On an iPhone the cookie banner covers the “Place order” button and customers "
               "cannot finish their order.", "Support", "urgent", ("checkout", "mobile", "bug"),
               screenshot=True, status="in_progress", source="widget"),
    TicketSpec(0, "Order confirmation emails not arriving",
               "Since Monday customers tell us they never receive the order confirmation.",
               "Support", "high", ("email", "woocommerce"), status="closed", source="portal"),
    TicketSpec(0, "Add a Mother's Day banner to the homepage",
               "Could you put our campaign banner above the bestsellers until May 12?",
               "Support", "low", ("content",)),
    TicketSpec(0, "Delivery date picker allows Sundays",
               "We do not deliver on Sundays but the date picker lets customers choose one.",
               "Support", "medium", ("checkout", "bug")),
    TicketSpec(0, "Invoice INV-2041 shows the wrong VAT rate",
               "The last invoice uses 20% VAT on the domain renewal; it should be zero-rated.",
               "Billing", "medium", ("invoice",), status="answered", source="portal"),
    TicketSpec(0, "Site very slow this morning",
               "Pages take 10+ seconds to load since about 8 am.", "Hosting", "high",
               ("performance",)),
    TicketSpec(0, "Product photos look blurry on retina screens",
               "The new bouquet photos look soft on the MacBook, fine on my phone.",
               "Support", "low", ("images",), screenshot=True, status="on_hold", source="widget"),
    TicketSpec(0, "Second admin login for Chloé",
               "Chloé needs to edit products and blog posts. Can you give her an account?",
               "Support", "low", ("access",)),
    TicketSpec(0, "Stock levels not syncing with the shop till",
               "Sold-out items still show as available online for an hour or more.",
               "Support", "high", ("woocommerce", "integration")),
    TicketSpec(1, "502 Bad Gateway on the product pages",
               "Every product page answers 502 Bad Gateway; the homepage still works.",
               "Hosting", "urgent", ("outage",), status="closed", source="widget"),
    TicketSpec(1, "Size guide table broken after the last update",
               "The size guide columns overlap on every jacket page.", "Support", "medium",
               ("bug", "layout"), screenshot=True, source="widget"),
    TicketSpec(1, "Renew the SSL certificate for the shop subdomain",
               "The browser warns that the certificate of shop.northwind-outdoor.example expires "
               "in 5 days.", "Hosting", "high", ("ssl",)),
    TicketSpec(1, "Search returns no results for “jacket”",
               "Searching for jacket, jackets or rain jacket shows “nothing found”.",
               "Support", "medium", ("search", "bug")),
    TicketSpec(1, "Upgrade PHP to 8.3 on the staging server",
               "Our new theme needs PHP 8.3; please upgrade staging first.", "Hosting", "low",
               ("maintenance",)),
    TicketSpec(1, "Question about the maintenance plan hours",
               "How many of this quarter's 10 maintenance hours have we used?", "Billing", "low",
               ("contract",)),
    TicketSpec(1, "Newsletter signup form spins forever",
               "After clicking Subscribe the button shows a spinner and nothing happens.",
               "Support", "medium", ("forms",)),
    TicketSpec(1, "Search Console reports 404s after the migration",
               "Google reports 320 new “Not found” pages, mostly old category URLs.",
               "Support", "medium", ("seo",)),
    TicketSpec(2, "Booking form does not send the confirmation SMS",
               "Patients book online but do not get the SMS confirmation any more.",
               "Support", "high", ("booking", "integration")),
    TicketSpec(2, "Opening hours wrong on the contact page",
               "We now open at 8:00 on Saturdays, not 9:00.", "Support", "low", ("content",)),
    TicketSpec(2, "Cookie consent banner missing in German",
               "The German version of the site shows the banner in English.", "Support",
               "medium", ("gdpr", "translation")),
    TicketSpec(2, "Website down: DNS error",
               "The site shows “server not found” for everyone at the practice.", "Hosting",
               "urgent", ("outage", "dns")),
    TicketSpec(2, "Add Dr. Rossi to the team page",
               "Her photo and bio are in the shared folder. Please add her after Dr. Kim.",
               "Support", "low", ("content",)),
    TicketSpec(2, "Credit note for the duplicated hosting invoice",
               "We were invoiced twice for hosting in March (INV-1988 and INV-1990).",
               "Billing", "medium", ("invoice",)),
    TicketSpec(2, "Accessibility audit findings",
               "The audit found low contrast on buttons and missing form labels.", "Support",
               "medium", ("accessibility",)),
    TicketSpec(3, "Subscription renewals charged twice",
               "Three subscribers were charged twice for their monthly beans.", "Billing",
               "urgent", ("payments", "bug")),
    TicketSpec(3, "Grind option missing on the product page",
               "The “whole bean / espresso / filter” choice disappeared from the Kenya AA page.",
               "Support", "high", ("woocommerce",)),
    TicketSpec(3, "Move email hosting to Google Workspace",
               "We signed up for Workspace; what DNS changes do we need?", "Hosting", "medium",
               ("email", "dns")),
    TicketSpec(3, "Restore the blog from last week's backup",
               "A plugin update broke the blog layout; please restore Tuesday's backup.",
               "Hosting", "high", ("backup",)),
    TicketSpec(3, "Shipping rates for EU countries",
               "Can we charge a flat €9 for shipping to the EU instead of the current table?",
               "Support", "low", ("checkout",)),
    TicketSpec(3, "Password for the staging site",
               "Zoe needs to review the new subscription page on staging.", "Hosting", "low",
               ("access",)),
]
# fmt: on

STAFF_FIRST = [
    "Hi {name}, thanks for the report. I can reproduce it and I am on it; "
    "I will update you as soon as I know more.",
    "Hi {name}, could you send us the exact page address and, if possible, a screenshot? "
    "That will help us narrow it down.",
    "Hi {name}, thanks, we have started looking into this and will get back to you today.",
]
STAFF_LATER = [
    "Hi {name}, this is fixed on staging now. Could you have a quick look before we push it live?",
    "Hi {name}, we deployed the fix a few minutes ago. Please clear your browser cache "
    "and tell us if you still see the problem.",
    "Hi {name}, quick update: the provider confirmed the cause and is rolling out a fix. "
    "We are keeping an eye on it.",
]
CONTACT_FOLLOW_UP = [
    "It still happens for some of us, mostly on phones.",
    "It happened again this morning at around 9, in case that helps.",
    "Sorry to chase: is there any news? A customer asked us about it today.",
]
CONTACT_THANKS = [
    "Thanks! I checked on my phone and on the office PC, all good now.",
    "Great, thank you for the quick help.",
    "Works perfectly now, thanks a lot.",
]
NOTES = [
    "Looks related to last Tuesday's plugin update. Rolling back on staging first.",
    "Client is on the Gold care plan: covered, no extra billing.",
    "Waiting for the registrar to confirm the DNS change; they quote 24 hours.",
    "Logged 45 minutes so far. Root cause: a caching rule on /checkout.",
    "Asked Jonas to double-check before we reply.",
]

# The threads of the tickets a visitor of the demo opens first, as they happened. Steps:
# C = the requester replies, S = the assignee replies, N = an internal note, A = handed
# over to (staff email), P = priority becomes, D = moved to department, T = status becomes.
CONVERSATIONS: dict[str, list[tuple[str, str]]] = {
    "Checkout button hidden behind the cookie banner on mobile": [
        (
            "S",
            "Hi {name}, thanks for the screenshot, it makes the problem clear. I can "
            "reproduce it on an iPhone in Safari: the banner is fixed to the bottom of the "
            "screen and sits on top of the “Place order” bar. I am on it.",
        ),
        (
            "N",
            "The consent plugin puts its banner at z-index 99999, position fixed; our sticky "
            "checkout bar is at 1000. Raising ours hides the banner's own buttons, so I'll "
            "lift the bar above the banner's height instead.",
        ),
        (
            "C",
            "Thank you! Is there anything we can tell customers in the meantime? We had "
            "three abandoned carts this morning.",
        ),
        (
            "S",
            "Hi {name}, until the fix is live, customers can accept or refuse the cookies "
            "first: the banner then goes away and the button can be reached. I have put a "
            "short note saying so at the top of the checkout page.",
        ),
        (
            "N",
            "Handing over to Priya, who built the checkout bar. The fix is on the branch "
            "fix/checkout-banner; it needs a test on iOS 16 and 17 before it goes live.",
        ),
        ("A", "priya@snagdesk.localhost"),
        ("T", "in_progress"),
    ],
    "Order confirmation emails not arriving": [
        ("P", "urgent"),
        (
            "S",
            "Hi {name}, we looked at the mail log: the shop hands the confirmations over, "
            "but Gmail and Outlook have been refusing them since Monday because the "
            "domain's SPF record does not list your new mail provider.",
        ),
        (
            "C",
            "That explains it: we changed newsletter providers last week. What do we need to do?",
        ),
        ("D", "Hosting"),
        (
            "N",
            "SPF: add include:spf.mailprovider.example; publish the DKIM key as "
            "mail._domainkey. The registrar login is in the team vault.",
        ),
        (
            "S",
            "Hi {name}, nothing on your side: we updated the SPF record and published the "
            "DKIM key this afternoon. Could you place a test order and tell us whether the "
            "confirmation arrives?",
        ),
        (
            "C",
            "Test order placed at 16:20 and the email arrived within a minute, in my Gmail "
            "too. Thanks a lot!",
        ),
    ],
    "Invoice INV-2041 shows the wrong VAT rate": [
        (
            "N",
            "Checked with our accountant: this is the .eu domain billed through the Irish "
            "registrar, so zero-rated is right.",
        ),
        (
            "S",
            "Hi {name}, you are right, the .eu renewal is zero-rated. We have issued credit "
            "note CN-0112 for the VAT and a corrected invoice INV-2041-A; both are attached.",
        ),
    ],
    "Product photos look blurry on retina screens": [
        (
            "S",
            "Hi {name}, the shop serves the bouquet photos 600 px wide, which looks soft on "
            "a retina MacBook. If you can send us the originals (at least 1,600 px wide), we "
            "will regenerate every size.",
        ),
        ("C", "I'll ask our photographer for the originals; she is away until next week."),
        ("T", "on_hold"),
        (
            "N",
            "On hold until the originals arrive. Regenerating 400 products takes about 20 "
            "minutes: run it outside shop hours.",
        ),
    ],
    "502 Bad Gateway on the product pages": [
        ("T", "in_progress"),
        (
            "N",
            "PHP-FPM pool exhausted: all 10 workers stuck on the product feed import that "
            "started at 06:00. Killed the import; the pages answer again.",
        ),
        (
            "S",
            "Hi {name}, the product pages are back. A product feed import was holding every "
            "PHP worker; we stopped it and will run it at night with its own workers, so it "
            "cannot take the shop down again.",
        ),
        ("C", "Confirmed, everything loads again. Thanks for the quick reaction!"),
        ("N", "Feed import moved to 02:00 with its own pool (2 workers). Post-mortem written."),
    ],
}

# Documents the first staff answer of a conversation sends along.
REPLY_FILES = {"Invoice INV-2041 shows the wrong VAT rate": ["CN-0112.pdf", "INV-2041-A.pdf"]}

# What happens in a ticket's thread before it reaches its final status:
# S = staff reply, C = reply from the client's side, N = internal note.
SCRIPTS = {
    Ticket.Status.OPEN: ["", "", "N", "SC"],
    Ticket.Status.IN_PROGRESS: ["N", "SN", "SCN"],
    Ticket.Status.ANSWERED: ["S", "SCS", "NS"],
    Ticket.Status.ON_HOLD: ["SN", "NSCN"],
    Ticket.Status.CLOSED: ["SC", "SCSC", "NSC"],
}
# How long ago tickets of each final status were opened, in days. Answered ones stay
# recent so the autoclose job does not close them as soon as the worker starts.
AGE_DAYS = {
    Ticket.Status.OPEN: (0.1, 10),
    Ticket.Status.IN_PROGRESS: (1, 14),
    Ticket.Status.ANSWERED: (0.5, 5),
    Ticket.Status.ON_HOLD: (3, 30),
    Ticket.Status.CLOSED: (3, 42),
}
# Browsers the widget reports from: user agent, screen, viewport, device pixel ratio.
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    (390, 844),
    (390, 664),
    3.0,
)
MACBOOK = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Safari/605.1.15",
    (1512, 982),
    (1512, 859),
    2.0,
)
BROWSERS = [
    IPHONE,
    MACBOOK,
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        (1920, 1080),
        (1903, 953),
        1.0,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.6478.71 Mobile Safari/537.36",
        (412, 915),
        (412, 785),
        2.63,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
        (1366, 768),
        (1366, 657),
        1.0,
    ),
]
CONSOLE_ERRORS = [
    (
        "Uncaught TypeError: Cannot read properties of null (reading 'addEventListener')",
        "/wp-content/themes/storefront-child/js/checkout.js:142:17",
    ),
    (
        "Failed to load resource: the server responded with a status of 404 (Not Found)",
        "/wp-content/uploads/2025/03/hero-banner@2x.webp",
    ),
    (
        "Uncaught (in promise) Error: Request failed with status code 500",
        "/wp-content/plugins/newsletter-signup/assets/form.min.js:1:8731",
    ),
    (
        "Refused to load the script 'https://cdn.tracking.example/t.js' because it violates "
        "the Content Security Policy directive: \"script-src 'self'\".",
        "/",
    ),
]
UNRENDERED = [
    {"kind": "cross-origin-iframe", "src": "https://www.youtube-nocookie.com/embed/8f3kq"},
    {"kind": "cross-origin-image", "src": "https://maps.example.com/static?center=Bristol"},
]

STATUS_WEIGHTS = {"open": 3, "in_progress": 2, "answered": 2, "on_hold": 1, "closed": 5}
SOURCE_WEIGHTS = {"staff": 2, "portal": 3, "widget": 3, "api": 1}
