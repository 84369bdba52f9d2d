#!/usr/bin/env python3
"""Generate assay's sample datasets: customer-support tickets labelled by intent.

    python3 samples/generate.py            # writes into samples/ (next to this file)
    python3 samples/generate.py OUTDIR     # writes the same files into OUTDIR

Python 3 standard library only. Deterministic: every random choice comes from
random.Random(SEED) (and SEED + 1 for the splits folder); nothing iterates over a
set or depends on hashing or the clock, so two runs give byte-identical files.

The data is built from templates and word lists, then broken on purpose
(duplicates, near duplicates, train/test leakage, label conflicts, missing
labels, empty texts, a malformed line, terminal escapes, ...). Every injected
case is recorded in tickets.truth.json / splits.truth.json, which are computed
from the records exactly as written.
"""

import csv
import io
import json
import os
import re
import sys
import random

SEED = 20240611

TOTAL_RECORDS = 3000          # good records in tickets.jsonl
MALFORMED_LINE = 1500         # 1-based line of the extra, truncated JSON line
CSV_RAGGED_AFTER = 2000       # the ragged CSV row follows this many records
LEGAL_SPLITS = ["train"] * 13 + ["valid"] * 2     # the thin cell: no legal in test
SIM_REJECT = 0.55             # base texts are pairwise below this similarity

LABELS = ["billing", "shipping", "refund", "account", "technical", "feedback", "legal"]
LABEL_WEIGHTS = [("billing", 20), ("shipping", 23), ("refund", 14), ("account", 15),
                 ("technical", 17), ("feedback", 11)]
SPLITS = ["train", "valid", "test"]
SPLIT_WEIGHTS = [("train", 80), ("valid", 10), ("test", 10)]
SOURCES = ["email", "chat", "forum", "app_review"]
LANGS = ["en", "de", "fr", "es"]
LANG_WEIGHTS = [("en", 80), ("de", 8), ("fr", 7), ("es", 5)]
SOURCE_WEIGHTS = {
    "billing":   [("email", 55), ("chat", 30), ("forum", 10), ("app_review", 5)],
    "shipping":  [("email", 40), ("chat", 40), ("forum", 10), ("app_review", 10)],
    "refund":    [("email", 50), ("chat", 35), ("forum", 8), ("app_review", 7)],
    "account":   [("email", 35), ("chat", 40), ("forum", 15), ("app_review", 10)],
    "technical": [("email", 30), ("chat", 25), ("forum", 30), ("app_review", 15)],
    "feedback":  [("email", 20), ("chat", 10), ("forum", 25), ("app_review", 45)],
    "legal":     [("email", 100)],
}
ANNOTATORS = [("ann-1", 30), ("ann-2", 22), ("ann-3", 18), ("ann-4", 12),
              ("ann-5", 9), ("ann-6", 6), ("ann-7", 3)]
TAGS = ["urgent", "vip", "repeat-contact", "escalated", "mobile", "web", "eu",
        "needs-review", "auto-closed", "first-contact", "sla-breach", "handoff"]

# ----------------------------------------------------------------------------
# Word lists
# ----------------------------------------------------------------------------

NAMES = ["Maria", "Tom", "Aisha", "Lukas", "Chen", "Priya", "Sam", "Olga", "Diego",
         "Fatima", "Jonas", "Elena", "Kwame", "Sophie", "Mateo", "Hannah", "Ravi",
         "Ingrid", "Noah", "Lucia", "Omar", "Claire", "Felix", "Yuki", "Marek",
         "Amara", "Pierre", "Carmen", "Theo", "Nadia", "Bruno", "Leila"]
SURNAMES = ["Schmidt", "Garcia", "Okafor", "Dubois", "Novak", "Patel", "Kowalski",
            "Rossi", "Jensen", "Moreau", "Silva", "Meyer", "Lindqvist", "Haddad"]
PRODUCTS = ["wireless headphones", "standing desk", "coffee grinder", "rain jacket",
            "smart thermostat", "phone case", "hiking boots", "desk lamp",
            "bluetooth speaker", "office chair", "blender", "electric toothbrush",
            "yoga mat", "backpack", "air purifier", "mechanical keyboard",
            "baby monitor", "cast iron pan", "webcam", "robot vacuum",
            "running shoes", "kettle", "winter coat", "usb-c hub", "e-reader"]
PRODUCTS_DE = ["Kopfhörer", "Stehschreibtisch", "Kaffeemühle", "Regenjacke",
               "Wanderschuhe", "Schreibtischlampe", "Bürostuhl", "Mixer",
               "Rucksack", "Luftreiniger", "Tastatur", "Wasserkocher", "Wintermantel"]
PRODUCTS_FR = ["casque sans fil", "bureau assis-debout", "moulin à café", "veste de pluie",
               "chaussures de randonnée", "lampe de bureau", "chaise de bureau",
               "mixeur", "sac à dos", "purificateur d'air", "clavier", "bouilloire"]
PRODUCTS_ES = ["auriculares inalámbricos", "escritorio elevable", "molinillo de café",
               "chaqueta impermeable", "botas de montaña", "lámpara de escritorio",
               "silla de oficina", "batidora", "mochila", "purificador de aire",
               "teclado", "hervidor"]
DEVICES = ["iPhone 14", "iPhone 12", "Pixel 8", "Galaxy S23", "iPad Air", "MacBook Pro",
           "Windows 11 laptop", "Chromebook", "OnePlus 11", "Surface Pro", "Galaxy Tab"]
BROWSERS = ["Chrome", "Firefox", "Safari", "Edge", "Brave"]
CARRIERS = ["UPS", "DHL", "FedEx", "USPS", "Royal Mail", "DPD", "Hermes", "Canada Post",
            "GLS", "PostNL"]
PLANS = ["Basic", "Plus", "Pro", "Team", "Business", "Starter"]
COUNTRIES = ["Norway", "Canada", "Ireland", "Portugal", "Japan", "Australia", "Mexico",
             "Switzerland", "Poland", "Chile", "Iceland", "Kenya"]
CITIES = ["Lisbon", "Denver", "Leeds", "Lyon", "Rotterdam", "Krakow", "Austin",
          "Seville", "Graz", "Toronto", "Manila", "Dublin", "Osaka", "Nairobi"]
STREETS = ["Elm Street", "Harbour Road", "Mill Lane", "Station Avenue", "Park Row",
           "Baker Close", "Church Street", "Queen's Drive", "Oak Terrace"]
FEATURES = ["offline mode", "a family plan", "CSV import", "keyboard shortcuts",
            "Apple Watch support", "scheduled exports", "shared lists", "a widget",
            "two-factor login by hardware key", "multiple billing addresses",
            "a landscape layout on tablets", "gift wrapping at checkout"]
SCREENS = ["order history", "settings", "invoices", "wishlist", "profile", "reports",
           "notifications", "saved addresses", "search filters"]
SETTINGS = ["delivery address", "currency", "export format", "payment method",
            "time zone", "language"]
INTEGRATIONS = ["Slack", "Google Drive", "Dropbox", "Shopify", "Zapier", "Outlook",
                "Salesforce", "Notion"]
CARD_TYPES = ["Visa", "Mastercard", "Amex", "PayPal", "Apple Pay", "debit card"]
DOMAINS = ["example.com", "mail.example.org", "example.net", "inbox.example.com"]
BRANDS = ["Nordvik", "Calderon", "Bluepeak", "Ostara", "Fenwick & Lowe", "Tessaro"]

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.randrange(total)
    for value, w in pairs:
        if x < w:
            return value
        x -= w
    raise AssertionError("unreachable")


def slot_value(rng, name, lang):
    base = name.rstrip("0123456789")
    if base == "order":
        if rng.random() < 0.6:
            return "#%d" % rng.randrange(100000, 9999999)
        return "ORD-%d-%04d" % (rng.randrange(2019, 2025), rng.randrange(10000))
    if base == "invoice":
        return "INV-%d" % rng.randrange(10000, 999999)
    if base == "tracking":
        return "%s%d" % (rng.choice(["1Z", "JD", "LX", "00"]), rng.randrange(10**9, 10**10))
    if base == "rma":
        return "RMA-%05d" % rng.randrange(100000)
    if base == "case":
        return "%d-CV-%05d" % (rng.randrange(2021, 2025), rng.randrange(100000))
    if base == "customer":
        return "C%07d" % rng.randrange(10**7)
    if base == "promo":
        return rng.choice(["SPRING", "WELCOME", "SAVE", "VIP", "FRIENDS", "BLACKFRIDAY"]) + \
            str(rng.randrange(5, 60, 5))
    if base == "amount":
        major, minor = rng.randrange(4, 480), rng.choice([0, 0, 49, 90, 95, 99, rng.randrange(100)])
        if lang == "en":
            return "%s%d.%02d" % (rng.choice(["$", "$", "$", "£"]), major, minor)
        return "%d,%02d €" % (major, minor)
    if base == "date":
        months = MONTHS[lang]
        d, m = rng.randrange(1, 29), rng.choice(months)
        return {"en": "%s %d" % (m, d), "de": "%d. %s" % (d, m),
                "fr": "%d %s" % (d, m), "es": "%d de %s" % (d, m)}[lang]
    if base == "month":
        return rng.choice(MONTHS[lang])
    if base == "days":
        return str(rng.randrange(3, 30))
    if base == "n":
        return str(rng.randrange(2, 13))
    if base == "k":
        return str(rng.randrange(1, 3))
    if base == "size":
        return str(rng.choice([5, 10, 20, 25, 50, 100, 250]))
    if base == "version":
        return "%d.%d.%d" % (rng.randrange(3, 7), rng.randrange(0, 20), rng.randrange(0, 10))
    if base == "error":
        return rng.choice(["E%d" % rng.randrange(1000, 9999), "ERR_%d" % rng.randrange(100, 999),
                           "0x%04X" % rng.randrange(65536), "HTTP %d" % rng.choice([500, 502, 503, 403])])
    if base == "email":
        return "%s.%s@%s" % (rng.choice(NAMES).lower(), rng.choice(SURNAMES).lower(),
                             rng.choice(DOMAINS))
    if base == "username":
        return "%s_%d" % (rng.choice(NAMES).lower(), rng.randrange(10, 9999))
    if base == "surname":
        return rng.choice(SURNAMES)
    if base == "name" or base == "agent":
        return rng.choice(NAMES)
    if base == "product":
        return rng.choice({"en": PRODUCTS, "de": PRODUCTS_DE, "fr": PRODUCTS_FR,
                           "es": PRODUCTS_ES}[lang])
    table = {"device": DEVICES, "browser": BROWSERS, "carrier": CARRIERS, "plan": PLANS,
             "country": COUNTRIES, "city": CITIES, "street": STREETS, "feature": FEATURES,
             "screen": SCREENS, "setting": SETTINGS, "integration": INTEGRATIONS,
             "cardtype": CARD_TYPES, "brand": BRANDS}
    if base in table:
        return rng.choice(table[base])
    raise KeyError(name)


SLOT_RE = re.compile(r"\{([a-z]+[0-9]?)\}")


def fill(rng, template, lang):
    seen = {}

    def repl(m):
        name = m.group(1)
        if name not in seen:
            value = slot_value(rng, name, lang)
            # {x} and {x2} in one template must differ
            for _ in range(5):
                if value not in seen.values():
                    break
                value = slot_value(rng, name, lang)
            seen[name] = value
        return seen[name]

    return SLOT_RE.sub(repl, template)


# ----------------------------------------------------------------------------
# Templates: per language, per label: problem sentences, context, asks
# ----------------------------------------------------------------------------

T = {"en": {}, "de": {}, "fr": {}, "es": {}}

T["en"]["billing"] = dict(
    problem=[
        "I was charged twice for my {plan} subscription this month.",
        "My invoice {invoice} shows {amount} but the {plan} plan is supposed to cost {amount2}.",
        "There is a charge of {amount} on my card from {date} that I do not recognize.",
        "The annual renewal went through even though I cancelled my subscription on {date}.",
        "I upgraded from {plan} to {plan2} mid-cycle and got billed for a full month of both.",
        "My {cardtype} payment keeps getting declined although it works everywhere else.",
        "The promo code {promo} was accepted at checkout but the discount is missing from the bill.",
        "You added sales tax to our business account even though we entered a valid VAT ID.",
        "Since the price change in {month} I am paying {amount} instead of {amount2} and nobody told me.",
        "My bank statement shows three pending authorizations of {amount} each for a single order.",
        "The invoice is addressed to my old company name, so our accounting team rejected it.",
        "I switched to yearly billing but I'm still being charged every month.",
        "The free trial was supposed to last {days} days, yet I was charged {amount} on day one.",
        "Your checkout charged me in US dollars although my billing country is {country}.",
        "We removed {n} seats from the {plan} workspace and the next invoice still counts them.",
        "Why does my receipt list a service fee of {amount} that was never mentioned?",
    ],
    context=[
        "My account email is {email}.",
        "The invoice number is {invoice}.",
        "I have attached a screenshot of the statement.",
        "My bank says the charge definitely came from you.",
        "This has happened for the last {n} months.",
        "We are a team of {n} seats on the {plan} plan.",
        "I paid with {cardtype} as usual.",
    ],
    ask=[
        "Can you explain where the extra charge comes from?",
        "Please send a corrected invoice to {email}.",
        "I need an itemised receipt for my accountant by {date}.",
        "Please reverse the duplicate charge as soon as possible.",
        "Could you move me to the {plan} plan without another charge?",
        "Please update the billing address on the account.",
        "Let me know what you need from me to sort this out.",
    ],
)
T["en"]["shipping"] = dict(
    problem=[
        "My order {order} has said 'label created' for {days} days now.",
        "{carrier} tracking says the parcel was delivered on {date} but nothing arrived.",
        "The package for order {order} was left at the wrong address on {street}.",
        "Only {k} of the {n} items in order {order} were in the box.",
        "The delivery date moved from {date} to {date2} without any notice.",
        "Do you ship to {country}, and how long does it usually take?",
        "The {product} arrived in a crushed box and the courier made me sign for it anyway.",
        "Tracking for {order} has not updated since it left the warehouse in {city}.",
        "I paid for express shipping but the {product} came by standard post after {days} days.",
        "The {carrier} driver left a note saying the address could not be found, but it is correct.",
        "I need to change the delivery address for order {order} before it ships.",
        "Customs is asking me for {amount} in import fees that were supposed to be included.",
        "My parcel has been sitting at the {carrier} depot in {city} for over a week.",
        "The website promised delivery within {n} days and it has been {days}.",
        "Half of my groceries order arrived warm and the frozen items had thawed.",
    ],
    context=[
        "I ordered it on {date}.",
        "The tracking number is {tracking}.",
        "It was meant to be a birthday present for {date}.",
        "Nobody at the address signed for anything.",
        "My neighbours have not seen it either.",
        "I was home all day and no one rang the bell.",
    ],
    ask=[
        "Can you open a claim with {carrier}?",
        "Please resend the missing items.",
        "Can you upgrade it to express at no cost since it is already late?",
        "Where exactly is my parcel right now?",
        "Please cancel the order if it can't arrive before {date}.",
        "Could you give me a realistic delivery date?",
    ],
)
T["en"]["refund"] = dict(
    problem=[
        "I returned the {product} on {date} and still haven't received my refund.",
        "I'd like a refund for order {order}, the {product} stopped working after {days} days.",
        "Your agent promised a refund of {amount} {days} days ago and nothing has happened.",
        "The refund was sent to a card that I closed last year.",
        "I was only refunded {amount} of the {amount2} I paid.",
        "The {product} I received is not what the website showed, so I want my money back.",
        "I cancelled order {order} within an hour of placing it and was still charged.",
        "The return label you emailed me is rejected at the {carrier} drop-off point.",
        "My return for {order} shows as received at the warehouse but the refund is still pending.",
        "I was told refunds take {n} business days, and it has now been {days}.",
        "The {product} was a duplicate gift and is still sealed in the box.",
        "Your returns page gives an error when I select the {product} from order {order}.",
        "The restocking fee of {amount} was never mentioned when I bought the {product}.",
    ],
    context=[
        "The RMA number is {rma}.",
        "I still have the receipt and the original packaging.",
        "I paid with {cardtype}.",
        "I sent it back with tracking number {tracking}.",
        "The order was placed on {date}.",
    ],
    ask=[
        "Please refund the full amount to my original payment method.",
        "When will the money be back in my account?",
        "I'd accept store credit if that is faster.",
        "Please confirm the refund in writing.",
        "Can you send me a new return label?",
        "I would like to escalate this to a supervisor.",
    ],
)
T["en"]["account"] = dict(
    problem=[
        "I can't log in because the password reset email never arrives.",
        "My account was locked after too many login attempts and the unlock link has expired.",
        "I want to change the email on my account from {email} to a new address.",
        "Two-factor codes are not accepted since I moved to a new {device}.",
        "Someone logged into my account from {city} last night and it was not me.",
        "I have two accounts by mistake and would like to merge them.",
        "The sign in with Google button just loops back to the login page.",
        "I can't remove my old phone number from my profile.",
        "My display name changed to something random after the last update.",
        "I invited {n} colleagues to our workspace but none of them received the invitation.",
        "I can't find where to close my account in the settings.",
        "After changing my password I get logged out on every device every few minutes.",
        "The verification code SMS arrives {n} minutes late and has already expired by then.",
        "My saved addresses and order history disappeared from the profile page.",
        "The password reset link sent to {email} says it is invalid the moment I click it.",
        "I got an email about a new login from a {device} in {city}, which I don't own.",
        "My employer paid for the {plan} plan but my profile still shows the free tier.",
        "I'm stuck in a loop where the app asks me to verify {email} over and over.",
        "Please change the name on my account to {name} {surname}, I recently got married.",
        "Our admin {name} left the company and nobody else can manage the {plan} workspace.",
        "Face ID login stopped working on my {device} after version {version}.",
        "I deleted my account by accident on {date}, can it still be restored?",
        "Every time I log in from {browser} I have to accept the cookie banner and the terms again.",
        "The account page says my email {email} is already in use, but I never registered it.",
        "I changed my phone number and now the recovery codes are sent to the old one.",
        "My child created an account with my card and I want it closed.",
    ],
    context=[
        "My username is {username}.",
        "I'm using the {device} app, version {version}.",
        "I checked the spam folder already.",
        "I still have access to the email address on file.",
        "The account was created back in {month}.",
        "I have tried {n} times today.",
        "The error says {error}.",
        "My last order was {order}.",
    ],
    ask=[
        "Can you unlock it manually?",
        "Please reset the two-factor authentication on my account.",
        "Please sign out all sessions and tell me what else I should do.",
        "How do I transfer ownership of the workspace to {name}?",
        "Can you resend the verification email?",
        "What do you need from me to prove it is my account?",
    ],
)
T["en"]["technical"] = dict(
    problem=[
        "The app crashes on launch on my {device} since version {version}.",
        "I get error {error} whenever I upload a file larger than {size} MB.",
        "Sync between the desktop app and my {device} stopped working on {date}.",
        "Exporting a report to CSV produces an empty file.",
        "Push notifications are not delivered on my {device} even though they are enabled.",
        "The dashboard stays blank in {browser} and the console shows {error}.",
        "Search returns no results for anything with an accented character.",
        "The page times out every time I open the order history.",
        "Dark mode makes the text in the editor unreadable on my {device}.",
        "Since the update the app drains my battery in about {n} hours.",
        "The {integration} integration disconnects every night and has to be re-authorized.",
        "Attachments over {size} MB fail silently, there is no error at all.",
        "The calendar shows every event one hour off since the clocks changed.",
        "The app shows \"Session expired\" every few minutes while I am typing.",
        "Scanning a barcode with the camera freezes the whole screen on {device}.",
        "Printing an invoice from {browser} cuts off the right half of the page.",
        "The {screen} page loads forever when I'm on mobile data.",
        "I see {error} when I connect the {integration} account, the old token seems stuck.",
        "The widget on my {device} home screen shows data from {date} and never refreshes.",
        "Two-way sync with {integration} creates {n} copies of every entry.",
        "After the update to {version} the app no longer opens files bigger than {size} MB.",
    ],
    context=[
        "I already reinstalled the app and restarted the {device}.",
        "It works fine in {browser} on the same computer.",
        "Steps: open the app, go to {screen}, wait a few seconds.",
        "Logs are attached.",
        "This started right after version {version}.",
        "Two other people in my team see the same thing.",
    ],
    ask=[
        "Is this a known bug?",
        "Is there a workaround until it is fixed?",
        "Can someone from the engineering team have a look?",
        "Please let me know which logs you need.",
        "How can I roll back to the previous version?",
    ],
)
T["en"]["feedback"] = dict(
    problem=[
        "I love the new dark mode, great work.",
        "It would be great if the app supported {feature}.",
        "The new layout makes it harder to find the {screen} page.",
        "Your agent {agent} was incredibly helpful yesterday.",
        "Please bring back the old {screen} screen, the new one is confusing.",
        "The onboarding was quick and clear, well done.",
        "Checkout is much faster since the last update.",
        "The font in the new design is too small to read comfortably.",
        "I wish I could set a default {setting} instead of picking it every time.",
        "Delivery was faster than expected and the packaging was plastic free, thank you.",
        "Five years as a customer and this is the first time I'm disappointed.",
        "The weekly summary email is genuinely useful.",
        "Your prices went up again and the service got worse.",
        "The {product} is excellent quality for the price.",
        "The {product} I bought in {month} still works like new, impressive.",
        "Support solved my problem in {n} minutes, best experience I've had with any shop.",
        "The app on my {device} feels much snappier since version {version}.",
        "Why do I have to scroll through {n} screens of ads before I can see my {screen}?",
        "Shipping to {country} got really expensive this year and I may stop ordering.",
        "Please add {feature}, it is the only thing I miss compared to other apps.",
        "The {carrier} delivery slots you offer are perfect for people who work late.",
        "Your newsletter arrives {n} times a week, that is far too often.",
    ],
    context=[
        "I use the app every day for work.",
        "My whole team agrees.",
        "I've recommended you to {n} friends already.",
        "I have been a customer since {month}.",
    ],
    ask=[
        "Keep it up!",
        "Any plans to add this?",
        "Please pass this on to the product team.",
        "Thanks for listening.",
    ],
)
T["en"]["legal"] = dict(
    problem=[
        "This is a formal request under Article 15 GDPR for a copy of all personal data you hold about me.",
        "Under Article 17 GDPR I request the erasure of my personal data and confirmation within one month.",
        "Please forward the enclosed subpoena regarding case {case} to your legal department.",
        "Your marketplace lists counterfeit goods that infringe the registered trademark {brand}.",
        "I consider the automatic renewal clause in your terms unenforceable and reserve all rights.",
        "Our client intends to take legal action over the data breach you disclosed on {date}.",
        "Please tell me which third parties received my data, as the law requires.",
        "I am filing a complaint with the consumer protection authority about your cancellation practices.",
        "We represent {brand} and demand that you remove the listings that copy our product photos.",
        "I object to the processing of my data for marketing and withdraw any consent given.",
    ],
    context=[
        "My customer number is {customer}.",
        "Please direct all further correspondence to {email}.",
        "A copy of this letter has been sent by registered post.",
    ],
    ask=[
        "Please confirm receipt of this request.",
        "I expect a written response within 30 days.",
        "Failing a response we will proceed without further notice.",
    ],
)

T["de"]["billing"] = dict(
    problem=[
        "Mir wurde das {plan}-Abo diesen Monat zweimal berechnet.",
        "Auf meiner Rechnung {invoice} stehen {amount}, obwohl der Tarif nur {amount2} kostet.",
        "Ich habe am {date} gekündigt und trotzdem wurde die Jahresgebühr abgebucht.",
        "Der Gutscheincode {promo} wurde akzeptiert, aber der Rabatt fehlt auf der Rechnung.",
        "Meine Zahlung mit {cardtype} wird ständig abgelehnt, obwohl sonst alles funktioniert.",
        "Seit {month} zahle ich {amount} mehr, ohne dass mich jemand informiert hat.",
        "Die Rechnung ist noch auf meinen alten Firmennamen ausgestellt.",
        "Auf meinem Kontoauszug steht eine Abbuchung über {amount}, die ich nicht zuordnen kann.",
    ],
    context=[
        "Meine Kundennummer ist {customer}.",
        "Einen Screenshot vom Kontoauszug habe ich angehängt.",
        "Das passiert jetzt schon seit {n} Monaten.",
        "Bezahlt habe ich wie immer mit {cardtype}.",
    ],
    ask=[
        "Können Sie mir erklären, woher die zusätzliche Belastung kommt?",
        "Bitte schicken Sie mir eine korrigierte Rechnung an {email}.",
        "Bitte ändern Sie die Rechnungsadresse in meinem Konto.",
        "Ich bitte um eine kurze Rückmeldung bis {date}.",
    ],
)
T["de"]["shipping"] = dict(
    problem=[
        "Meine Bestellung {order} steht seit {days} Tagen auf 'Versandetikett erstellt'.",
        "Laut {carrier} wurde das Paket am {date} zugestellt, aber hier ist nichts angekommen.",
        "Das Paket wurde beim falschen Nachbarn in der {street} abgegeben.",
        "Von den {n} Artikeln aus Bestellung {order} waren nur {k} im Karton.",
        "Der Liefertermin wurde ohne Hinweis vom {date} auf den {date2} verschoben.",
        "Liefern Sie auch nach {country} und wie lange dauert das?",
        "Die Sendungsverfolgung für {order} hat sich seit einer Woche nicht bewegt.",
        "Ich habe Expressversand bezahlt, aber der {product} kam erst nach {days} Tagen.",
    ],
    context=[
        "Bestellt habe ich am {date}.",
        "Die Sendungsnummer lautet {tracking}.",
        "Es sollte ein Geburtstagsgeschenk sein.",
        "Ich war den ganzen Tag zu Hause.",
    ],
    ask=[
        "Können Sie bitte einen Nachforschungsauftrag bei {carrier} stellen?",
        "Bitte schicken Sie die fehlenden Artikel nach.",
        "Wo befindet sich mein Paket gerade?",
        "Bitte stornieren Sie die Bestellung, falls sie nicht vor dem {date} ankommt.",
    ],
)
T["de"]["refund"] = dict(
    problem=[
        "Ich habe den {product} am {date} zurückgeschickt und noch keine Erstattung erhalten.",
        "Ich möchte mein Geld für Bestellung {order} zurück, der {product} ist nach {days} Tagen kaputt gegangen.",
        "Mir wurde vor {days} Tagen eine Erstattung von {amount} zugesagt, passiert ist nichts.",
        "Es wurden nur {amount} von den {amount2} erstattet, die ich bezahlt habe.",
        "Ich habe die Bestellung {order} sofort storniert und wurde trotzdem belastet.",
        "Das Rücksendeetikett wird bei der {carrier}-Filiale nicht angenommen.",
        "Die Rücksendung ist laut Status eingegangen, aber die Erstattung hängt seit Wochen.",
    ],
    context=[
        "Die Retourennummer ist {rma}.",
        "Quittung und Originalverpackung habe ich noch.",
        "Bezahlt habe ich mit {cardtype}.",
    ],
    ask=[
        "Bitte erstatten Sie den vollen Betrag auf mein ursprüngliches Zahlungsmittel.",
        "Wann ist das Geld wieder auf meinem Konto?",
        "Bitte bestätigen Sie die Erstattung schriftlich.",
        "Können Sie mir ein neues Rücksendeetikett schicken?",
    ],
)
T["de"]["account"] = dict(
    problem=[
        "Ich kann mich nicht anmelden, die E-Mail zum Zurücksetzen des Passworts kommt nie an.",
        "Mein Konto wurde nach zu vielen Anmeldeversuchen gesperrt.",
        "Ich möchte die E-Mail-Adresse meines Kontos von {email} auf eine neue ändern.",
        "Seit ich ein neues {device} habe, werden die Zwei-Faktor-Codes nicht mehr akzeptiert.",
        "Jemand hat sich gestern aus {city} in mein Konto eingeloggt, das war nicht ich.",
        "Ich habe versehentlich zwei Konten und möchte sie zusammenführen.",
        "Ich finde in den Einstellungen keine Möglichkeit, mein Konto zu löschen.",
    ],
    context=[
        "Mein Benutzername ist {username}.",
        "Den Spam-Ordner habe ich schon geprüft.",
        "Ich nutze die App auf dem {device}.",
    ],
    ask=[
        "Können Sie das Konto bitte manuell entsperren?",
        "Bitte setzen Sie die Zwei-Faktor-Authentifizierung zurück.",
        "Was brauchen Sie von mir als Nachweis?",
        "Können Sie die Bestätigungs-E-Mail erneut senden?",
    ],
)
T["de"]["technical"] = dict(
    problem=[
        "Die App stürzt seit Version {version} auf meinem {device} direkt beim Start ab.",
        "Beim Hochladen von Dateien über {size} MB kommt der Fehler {error}.",
        "Die Synchronisierung zwischen Desktop und {device} funktioniert seit dem {date} nicht mehr.",
        "Der CSV-Export erzeugt eine leere Datei.",
        "Push-Benachrichtigungen kommen auf dem {device} nicht an, obwohl sie aktiviert sind.",
        "Das Dashboard bleibt in {browser} weiß und die Konsole zeigt {error}.",
        "Die Suche findet nichts, sobald ein Umlaut im Suchbegriff steht.",
    ],
    context=[
        "Ich habe die App schon neu installiert.",
        "In {browser} auf demselben Rechner funktioniert es.",
        "Logs hänge ich an.",
    ],
    ask=[
        "Ist das ein bekannter Fehler?",
        "Gibt es einen Workaround?",
        "Wie kann ich auf die vorherige Version zurück?",
        "Welche Logs brauchen Sie?",
    ],
)
T["de"]["feedback"] = dict(
    problem=[
        "Der neue Dunkelmodus gefällt mir sehr, gute Arbeit.",
        "Es wäre toll, wenn die App {feature} unterstützen würde.",
        "Im neuen Layout finde ich die Seite {screen} kaum noch.",
        "Ihr Mitarbeiter {agent} war gestern unglaublich hilfsbereit.",
        "Die Lieferung war schneller als erwartet und komplett ohne Plastik verpackt, danke.",
        "Die Schrift im neuen Design ist viel zu klein.",
        "Seit Jahren Kunde und zum ersten Mal richtig enttäuscht.",
    ],
    context=[
        "Ich nutze die App täglich.",
        "Mein ganzes Team sieht das genauso.",
    ],
    ask=[
        "Weiter so!",
        "Ist so etwas geplant?",
        "Bitte geben Sie das an das Produktteam weiter.",
    ],
)
T["de"]["legal"] = dict(
    problem=[
        "Hiermit verlange ich gemäß Art. 15 DSGVO Auskunft über alle zu meiner Person gespeicherten Daten.",
        "Ich fordere Sie auf, meine personenbezogenen Daten nach Art. 17 DSGVO unverzüglich zu löschen.",
    ],
    context=["Meine Kundennummer lautet {customer}."],
    ask=["Bitte bestätigen Sie den Eingang dieses Schreibens.",
         "Ich erwarte Ihre Antwort innerhalb eines Monats."],
)

T["fr"]["billing"] = dict(
    problem=[
        "J'ai été facturé deux fois pour mon abonnement {plan} ce mois-ci.",
        "Ma facture {invoice} indique {amount} alors que l'offre coûte {amount2}.",
        "Le renouvellement annuel a été prélevé alors que j'ai résilié le {date}.",
        "Le code promo {promo} a été accepté mais la remise n'apparaît pas sur la facture.",
        "Mon paiement par {cardtype} est refusé alors que la carte fonctionne partout ailleurs.",
        "Depuis {month} je paie {amount} de plus sans avoir été prévenu.",
        "Il y a sur mon relevé un prélèvement de {amount} que je ne reconnais pas.",
        "La facture est encore au nom de mon ancienne société.",
    ],
    context=[
        "Mon numéro client est {customer}.",
        "Je joins une capture d'écran du relevé.",
        "Cela dure depuis {n} mois.",
    ],
    ask=[
        "Pouvez-vous m'expliquer d'où vient ce montant supplémentaire ?",
        "Merci de m'envoyer une facture corrigée à {email}.",
        "Merci de mettre à jour l'adresse de facturation.",
        "J'attends votre retour avant le {date}.",
    ],
)
T["fr"]["shipping"] = dict(
    problem=[
        "Ma commande {order} est bloquée sur 'étiquette créée' depuis {days} jours.",
        "Selon {carrier} le colis a été livré le {date}, mais je n'ai rien reçu.",
        "Le colis a été déposé à la mauvaise adresse, {street}.",
        "Il manquait {k} des {n} articles de la commande {order}.",
        "La date de livraison est passée du {date} au {date2} sans aucune explication.",
        "Livrez-vous en {country} et quels sont les délais ?",
        "Le suivi de la commande {order} n'a pas bougé depuis une semaine.",
        "J'ai payé la livraison express mais le {product} est arrivé après {days} jours.",
    ],
    context=[
        "J'ai passé commande le {date}.",
        "Le numéro de suivi est {tracking}.",
        "J'étais chez moi toute la journée.",
    ],
    ask=[
        "Pouvez-vous ouvrir une réclamation auprès de {carrier} ?",
        "Merci de renvoyer les articles manquants.",
        "Où se trouve mon colis exactement ?",
        "Annulez la commande si elle ne peut pas arriver avant le {date}.",
    ],
)
T["fr"]["refund"] = dict(
    problem=[
        "J'ai renvoyé le {product} le {date} et je n'ai toujours pas été remboursé.",
        "Je souhaite être remboursé pour la commande {order}, le {product} est tombé en panne au bout de {days} jours.",
        "Votre conseiller m'a promis un remboursement de {amount} il y a {days} jours.",
        "On ne m'a remboursé que {amount} sur les {amount2} payés.",
        "J'ai annulé la commande {order} une heure après l'avoir passée et j'ai quand même été débité.",
        "L'étiquette de retour est refusée au point relais {carrier}.",
        "Le retour apparaît comme reçu mais le remboursement est toujours en attente.",
    ],
    context=[
        "Le numéro de retour est {rma}.",
        "J'ai encore le ticket et l'emballage d'origine.",
        "J'ai payé par {cardtype}.",
    ],
    ask=[
        "Merci de rembourser la totalité sur mon moyen de paiement d'origine.",
        "Quand vais-je récupérer mon argent ?",
        "Merci de me confirmer le remboursement par écrit.",
        "Pouvez-vous m'envoyer une nouvelle étiquette de retour ?",
    ],
)
T["fr"]["account"] = dict(
    problem=[
        "Je n'arrive pas à me connecter, l'e-mail de réinitialisation du mot de passe n'arrive jamais.",
        "Mon compte a été bloqué après trop de tentatives de connexion.",
        "Je voudrais changer l'adresse e-mail du compte, actuellement {email}.",
        "Les codes de double authentification sont refusés depuis que j'ai un nouveau {device}.",
        "Quelqu'un s'est connecté à mon compte depuis {city} hier soir.",
        "J'ai créé deux comptes par erreur et je voudrais les fusionner.",
        "Je ne trouve pas comment supprimer mon compte dans les paramètres.",
    ],
    context=[
        "Mon identifiant est {username}.",
        "J'ai déjà vérifié les spams.",
        "J'utilise l'application sur {device}.",
    ],
    ask=[
        "Pouvez-vous débloquer le compte manuellement ?",
        "Merci de réinitialiser la double authentification.",
        "De quels justificatifs avez-vous besoin ?",
        "Pouvez-vous renvoyer l'e-mail de vérification ?",
    ],
)
T["fr"]["technical"] = dict(
    problem=[
        "L'application plante au démarrage sur mon {device} depuis la version {version}.",
        "J'obtiens l'erreur {error} dès que j'envoie un fichier de plus de {size} Mo.",
        "La synchronisation entre l'ordinateur et mon {device} ne fonctionne plus depuis le {date}.",
        "L'export CSV génère un fichier vide.",
        "Les notifications n'arrivent pas sur mon {device} alors qu'elles sont activées.",
        "Le tableau de bord reste blanc dans {browser} et la console affiche {error}.",
        "La recherche ne trouve rien dès qu'il y a un accent dans le mot.",
    ],
    context=[
        "J'ai déjà réinstallé l'application.",
        "Sur {browser} avec le même ordinateur, tout fonctionne.",
        "Les journaux sont en pièce jointe.",
    ],
    ask=[
        "Est-ce un bug connu ?",
        "Existe-t-il une solution de contournement ?",
        "Comment revenir à la version précédente ?",
        "De quels journaux avez-vous besoin ?",
    ],
)
T["fr"]["feedback"] = dict(
    problem=[
        "J'adore le nouveau mode sombre, bravo.",
        "Ce serait génial si l'application proposait {feature}.",
        "Avec la nouvelle mise en page, je ne trouve plus la page {screen}.",
        "{agent} du service client a été d'une aide précieuse hier.",
        "Livraison plus rapide que prévu et emballage sans plastique, merci.",
        "La police du nouveau design est beaucoup trop petite.",
        "Client depuis des années et déçu pour la première fois.",
    ],
    context=[
        "J'utilise l'application tous les jours.",
        "Toute mon équipe est du même avis.",
    ],
    ask=[
        "Continuez comme ça !",
        "Est-ce prévu ?",
        "Merci de transmettre à l'équipe produit.",
    ],
)

T["es"]["billing"] = dict(
    problem=[
        "Me cobraron dos veces la suscripción {plan} este mes.",
        "Mi factura {invoice} muestra {amount} pero el plan cuesta {amount2}.",
        "Se renovó la suscripción anual aunque la cancelé el {date}.",
        "El código {promo} se aceptó pero el descuento no aparece en la factura.",
        "Mi pago con {cardtype} se rechaza aunque la tarjeta funciona en todas partes.",
        "Desde {month} pago {amount} más y nadie me avisó.",
        "Hay un cargo de {amount} en mi extracto que no reconozco.",
    ],
    context=[
        "Mi número de cliente es {customer}.",
        "Adjunto una captura del extracto.",
        "Esto pasa desde hace {n} meses.",
    ],
    ask=[
        "¿Pueden explicarme de dónde sale el cargo extra?",
        "Por favor envíen una factura corregida a {email}.",
        "Por favor actualicen la dirección de facturación.",
        "Espero su respuesta antes del {date}.",
    ],
)
T["es"]["shipping"] = dict(
    problem=[
        "Mi pedido {order} lleva {days} días en 'etiqueta creada'.",
        "{carrier} dice que el paquete se entregó el {date}, pero no ha llegado nada.",
        "Dejaron el paquete en una dirección equivocada, en {street}.",
        "Del pedido {order} solo llegaron {k} de los {n} artículos.",
        "La fecha de entrega cambió del {date} al {date2} sin ningún aviso.",
        "¿Hacen envíos a {country} y cuánto tardan?",
        "Pagué envío exprés pero el {product} tardó {days} días.",
    ],
    context=[
        "Hice el pedido el {date}.",
        "El número de seguimiento es {tracking}.",
        "Estuve en casa todo el día.",
    ],
    ask=[
        "¿Pueden abrir una reclamación con {carrier}?",
        "Por favor envíen los artículos que faltan.",
        "¿Dónde está mi paquete ahora mismo?",
        "Cancelen el pedido si no puede llegar antes del {date}.",
    ],
)
T["es"]["refund"] = dict(
    problem=[
        "Devolví el {product} el {date} y todavía no recibo el reembolso.",
        "Quiero un reembolso del pedido {order}, el {product} dejó de funcionar a los {days} días.",
        "Me prometieron un reembolso de {amount} hace {days} días y no ha pasado nada.",
        "Solo me devolvieron {amount} de los {amount2} que pagué.",
        "Cancelé el pedido {order} una hora después de hacerlo y aun así me cobraron.",
        "La etiqueta de devolución no la aceptan en la oficina de {carrier}.",
    ],
    context=[
        "El número de devolución es {rma}.",
        "Conservo el ticket y el embalaje original.",
        "Pagué con {cardtype}.",
    ],
    ask=[
        "Por favor reembolsen el importe completo a mi método de pago original.",
        "¿Cuándo me devolverán el dinero?",
        "Confírmenme el reembolso por escrito, por favor.",
        "¿Me pueden enviar una nueva etiqueta de devolución?",
    ],
)
T["es"]["account"] = dict(
    problem=[
        "No puedo iniciar sesión, el correo para restablecer la contraseña nunca llega.",
        "Mi cuenta se bloqueó después de demasiados intentos.",
        "Quiero cambiar el correo de mi cuenta, ahora es {email}.",
        "Los códigos de verificación en dos pasos no funcionan desde que cambié a un {device}.",
        "Alguien entró en mi cuenta desde {city} anoche y no fui yo.",
        "Tengo dos cuentas por error y quiero unirlas.",
    ],
    context=[
        "Mi usuario es {username}.",
        "Ya revisé la carpeta de spam.",
        "Uso la aplicación en un {device}.",
    ],
    ask=[
        "¿Pueden desbloquear la cuenta manualmente?",
        "Por favor restablezcan la verificación en dos pasos.",
        "¿Qué necesitan para comprobar que la cuenta es mía?",
    ],
)
T["es"]["technical"] = dict(
    problem=[
        "La aplicación se cierra al abrirla en mi {device} desde la versión {version}.",
        "Me sale el error {error} cuando subo archivos de más de {size} MB.",
        "La sincronización con mi {device} dejó de funcionar el {date}.",
        "Al exportar a CSV el archivo sale vacío.",
        "Las notificaciones no llegan a mi {device} aunque están activadas.",
        "El panel se queda en blanco en {browser} y la consola muestra {error}.",
    ],
    context=[
        "Ya reinstalé la aplicación.",
        "En {browser} funciona sin problemas.",
        "Adjunto los registros.",
    ],
    ask=[
        "¿Es un error conocido?",
        "¿Hay alguna solución temporal?",
        "¿Cómo vuelvo a la versión anterior?",
    ],
)
T["es"]["feedback"] = dict(
    problem=[
        "Me encanta el nuevo modo oscuro, buen trabajo.",
        "Sería genial que la aplicación tuviera {feature}.",
        "Con el nuevo diseño ya no encuentro la página de {screen}.",
        "{agent}, del servicio de atención, me ayudó muchísimo ayer.",
        "El envío llegó antes de lo esperado y sin plásticos, gracias.",
        "La letra del nuevo diseño es demasiado pequeña.",
    ],
    context=[
        "Uso la aplicación todos los días.",
        "Todo mi equipo opina lo mismo.",
    ],
    ask=[
        "¡Sigan así!",
        "¿Tienen pensado añadirlo?",
        "Por favor pásenlo al equipo de producto.",
    ],
)

GREETINGS = {
    "en": ["Hi,", "Hello,", "Hi team,", "Dear support,", "Good morning,", "Hey there,",
           "Hello support team,", "Dear Sir or Madam,"],
    "de": ["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Hallo zusammen,",
           "Moin,"],
    "fr": ["Bonjour,", "Bonsoir,", "Madame, Monsieur,", "Bonjour à l'équipe,"],
    "es": ["Hola,", "Buenos días,", "Estimado equipo,", "Buenas tardes,"],
}
CLOSERS = {
    "en": ["Thanks,", "Thank you,", "Best regards,", "Cheers,", "Kind regards,", "Many thanks,"],
    "de": ["Danke,", "Viele Grüße,", "Mit freundlichen Grüßen,", "Beste Grüße,"],
    "fr": ["Merci,", "Cordialement,", "Bien à vous,", "Merci d'avance,"],
    "es": ["Gracias,", "Saludos,", "Un saludo,", "Muchas gracias,"],
}
CHAT_OPENERS = {
    "en": ["hi", "hello?", "hey", "hi there", "quick question:", "urgent:"],
    "de": ["hallo", "hi", "kurze Frage:"],
    "fr": ["bonjour", "salut", "petite question :"],
    "es": ["hola", "buenas", "una pregunta:"],
}
FORUM_PREFIX = {
    "en": ["Same issue here:", "Question:", "Not sure where else to post this.",
           "Posting here because support is not answering."],
    "de": ["Gleiches Problem hier:", "Frage:"],
    "fr": ["Même problème ici :", "Question :"],
    "es": ["Mismo problema aquí:", "Pregunta:"],
}
FORUM_SUFFIX = {
    "en": ["Has anyone else seen this?", "Any ideas?", "Is it just me?",
           "Would appreciate any pointers."],
    "de": ["Hat das noch jemand?", "Irgendwelche Ideen?"],
    "fr": ["Quelqu'un d'autre a ce problème ?", "Des idées ?"],
    "es": ["¿A alguien más le pasa?", "¿Alguna idea?"],
}
REVIEW_PREFIX = {
    "en": ["1 star.", "2 stars.", "5 stars!", "Rating 2/5.", "Update:", "Edit:", "4/5 -"],
    "de": ["1 Stern.", "5 Sterne!", "Update:"],
    "fr": ["1 étoile.", "5 étoiles !", "Mise à jour :"],
    "es": ["1 estrella.", "5 estrellas.", "Actualización:"],
}
REVIEW_PREFIX_NEG = {
    "en": ["1 star.", "2 stars.", "Rating 2/5.", "Update:", "Edit:", "One star until fixed."],
    "de": ["1 Stern.", "Update:"],
    "fr": ["1 étoile.", "Mise à jour :"],
    "es": ["1 estrella.", "Actualización:"],
}
REVIEW_SUFFIX = {
    "en": ["Please fix.", "Will update my rating when this is solved.", "Uninstalling for now."],
    "de": ["Bitte beheben.", "Deinstalliert."],
    "fr": ["À corriger svp.", "Désinstallée pour l'instant."],
    "es": ["Arréglenlo, por favor.", "La desinstalo de momento."],
}


def compose(rng, label, lang, source):
    pools = T[lang][label]
    problem = fill(rng, rng.choice(pools["problem"]), lang)
    parts = [problem]
    if rng.random() < 0.55:
        parts.append(fill(rng, rng.choice(pools["context"]), lang))
    if rng.random() < 0.65:
        parts.append(fill(rng, rng.choice(pools["ask"]), lang))

    if source == "email":
        if rng.random() < 0.75:
            parts.insert(0, rng.choice(GREETINGS[lang]))
        if rng.random() < 0.7:
            name = rng.choice(NAMES)
            if rng.random() < 0.3:
                name += " " + rng.choice(SURNAMES)
            parts.append(rng.choice(CLOSERS[lang]) + " " + name)
        text = " ".join(parts)
    elif source == "chat":
        parts = parts[:2]
        if rng.random() < 0.4:
            parts.insert(0, rng.choice(CHAT_OPENERS[lang]))
        text = " ".join(parts)
        if rng.random() < 0.4:
            text = text.lower()
        if rng.random() < 0.5 and text.endswith("."):
            text = text[:-1]
    elif source == "forum":
        if rng.random() < 0.3:
            parts.insert(0, rng.choice(FORUM_PREFIX[lang]))
        if rng.random() < 0.5:
            parts.append(rng.choice(FORUM_SUFFIX[lang]))
        text = " ".join(parts)
    else:  # app_review
        parts = parts[:2]
        prefixes = REVIEW_PREFIX[lang] if label == "feedback" else REVIEW_PREFIX_NEG[lang]
        if rng.random() < 0.6:
            parts.insert(0, rng.choice(prefixes))
        if label != "feedback" and rng.random() < 0.3:
            parts.append(rng.choice(REVIEW_SUFFIX[lang]))
        text = " ".join(parts)
    return text


# ----------------------------------------------------------------------------
# Similarity (used to keep the background free of accidental near duplicates)
# ----------------------------------------------------------------------------

def normalize(text):
    return " ".join(text.lower().split())


def shingles(text, n=5):
    s = normalize(text)
    if len(s) <= n:
        return frozenset([s]) if s else frozenset()
    return frozenset(s[i:i + n] for i in range(len(s) - n + 1))


def words(text):
    return frozenset(re.findall(r"\w+", text.lower()))


def jaccard(a, b):
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


class SimIndex:
    """Brute-force similarity index; small enough for a few thousand texts."""

    def __init__(self):
        self.items = []   # (shingle set, size)

    def max_sim(self, sh, limit=None):
        best = 0.0
        n = len(sh)
        for other, m in self.items:
            lo, hi = (n, m) if n < m else (m, n)
            if hi == 0 or lo / hi <= best:
                continue
            j = jaccard(sh, other)
            if j > best:
                best = j
                if limit is not None and best >= limit:
                    return best
        return best

    def add(self, sh):
        self.items.append((sh, len(sh)))


# ----------------------------------------------------------------------------
# Records
# ----------------------------------------------------------------------------

class Gen:
    def __init__(self, rng, url_base=0):
        self.rng = rng
        self.buckets = {}       # (label, lang) -> SimIndex; insertion-ordered
        self.texts = set()      # membership only, never iterated
        self.url_counter = url_base

    def meta(self, source):
        rng = self.rng
        self.url_counter += rng.randrange(1, 40)
        n = 180000 + self.url_counter
        if source == "email":
            url = "https://support.example.com/tickets/%d" % n
        elif source == "chat":
            url = "https://support.example.com/chat/%08x" % rng.randrange(16 ** 8)
        elif source == "forum":
            slug = rng.choice(["billing", "orders", "delivery", "returns", "login", "app",
                               "ideas", "bugs", "general"])
            url = "https://community.example.com/t/%s/%d" % (slug, n)
        else:
            url = "https://apps.example.com/reviews/%d" % n
        ts = "2024-%02d-%02dT%02d:%02d:%02dZ" % (
            rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(24),
            rng.randrange(60), rng.randrange(60))
        k = weighted(rng, [(0, 35), (1, 35), (2, 20), (3, 10)])
        tags = []
        while len(tags) < k:
            t = rng.choice(TAGS)
            if t not in tags:
                tags.append(t)
        return {"url": url, "ts": ts, "annotator": weighted(rng, ANNOTATORS), "tags": tags}

    def accept(self, text, bucket=None, limit=SIM_REJECT):
        """Is text new and dissimilar to the texts in its bucket (all buckets if None)?
        If so, remember it. Similar texts come from the same label and language, so
        comparing within the bucket is enough; the exact all-pairs maximum is
        computed at the end (background_similarity) and checked."""
        if text in self.texts:
            return False
        sh = shingles(text)
        indexes = [self.buckets.setdefault(bucket, SimIndex())] if bucket else \
            list(self.buckets.values())
        for index in indexes:
            if index.max_sim(sh, limit) >= limit:
                return False
        self.texts.add(text)
        self.buckets.setdefault(bucket or ("special", ""), SimIndex()).add(sh)
        return True

    def base_record(self, label=None, lang=None, split=None, source=None):
        rng = self.rng
        label = label or weighted(rng, LABEL_WEIGHTS)
        lang0 = lang
        lang = lang0 or weighted(rng, LANG_WEIGHTS)
        src = source or weighted(rng, SOURCE_WEIGHTS[label])
        for attempt in range(400):
            # Redraw language and source only after many misses, so that crowded
            # buckets do not skew the distributions.
            if attempt and attempt % 100 == 0:
                lang = lang0 or (weighted(rng, LANG_WEIGHTS) if attempt < 300 else "en")
                src = source or weighted(rng, SOURCE_WEIGHTS[label])
            if label not in T[lang]:
                lang = "en"
            text = compose(rng, label, lang, src)
            if self.accept(text, (label, lang)):
                break
        else:
            raise RuntimeError("could not find a fresh text for %s/%s" % (label, lang))
        return {
            "text": text,
            "label": label,
            "split": split or weighted(rng, SPLIT_WEIGHTS),
            "source": src,
            "lang": lang,
            "meta": self.meta(src),
        }


def record_json(rec, with_split=True):
    """The record as a JSON object with fields in the fixed order."""
    out = {"id": rec["id"], "text": rec["text"]}
    if "label" in rec:
        out["label"] = rec["label"]
    if with_split:
        out["split"] = rec["split"]
    out["source"] = rec["source"]
    out["lang"] = rec["lang"]
    out["meta"] = rec["meta"]
    return json.dumps(out, ensure_ascii=False)


# Near-duplicate edits -------------------------------------------------------

FILLERS = ["really", "still", "again", "just", "actually", "now", "also", "already"]
SYNONYMS = {
    "charged": "billed", "billed": "charged", "received": "gotten", "arrived": "came",
    "package": "parcel", "parcel": "package", "order": "purchase", "refund": "reimbursement",
    "account": "profile", "email": "e-mail", "app": "application", "error": "failure",
    "working": "functioning", "help": "assistance", "please": "kindly", "items": "products",
    "days": "business days", "broken": "damaged", "cancelled": "canceled",
    "invoice": "bill", "great": "awesome", "quickly": "fast", "address": "location",
    "nothing": "nothing at all", "website": "site", "anyway": "regardless",
}


def edit_word(rng, text, kind):
    toks = text.split(" ")
    if kind == "substitute":
        cands = [i for i, t in enumerate(toks)
                 if t.lower().strip(".,!?") in SYNONYMS]
        if cands:
            i = rng.choice(cands)
            core = toks[i].strip(".,!?")
            tail = toks[i][len(core):]
            new = SYNONYMS[core.lower()]
            if core[:1].isupper():
                new = new[:1].upper() + new[1:]
            toks[i] = new + tail
        else:
            swaps = {"the": "my", "my": "the", "a": "one", "this": "that", "that": "this",
                     "your": "the", "is": "was", "was": "is"}
            cands = [i for i, t in enumerate(toks) if t in swaps]
            nums = [i for i, t in enumerate(toks) if t.isdigit()]
            if cands:
                i = rng.choice(cands)
                toks[i] = swaps[toks[i]]
            elif nums:
                i = rng.choice(nums)
                toks[i] = str(int(toks[i]) + rng.randrange(1, 5))
            else:
                toks.insert(rng.randrange(1, len(toks)), rng.choice(FILLERS))
    elif kind == "insert":
        i = rng.randrange(1, len(toks))
        toks.insert(i, rng.choice(FILLERS))
    elif kind == "delete":
        cands = [i for i in range(1, len(toks) - 1)
                 if toks[i].isalpha() and len(toks[i]) <= 6]
        i = rng.choice(cands) if cands else rng.randrange(1, len(toks) - 1)
        del toks[i]
    return " ".join(toks)


def edit_case(rng, text):
    choice = rng.randrange(3)
    if choice == 0 and text != text.lower():
        return text.lower()
    if choice == 1 and text != text.upper():
        toks = text.split(" ")
        i = rng.randrange(len(toks))
        toks[i] = toks[i].upper()
        out = " ".join(toks)
        if out != text:
            return out
    return text[:1].swapcase() + text[1:] if text[:1].isalpha() else text.lower()


def edit_punct(rng, text):
    if text.endswith("."):
        return text[:-1] + rng.choice(["!", "", "..."])
    if text.endswith("?") or text.endswith("!"):
        return text[:-1]
    if ", " in text:
        return text.replace(", ", " ", 1)
    return text + "."


def make_variant(rng, text, kinds):
    out = text
    for kind in kinds:
        if kind in ("substitute", "insert", "delete"):
            out = edit_word(rng, out, kind)
        elif kind == "case":
            out = edit_case(rng, out)
        elif kind == "punct":
            out = edit_punct(rng, out)
    return out


# ----------------------------------------------------------------------------
# Special records
# ----------------------------------------------------------------------------

def long_text_technical(rng):
    device, version, browser = rng.choice(DEVICES), slot_value(rng, "version", "en"), rng.choice(BROWSERS)
    sentences = [
        "Hello, I am writing this long message because the last three chats ended without a solution and I want everything in one place.",
        "Since the update to version %s on my %s the synchronisation of shared folders has become unreliable in ways that are hard to describe briefly." % (version, device),
        "First, files that I rename on the desktop appear twice on the phone, once with the old name and once with the new one, and deleting either copy deletes both.",
        "Second, the progress bar gets stuck at ninety-nine percent for large uploads, and after roughly twenty minutes the app silently gives up without any message.",
        "Third, when I open the web version in %s the folder tree is missing every folder created after the first of the month." % browser,
        "I have tried logging out and back in, clearing the cache, reinstalling the app twice, switching between wifi and mobile data, and even resetting the network settings.",
        "None of that changed anything, and the behaviour is identical on my partner's tablet, which uses a different account on the same family plan.",
        "Your status page has said all systems operational the whole time, which is frustrating when three devices in one household disagree.",
        "I rely on this for work, so losing track of which version of a contract is the real one is not a small inconvenience for me.",
        "I can send screen recordings, the diagnostic bundle from the settings screen, or anything else your engineers might need to reproduce it.",
        "Could you please escalate this to someone who can look at the server-side logs for my account instead of sending me the standard troubleshooting checklist again?",
        "I would also like to know whether there is a way to force a full resync without losing the version history of the shared folders.",
        "For what it is worth, the problem does not happen with folders that only I use, which makes me suspect something in the way shared permissions are evaluated.",
        "Thank you in advance for reading all of this, and sorry for the length, but I wanted to avoid another round of the same questions.",
    ]
    return " ".join(sentences) + " Regards, %s %s" % (rng.choice(NAMES), rng.choice(SURNAMES))


def long_text_billing(rng):
    plan = rng.choice(PLANS)
    sentences = [
        "Dear billing department, this letter summarises a dispute that has now been open for more than two months, and I would appreciate a reply that addresses each point.",
        "In January our company moved from the monthly %s plan to the annual plan after your sales representative confirmed in writing that the unused monthly balance would be credited." % plan,
        "Instead, the February statement contains the full annual fee, a prorated monthly fee for the same period, and an unexplained adjustment line labelled miscellaneous.",
        "Our finance team contacted you on three separate occasions, each time receiving a ticket number, an apology and a promise that a corrected statement would follow within five working days.",
        "No corrected statement has arrived, but the automatic reminder emails about the overdue balance continue to arrive every Monday morning like clockwork.",
        "We have paid the portion of the invoice that we agree with and we are withholding the remainder until the credit note is issued as promised.",
        "Please note that our purchase order number must appear on every invoice, otherwise our accounts payable system rejects the document automatically.",
        "We also need the VAT registration number printed on the invoice, since the current version cannot be used for our quarterly tax return.",
        "For completeness, the seat count on the latest invoice is also wrong, because twelve accounts were deactivated before the renewal date and should not be billed.",
        "We would like to continue working with you, but we cannot keep spending this much time reconciling statements that do not match the contract we signed.",
        "Kindly confirm the corrected amounts, the date on which the credit note will be issued, and a single named contact for billing questions going forward.",
        "If it helps, we are happy to schedule a short call with our controller, who has all the statements and the original quote at hand.",
        "We look forward to resolving this quickly.",
    ]
    return " ".join(sentences) + " Yours sincerely, %s %s, Finance" % (rng.choice(NAMES), rng.choice(SURNAMES))


def special_specs(rng):
    """(key, label, lang, source, text) for hand-made records. Keys place them in the file."""
    o = lambda: slot_value(rng, "order", "en")
    specs = [
        # terminal escapes (retitle, clear screen, colour) -- JSON writes them as \u001b, \u0007
        (4.5, "technical", "en", "email",
         "Invoice lookup failed with this output: \x1b]0;pwned\x07\x1b[2J\x1b[31mERROR 0x5A "
         "payment gateway unreachable\x1b[0m and the page went red. What does it mean?"),
        # bidi override: displays as invoice_exe.pdf
        (9.5, "billing", "en", "email",
         "Please check the attached statement invoice_\u202efdp.exe and correct the total, "
         "it lists a fee I never agreed to."),
        # tab and embedded newline
        (14.5, "shipping", "en", "email",
         "Order summary:\n\tItem: %s\tQty: 2\nOnly one of the two arrived in the box, the "
         "second is missing." % rng.choice(PRODUCTS)),
        # CJK and emoji
        (19.5, "account", "en", "chat",
         "My username is 山田太郎 and the login page says it contains invalid characters 🙏"),
        (None, "billing", "en", "email",
         "The invoice shows our company name as 株式会社テスト but every amount on it is blank."),
        (None, "feedback", "en", "app_review",
         "Love the new widgets 😀😀 and the family plan 👨‍👩‍👧 finally works for all of us 👍🏽"),
        (None, "shipping", "en", "chat",
         "order %s still not here 📦 the tracking page shows 配達中 for a week" % o()),
        # very long texts, to exercise wrapping
        (24.5, "technical", "en", "email", long_text_technical(rng)),
        (None, "billing", "en", "email", long_text_billing(rng)),
        # unbalanced double quotes (TSV keeps them raw)
        (None, "shipping", "en", "email",
         "The 27\" monitor from order %s arrived with a cracked corner and a dent in the stand." % o()),
        (None, "feedback", "en", "chat",
         "Your agent said \"we will call you back within the hour and nobody ever did"),
        (None, "technical", "en", "forum",
         "The error dialog says \"Sync failed: code %s and then the whole app closes itself."
         % slot_value(rng, "error", "en")),
        (None, "refund", "en", "email",
         "I ordered the 15.6\" laptop sleeve but got a much smaller one, please take it back and refund me."),
        (None, "billing", "en", "email",
         "Invoice %s lists the item as \"Premium plan (annual) even though I am on the monthly one."
         % slot_value(rng, "invoice", "en")),
        (None, "account", "en", "app_review",
         "\"Password incorrect every single time, even right after a reset. 1 star."),
    ]
    return specs


EMPTY_TEXTS = [""] * 10 + ["   ", "\t", " \n "]


# ----------------------------------------------------------------------------
# tickets.*
# ----------------------------------------------------------------------------

def build_tickets():
    rng = random.Random(SEED)
    gen = Gen(rng)

    specials = special_specs(rng)
    n_dup_copies = 60
    n_near = 60
    n_base = TOTAL_RECORDS - n_dup_copies - n_near - len(specials) - len(EMPTY_TEXTS)

    # Base records: legal (the thin label) first, then the rest, then shuffled order.
    base = []
    for i, split in enumerate(LEGAL_SPLITS):
        base.append(gen.base_record(label="legal", lang="de" if i in (3, 9) else "en",
                                    split=split))
    while len(base) < n_base:
        base.append(gen.base_record())
    rng.shuffle(base)
    for i, rec in enumerate(base):
        rec["_key"] = float(i)
        rec["_role"] = "base"

    # Special records (must also be fresh and dissimilar to the background).
    extra = []
    for key, label, lang, source, text in specials:
        if not gen.accept(text):
            raise RuntimeError("special text too similar to background: %r" % text[:60])
        if key is None:
            key = rng.uniform(30, n_base - 1) + 0.5
        extra.append({"text": text, "label": label, "split": weighted(rng, SPLIT_WEIGHTS),
                      "source": source, "lang": lang, "meta": gen.meta(source),
                      "_key": key, "_role": "special"})
    for text in EMPTY_TEXTS:
        label = weighted(rng, LABEL_WEIGHTS)
        source = weighted(rng, SOURCE_WEIGHTS[label])
        extra.append({"text": text, "label": label, "split": weighted(rng, SPLIT_WEIGHTS),
                      "source": source, "lang": "en", "meta": gen.meta(source),
                      "_key": rng.uniform(1, n_base - 1) + 0.5, "_role": "empty"})

    limit = int(n_base * 0.85)

    def eligible(rec, min_words=5, split=None):
        return (rec["_role"] == "base" and rec["label"] != "legal" and rec["_key"] < limit
                and len(rec["text"].split()) >= min_words and "_taken" not in rec
                and (split is None or rec["split"] == split))

    # Exact duplicate groups -------------------------------------------------
    # 30 groups: sizes 2 x8, 3 x14, 4 x8 -> 60 copies.
    sizes = [2] * 8 + [3] * 14 + [4] * 8
    rng.shuffle(sizes)
    kinds = (["train_test"] * 12 + ["train_valid"] * 3 + ["same"] * 15)
    conflict = [True] * 4 + [False] * 8 + [True] * 1 + [False] * 2 + [True] * 5 + [False] * 10
    CONFUSABLE = {"billing": ["refund", "account"], "refund": ["billing", "shipping"],
                  "shipping": ["refund", "technical"], "account": ["technical", "billing"],
                  "technical": ["account", "feedback"], "feedback": ["technical", "shipping"]}
    copies = []
    dup_groups = []
    for g, (size, kind, conf) in enumerate(zip(sizes, kinds, conflict)):
        want_split = "train" if kind != "same" else None
        pool = [r for r in base if eligible(r, 6, want_split)]
        src = rng.choice(pool)
        src["_taken"] = "dup"
        n_copies = size - 1
        if kind == "train_test":
            cs = ["test"] + [rng.choice(["train", "test"]) for _ in range(n_copies - 1)]
        elif kind == "train_valid":
            cs = ["valid"] + [rng.choice(["train", "valid"]) for _ in range(n_copies - 1)]
        else:
            cs = [src["split"]] * n_copies
        rng.shuffle(cs)
        labels = [src["label"]] * n_copies
        if conf:
            labels[rng.randrange(n_copies)] = rng.choice(CONFUSABLE[src["label"]])
        members = [src]
        for split, label in zip(cs, labels):
            source = rng.choice([src["source"], weighted(rng, SOURCE_WEIGHTS[src["label"]])])
            c = {"text": src["text"], "label": label, "split": split, "source": source,
                 "lang": src["lang"], "meta": gen.meta(source),
                 "_key": rng.uniform(src["_key"] + 1, n_base - 1) + 0.25, "_role": "dup"}
            copies.append(c)
            members.append(c)
        dup_groups.append(members)

    # Near duplicate groups --------------------------------------------------
    # 45 sources: 30 with one variant, 15 with two -> 60 variants.
    n_variants = [1] * 30 + [2] * 15
    rng.shuffle(n_variants)
    word_kinds = ["substitute", "insert", "delete"]
    # 10 of the 60 variants change only case or punctuation; the rest edit a word
    # (sometimes plus a case or punctuation change).
    variant_kinds = ([["case"]] * 5 + [["punct"]] * 5 +
                     [[k] for k in word_kinds for _ in range(12)] +
                     [[rng.choice(word_kinds), rng.choice(["case", "punct"])] for _ in range(14)])
    rng.shuffle(variant_kinds)
    near_groups = []
    variants = []
    vk = iter(variant_kinds)
    for nv in n_variants:
        pool = [r for r in base if eligible(r, 20)]
        if len(pool) < 60:
            pool = [r for r in base if eligible(r, 15)]
        src = rng.choice(pool)
        src["_taken"] = "near"
        group = {"source": src, "variants": [], "edits": []}
        for _ in range(nv):
            kinds_ = next(vk)
            for attempt in range(20):
                # a second variant may collide with the first: then add an insertion
                used = kinds_ if attempt < 5 else kinds_ + ["insert"]
                text = make_variant(rng, src["text"], used)
                if text != src["text"] and text not in gen.texts:
                    break
            else:
                raise RuntimeError("could not make a variant of %r" % src["text"])
            gen.texts.add(text)
            source = rng.choice([src["source"], weighted(rng, SOURCE_WEIGHTS[src["label"]])])
            v = {"text": text, "label": src["label"], "split": weighted(rng, SPLIT_WEIGHTS),
                 "source": source, "lang": src["lang"], "meta": gen.meta(source),
                 "_key": rng.uniform(src["_key"] + 1, n_base - 1) + 0.75, "_role": "near"}
            variants.append(v)
            group["variants"].append(v)
            group["edits"].append(list(used))
        near_groups.append(group)

    # Missing labels: 20 null, 10 absent (never on group members or legal).
    pool = [r for r in base if r["label"] != "legal" and "_taken" not in r]
    missing = rng.sample(pool, 30)
    for i, rec in enumerate(missing):
        rec["_taken"] = "missing"
        if i < 20:
            rec["label"] = None
        else:
            del rec["label"]

    records = base + extra + copies + variants
    order = sorted(range(len(records)), key=lambda i: (records[i]["_key"], i))
    records = [records[i] for i in order]
    assert len(records) == TOTAL_RECORDS, len(records)
    for i, rec in enumerate(records):
        rec["id"] = "t-%05d" % (i + 1)
    return records, dup_groups, near_groups


def label_of(rec):
    lab = rec.get("label")
    return "(missing)" if lab is None else lab


def counts(values):
    out = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def label_by_split(records, split_of):
    all_labels = sorted(set(label_of(r) for r in records) | set(LABELS))
    table = {}
    for s in SPLITS:
        table[s] = {lab: 0 for lab in all_labels}
    for r in records:
        table[split_of(r)][label_of(r)] += 1
    return table


def group_entry(members, split_of):
    splits = sorted(set(split_of(m) for m in members), key=SPLITS.index)
    labels = sorted(set(label_of(m) for m in members))
    return {"ids": sorted(m["id"] for m in members), "cross_split": len(splits) > 1,
            "train_test": "train" in splits and "test" in splits,
            "label_conflict": len(labels) > 1, "splits": splits, "labels": labels}


def is_blank(text):
    return text.strip() == ""


TERMINAL_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI = re.compile(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
WIDE = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U0001f000-\U0001faff]")


def write_tickets(out_dir):
    records, dup_groups, near_groups = build_tickets()
    split_of = lambda r: r["split"]

    # tickets.jsonl ----------------------------------------------------------
    lines = []
    for i, rec in enumerate(records):
        if len(lines) + 1 == MALFORMED_LINE:
            lines.append('{"id": "t-09999", "text": "I was charged tw')
        lines.append(record_json(rec))
        assert "\n" not in lines[-1]
    write_text(os.path.join(out_dir, "tickets.jsonl"), "\n".join(lines) + "\n")

    # tickets.csv ------------------------------------------------------------
    header = ["id", "text", "label", "split", "source", "lang", "meta_url", "meta_ts",
              "meta_annotator"]
    rows = [header]
    for i, rec in enumerate(records):
        if i == CSV_RAGGED_AFTER:
            # ragged: one field short (no meta_annotator)
            rows.append(["t-09998", "My parcel never arrived and the chat keeps disconnecting",
                         "shipping", "train", "chat", "en",
                         "https://support.example.com/chat/0badc0de", "2024-07-01T10:00:00Z"])
        m = rec["meta"]
        lab = rec.get("label")
        rows.append([rec["id"], rec["text"], "" if lab is None else lab, rec["split"],
                     rec["source"], rec["lang"], m["url"], m["ts"], m["annotator"]])
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    csv_ragged = []
    physical = 1
    for r_i, row in enumerate(rows):
        if len(row) != len(header):
            csv_ragged.append({"row": r_i, "line": physical, "fields": len(row)})
        w.writerow(row)
        physical += 1 + sum(f.count("\n") for f in row)
    csv_text = buf.getvalue()
    write_text(os.path.join(out_dir, "tickets.csv"), csv_text)

    # tickets.tsv ------------------------------------------------------------
    tsv_lines = ["\t".join(header)]
    for rec in records:
        m = rec["meta"]
        lab = rec.get("label")
        text = rec["text"].replace("\r", " ").replace("\n", " ").replace("\t", " ")
        fields = [rec["id"], text, "" if lab is None else lab, rec["split"], rec["source"],
                  rec["lang"], m["url"], m["ts"], m["annotator"]]
        for f in fields:
            assert "\t" not in f and "\n" not in f and "\r" not in f
        tsv_lines.append("\t".join(fields))
    write_text(os.path.join(out_dir, "tickets.tsv"), "\n".join(tsv_lines) + "\n")

    # truth ------------------------------------------------------------------
    exact = []
    for members in dup_groups:
        exact.append(group_entry(members, split_of))
    # Confirm from the data that these are all the exact duplicate groups.
    by_text = {}
    for rec in records:
        if not is_blank(rec["text"]):
            by_text.setdefault(rec["text"], []).append(rec["id"])
    found = sorted([ids for ids in by_text.values() if len(ids) > 1])
    assert found == sorted(e["ids"] for e in exact), "unexpected exact duplicates"
    exact.sort(key=lambda e: e["ids"][0])

    near = []
    inj_sims = []
    for g in near_groups:
        src_sh = shingles(g["source"]["text"])
        sims = [round(jaccard(src_sh, shingles(v["text"])), 4) for v in g["variants"]]
        inj_sims.extend(sims)
        entry = sorted(zip([v["id"] for v in g["variants"]], g["edits"], sims,
                           [normalize(v["text"]) == normalize(g["source"]["text"])
                            for v in g["variants"]]))
        near.append({"source": g["source"]["id"], "variants": [e[0] for e in entry],
                     "edits": [e[1] for e in entry], "similarity": [e[2] for e in entry],
                     "normalized_equal": [e[3] for e in entry]})
    near.sort(key=lambda e: e["source"])

    background_max = background_similarity(records, dup_groups, near_groups)

    texts = [(r["id"], r["text"]) for r in records]
    truth = {
        "file": "tickets.jsonl",
        "lines": len(lines),
        "records": len(records),
        "malformed_lines": [MALFORMED_LINE],
        "labels": counts(label_of(r) for r in records),
        "label_null_ids": [r["id"] for r in records if "label" in r and r["label"] is None],
        "label_absent_ids": [r["id"] for r in records if "label" not in r],
        "splits": counts(r["split"] for r in records),
        "label_by_split": label_by_split(records, split_of),
        "sources": counts(r["source"] for r in records),
        "langs": counts(r["lang"] for r in records),
        "empty_text_ids": [i for i, t in texts if is_blank(t)],
        "whitespace_only_text_ids": [i for i, t in texts if is_blank(t) and t != ""],
        "exact_dup_groups": exact,
        "near_dup_groups": near,
        "escape_record_ids": [i for i, t in texts if TERMINAL_CTRL.search(t) or BIDI.search(t)],
        "special_ids": {
            "terminal_escape": [i for i, t in texts if TERMINAL_CTRL.search(t)],
            "bidi": [i for i, t in texts if BIDI.search(t)],
            "tab_or_newline": [i for i, t in texts if not is_blank(t) and ("\t" in t or "\n" in t)],
            "cjk_or_emoji": [i for i, t in texts if WIDE.search(t)],
            "long_text": [i for i, t in texts if len(t) >= 1500],
            "unbalanced_quote": [i for i, t in texts if t.count('"') % 2 == 1],
        },
        "text_length": {"max": max(len(t) for _, t in texts),
                        "max_id": max(texts, key=lambda x: (len(x[1]), x[0]))[0]},
        "similarity": {
            "metric": "jaccard of character 5-gram sets of lowercased, whitespace-collapsed text",
            "background_max": background_max,
            "near_dup_min": min(inj_sims),
            "near_dup_max": max(inj_sims),
        },
        "line_by_id_note": "records before line %d are on line index+1, later ones on index+2"
                           % MALFORMED_LINE,
        "csv": {"file": "tickets.csv", "records": len(records), "fields": len(header),
                "header": header, "ragged_rows": csv_ragged,
                "rows_including_header": len(rows), "physical_lines": physical - 1},
        "tsv": {"file": "tickets.tsv", "records": len(records), "fields": len(header),
                "lines": len(tsv_lines)},
        "notes": [
            "labels, label_by_split: records whose label is null or absent count as \"(missing)\"",
            "empty_text_ids: text is empty or whitespace only; whitespace_only_text_ids is the subset that is not \"\"",
            "exact_dup_groups: byte-identical non-blank texts; blank texts are not listed as a group",
            "exact_dup_groups[].cross_split: members in more than one split; train_test: members in both train and test",
            "near_dup_groups: variants are small edits of the source; edits lists the edit kinds per variant; normalized_equal marks variants that differ only in case/whitespace",
            "escape_record_ids: texts with terminal control characters (C0/C1 other than tab and newline) or bidi controls",
            "csv.ragged_rows: row is the 0-based row index counting the header as row 0; line is the 1-based physical line (CRLF) where the row starts",
            "tsv: tabs, CR and LF inside text are each replaced with one space; no quoting",
        ],
    }
    write_json(os.path.join(out_dir, "tickets.truth.json"), truth)
    return truth


def background_similarity(records, dup_groups, near_groups):
    """Highest similarity between two distinct texts that are not in the same
    injected group. Exact: an all-pairs similarity join with prefix filtering
    (tokens ordered rarest first), lowering the floor until a pair reaches it."""
    group_of = {}
    for g, members in enumerate(dup_groups):
        for m in members:
            group_of[m["id"]] = "d%d" % g
    for g, grp in enumerate(near_groups):
        for m in [grp["source"]] + grp["variants"]:
            group_of[m["id"]] = "n%d" % g
    seen_texts = set()
    items = []
    for r in records:
        if is_blank(r["text"]) or r["text"] in seen_texts:
            continue
        seen_texts.add(r["text"])
        items.append((group_of.get(r["id"], r["id"]), shingles(r["text"])))
    freq = {}
    for _, sh in items:
        for x in sh:
            freq[x] = freq.get(x, 0) + 1
    ordered = [sorted(sh, key=lambda x: (freq[x], x)) for _, sh in items]
    floor = 0.5
    while True:
        best = 0.0
        postings = {}
        for i, toks in enumerate(ordered):
            p = len(toks) - int(-(-floor * len(toks) // 1)) + 1
            cands = {}
            for x in toks[:p]:
                for j in postings.get(x, ()):
                    cands[j] = True
                postings.setdefault(x, []).append(i)
            gi, si = items[i]
            for j in cands:
                gj, sj = items[j]
                if gi != gj:
                    best = max(best, jaccard(si, sj))
        if best >= floor or floor <= 0.05:
            return round(best, 4)
        floor -= 0.1


# ----------------------------------------------------------------------------
# splits/
# ----------------------------------------------------------------------------

def write_splits(out_dir):
    rng = random.Random(SEED + 1)
    gen = Gen(rng, url_base=500000)
    plan = {"train": 480, "valid": 60, "test": 60}
    dup_into = {"test": 6, "valid": 2}      # records copied verbatim from train
    records = {s: [] for s in SPLITS}
    for s in SPLITS:
        fresh = plan[s] - dup_into.get(s, 0)
        for _ in range(fresh):
            label = weighted(rng, LABEL_WEIGHTS)
            records[s].append(gen.base_record(label=label, split=s))
    groups = []
    train_pool = [r for r in records["train"] if len(r["text"].split()) >= 6]
    picked = rng.sample(train_pool, sum(dup_into.values()))
    k = 0
    for s in ["valid", "test"]:
        for _ in range(dup_into[s]):
            src = picked[k]
            k += 1
            label = src["label"] if k % 4 else rng.choice(
                [l for l in LABELS if l not in (src["label"], "legal")])
            c = {"text": src["text"], "label": label, "split": s, "source": src["source"],
                 "lang": src["lang"], "meta": gen.meta(src["source"])}
            pos = rng.randrange(len(records[s]) + 1)
            records[s].insert(pos, c)
            groups.append((src, c))
    n = 0
    all_records = []
    for s in SPLITS:
        for rec in records[s]:
            n += 1
            rec["id"] = "s-%05d" % n
            all_records.append(rec)
    split_dir = os.path.join(out_dir, "splits")
    os.makedirs(split_dir, exist_ok=True)
    for s in SPLITS:
        write_text(os.path.join(split_dir, s + ".jsonl"),
                   "".join(record_json(r, with_split=False) + "\n" for r in records[s]))
    write_text(os.path.join(split_dir, "README.md"),
               "Sample dataset split across files: the split of each record is its file name "
               "(train.jsonl, valid.jsonl, test.jsonl).\n"
               "Generated by ../generate.py; the records carry no `split` field.\n")

    split_of = lambda r: r["split"]
    exact = [group_entry([a, b], split_of) for a, b in groups]
    exact.sort(key=lambda e: e["ids"][0])
    by_text = {}
    for rec in all_records:
        by_text.setdefault(rec["text"], []).append(rec["id"])
    found = sorted([ids for ids in by_text.values() if len(ids) > 1])
    assert found == sorted(e["ids"] for e in exact), "unexpected exact duplicates in splits"
    truth = {
        "folder": "splits",
        "files": {s + ".jsonl": len(records[s]) for s in SPLITS},
        "records": len(all_records),
        "malformed_lines": [],
        "labels": counts(label_of(r) for r in all_records),
        "splits": counts(r["split"] for r in all_records),
        "label_by_split": label_by_split(all_records, split_of),
        "sources": counts(r["source"] for r in all_records),
        "langs": counts(r["lang"] for r in all_records),
        "exact_dup_groups": exact,
        "notes": ["split comes from the file name; records have no split field",
                  "ids are s-00001.. in the order train, valid, test",
                  "README.md in the folder is documentation, not data"],
    }
    write_json(os.path.join(out_dir, "splits.truth.json"), truth)
    return truth


# ----------------------------------------------------------------------------
# README
# ----------------------------------------------------------------------------

def write_readme(out_dir, t, s):
    exact = t["exact_dup_groups"]
    fmt = lambda d: ", ".join("%s %d" % kv for kv in d.items())
    lines = [
        "# Sample datasets",
        "",
        "Synthetic customer-support tickets labelled by intent, for trying `assay` and for",
        "its tests. Built from templates and word lists by `generate.py` (Python 3 standard",
        "library, fixed seed, byte-identical on every run), then broken on purpose. Every",
        "injected problem is listed in the `*.truth.json` files, which the tests assert against.",
        "",
        "Regenerate (from the repository root):",
        "",
        "    python3 samples/generate.py",
        "",
        "`python3 samples/generate.py OUTDIR` writes the same files somewhere else.",
        "",
        "## Files",
        "",
        "| File | Contents |",
        "| --- | --- |",
        "| `tickets.jsonl` | %d records, one JSON object per line (UTF-8, LF), plus one truncated JSON line at line %d (%d lines). Fields in order: `id`, `text`, `label`, `split`, `source`, `lang`, `meta` {`url`, `ts`, `annotator`, `tags`}. |"
        % (t["records"], t["malformed_lines"][0], t["lines"]),
        "| `tickets.csv` | The same %d records flattened (`id,text,label,split,source,lang,meta_url,meta_ts,meta_annotator`), RFC 4180 quoting, CRLF rows; embedded newlines stay inside quoted fields and raw ESC/BEL bytes appear as-is. One extra ragged row (8 fields) at physical line %d. Missing label = empty field. |"
        % (t["csv"]["records"], t["csv"]["ragged_rows"][0]["line"]),
        "| `tickets.tsv` | The same %d records as TSV with the same header, no quoting, LF. Tabs/newlines in text became spaces; some texts hold an unbalanced `\"`. |"
        % t["tsv"]["records"],
        "| `tickets.truth.json` | Ground truth for the three files above. |",
        "| `splits/train.jsonl`, `splits/valid.jsonl`, `splits/test.jsonl` | %d records (%s) with no `split` field: the split is the file name. A few texts in valid/test are verbatim copies of train texts. |"
        % (s["records"], fmt(s["files"])),
        "| `splits/README.md` | Two lines describing the folder (a doc file a folder scan should skip). |",
        "| `splits.truth.json` | Ground truth for `splits/`. |",
        "",
        "## Headline counts (tickets)",
        "",
        "- records: %d; malformed JSONL lines: %s" % (t["records"], t["malformed_lines"]),
        "- labels: %s" % fmt(t["labels"]),
        "- splits: %s" % fmt(t["splits"]),
        "- sources: %s" % fmt(t["sources"]),
        "- langs: %s" % fmt(t["langs"]),
        "- missing labels: %d `null` + %d absent key"
        % (len(t["label_null_ids"]), len(t["label_absent_ids"])),
        "- empty or whitespace-only texts: %d (%d whitespace-only)"
        % (len(t["empty_text_ids"]), len(t["whitespace_only_text_ids"])),
        "- exact duplicate groups: %d (%d records, %d of them extra copies); %d span train and test, %d span more than one split, %d have conflicting labels"
        % (len(exact), sum(len(e["ids"]) for e in exact), sum(len(e["ids"]) - 1 for e in exact),
           sum(e["train_test"] for e in exact), sum(e["cross_split"] for e in exact),
           sum(e["label_conflict"] for e in exact)),
        "- near duplicate groups: %d sources with %d variants (a word substituted/inserted/deleted, case or punctuation changed; %d variants change only case or punctuation)"
        % (len(t["near_dup_groups"]), sum(len(g["variants"]) for g in t["near_dup_groups"]),
           sum(1 for g in t["near_dup_groups"] for e in g["edits"]
               if not set(e) & {"substitute", "insert", "delete"})),
        "- similarity (%s): injected near duplicates %.2f–%.2f, every other pair of distinct texts <= %.2f"
        % (t["similarity"]["metric"], t["similarity"]["near_dup_min"],
           t["similarity"]["near_dup_max"], t["similarity"]["background_max"]),
        "- thin cell: `legal` has %d records, %d in valid and none in test"
        % (t["labels"].get("legal", 0), t["label_by_split"]["valid"]["legal"]),
        "- display hazards: terminal escapes (OSC retitle, clear screen, SGR colour) in %s; bidi override in %s; tab + newline in %s; CJK/emoji in %s; ~2000-character texts in %s; unbalanced `\"` in %s"
        % (", ".join(t["special_ids"]["terminal_escape"]), ", ".join(t["special_ids"]["bidi"]),
           ", ".join(t["special_ids"]["tab_or_newline"]), ", ".join(t["special_ids"]["cjk_or_emoji"]),
           ", ".join(t["special_ids"]["long_text"]), ", ".join(t["special_ids"]["unbalanced_quote"])),
        "",
        "## Headline counts (splits/)",
        "",
        "- records: %d (%s)" % (s["records"], fmt(s["files"])),
        "- labels: %s" % fmt(s["labels"]),
        "- exact duplicate groups across files: %d (%d train/test, %d with conflicting labels)"
        % (len(s["exact_dup_groups"]), sum(e["train_test"] for e in s["exact_dup_groups"]),
           sum(e["label_conflict"] for e in s["exact_dup_groups"])),
        "",
        "## Truth file keys",
        "",
        "`records`, `lines`, `malformed_lines` (1-based), `labels` (null/absent counted as",
        "`(missing)`), `label_null_ids`, `label_absent_ids`, `splits`, `label_by_split` (every",
        "label in every split, zeros included), `sources`, `langs`, `empty_text_ids`,",
        "`whitespace_only_text_ids`, `exact_dup_groups` (`ids`, `cross_split`, `train_test`,",
        "`label_conflict`, `splits`, `labels`), `near_dup_groups` (`source`, `variants`, `edits`,",
        "`similarity`, `normalized_equal`), `escape_record_ids`, `special_ids`, `similarity`,",
        "`csv`, `tsv`, `notes`. The notes in the file spell out each definition.",
        "",
    ]
    write_text(os.path.join(out_dir, "README.md"), "\n".join(lines))


# ----------------------------------------------------------------------------

def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def write_json(path, obj):
    write_text(path, json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out_dir, exist_ok=True)
    t = write_tickets(out_dir)
    s = write_splits(out_dir)
    write_readme(out_dir, t, s)


if __name__ == "__main__":
    main()
