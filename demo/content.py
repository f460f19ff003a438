"""Demo content for the 2017 Vilnius conference: the site, the conference page, organisations, venue
and information pages. Idempotent: every object is looked up by a stable key before it is created."""

from datetime import date, datetime

from wagtail.models import Locale, Site

from conference.models import ConferenceOrganisation, ConferencePage, Organisation, Venue
from home.models import HomePage, StandardPage

CONFERENCE_SLUG = "vilnius-2017"

ORGANISATIONS = [
    # short name, name, url, role, description
    (
        "EHRN",
        "Eurasian Harm Reduction Network",
        "https://harmreductioneurasia.org/",
        "organiser",
        "A regional network of harm reduction programmes, people who use drugs and their allies in Central "
        "and Eastern Europe and Central Asia.",
    ),
    (
        "IDPC",
        "International Drug Policy Consortium",
        "https://idpc.net/",
        "partner",
        "A global network promoting drug policies grounded in human rights and public health.",
    ),
    (
        "HRI",
        "Harm Reduction International",
        "https://www.hri.global/",
        "partner",
        "Research and advocacy on harm reduction, drug policy and human rights.",
    ),
    (
        "Youth RISE",
        "Youth RISE",
        "https://youthrise.org/",
        "partner",
        "An international network of young people who use drugs and young harm reduction advocates.",
    ),
    (
        "MENAHRA",
        "Middle East and North Africa Harm Reduction Association",
        "https://menahra.org/",
        "partner",
        "The harm reduction network of the Middle East and North Africa.",
    ),
    (
        "EuroNPUD",
        "European Network of People who Use Drugs",
        "https://www.euronpud.net/",
        "partner",
        "The European network of people who use drugs.",
    ),
    (
        "ENPUD",
        "Eurasian Network of People who Use Drugs",
        "https://enpud.net/",
        "partner",
        "The network of people who use drugs in Eastern Europe and Central Asia.",
    ),
    (
        "Robert Carr Fund",
        "Robert Carr civil society Networks Fund",
        "https://robertcarrfund.org/",
        "funder",
        "Supports the consortium's regional work on harm reduction and human rights.",
    ),
]

INTRO = (
    "<p>Three days in Vilnius for people who use drugs, outreach workers, lawyers, health professionals "
    "and policy makers from Central and Eastern Europe and Central Asia, to take stock of harm reduction in "
    "a region where donors are leaving and governments must take over.</p>"
)

BODY = [
    (
        "paragraph",
        "<h2>Why this conference</h2><p>Harm reduction in Central and Eastern Europe and Central Asia was built "
        "with international money. As the Global Fund and other donors withdraw, needle and syringe programmes, "
        "opioid substitution treatment and community-led services depend on national budgets and on whether "
        "governments see people who use drugs as citizens with rights.</p>"
        "<p>The conference brings together the networks of the consortium, led by the Eurasian Harm Reduction "
        "Network, with partners from IDPC, HRI, Youth RISE, MENAHRA, EuroNPUD and ENPUD, to share what works in "
        "this new environment.</p>",
    ),
    (
        "quote",
        {
            "quote": "Street lawyers in 8 countries documented 176 cases of rights violations against people who "
            "use drugs. Each case is a person, and each one shows where the law must change.",
            "attribution": "From Street to Government project",
        },
    ),
    (
        "paragraph",
        "<h2>From Street to Government</h2><p>The project trained street lawyers who work where people who use "
        "drugs live, documented violations from police abuse to refused treatment, and took the evidence to "
        "ministries and parliaments. Its findings open the conference.</p>",
    ),
    (
        "faq",
        {
            "heading": "Questions",
            "items": [
                {
                    "question": "Who can attend?",
                    "answer": "<p>Anyone working in or with harm reduction in the region: community members, "
                    "service providers, researchers, officials and donors.</p>",
                },
                {
                    "question": "Which languages?",
                    "answer": "<p>English and Russian, with simultaneous interpretation in the plenary hall.</p>",
                },
                {
                    "question": "Is my registration kept private?",
                    "answer": "<p>Yes. We keep only what the conference needs, never share it, and delete it after "
                    "the conference. You can download or delete your data at any time.</p>",
                },
            ],
        },
    ),
]

INFO_PAGES = [
    (
        "travel-and-visas",
        "Travel and visas",
        "Getting to Vilnius, visas for Lithuania and the Schengen area, and local transport.",
        "<p>Vilnius International Airport is 6 km from the city centre; bus 88 and trains run every 20 minutes. "
        "Participants from countries that need a Schengen visa receive an invitation letter after their "
        "registration is confirmed: apply at least six weeks before the conference.</p>",
    ),
    (
        "venue-accessibility",
        "Venue accessibility",
        "Step-free access, lifts, quiet room and what to ask us for.",
        "<p>All conference rooms are step-free and reachable by lift. There is an accessible toilet on every "
        "floor and a quiet room on the ground floor. Tell us about any need in your registration and we will "
        "contact you.</p>",
    ),
    (
        "code-of-conduct",
        "Code of conduct",
        "Respect for every participant, whatever their drug use, HIV status, gender or background.",
        "<p>Stigmatising language about people who use drugs, harassment, and photographing people without "
        "their consent are not accepted. Speak to any organiser wearing a red lanyard.</p>",
    ),
    (
        "privacy",
        "Privacy notice",
        "What we collect when you register, why, who sees it and when we delete it.",
        "<p>We collect your name, the name for your badge, your organisation, country and the needs you tell "
        "us, only to run the conference. Door staff see only your badge name, organisation and type. Your QR "
        "code holds no personal data. Personal data is deleted 90 days after the conference; you can download "
        "or delete it earlier from your account at any time.</p>",
    ),
]


def get_home_page():
    """The home page of the default locale (the root every demo and scale conference hangs under)."""
    return HomePage.objects.filter(locale=Locale.get_default()).first() or HomePage.objects.first()


def load_site():
    """Create or update the home page and the default site; returns the home page."""
    home = get_home_page()
    home.title = "Harm Reduction Conferences"
    home.intro = "<p>Regional harm reduction conferences of the Eurasian Harm Reduction Network and its partners.</p>"
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def load_conference(home):
    """Create or update the Vilnius 2017 conference page with its venue, organisations and info pages."""
    venue, _ = Venue.objects.update_or_create(
        name="Radisson Blu Hotel Lietuva",
        defaults={
            "address": "Konstitucijos pr. 20, LT-09308 Vilnius, Lithuania",
            "city": "Vilnius",
            "country": "Lithuania",
            "accessibility": "Step-free entrance from Konstitucijos avenue; lifts to every conference floor; "
            "accessible toilets on each floor; a quiet room next to the registration desk.",
        },
    )
    organisations = []
    for short_name, name, url, role, description in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            short_name=short_name, defaults={"name": name, "url": url, "description": description}
        )
        organisations.append((organisation, role))

    conference = ConferencePage.objects.filter(slug=CONFERENCE_SLUG, locale=home.locale).first()
    fields = {
        "title": "Harm Reduction in the New Environment",
        "tagline": (
            "Harm reduction and drug policy in Central and Eastern Europe and Central Asia after donor transition"
        ),
        "start_date": date(2017, 4, 4),
        "end_date": date(2017, 4, 6),
        "time_zone": "Europe/Vilnius",
        "venue": venue,
        "city": "Vilnius",
        "intro": INTRO,
        "body": BODY,
        # Registration stays open in the demo, so that the form can be tried today.
        "registration_opens_at": datetime.fromisoformat("2016-11-01T00:00:00+02:00"),
        "registration_closes_at": None,
        "personal_data_retention_days": 90,
    }
    if conference is None:
        conference = ConferencePage(slug=CONFERENCE_SLUG, **fields)
        home.add_child(instance=conference)
    else:
        for name, value in fields.items():
            setattr(conference, name, value)
    conference.organisation_links = [
        ConferenceOrganisation(organisation=organisation, role=role, sort_order=index)
        for index, (organisation, role) in enumerate(organisations)
    ]
    conference.save_revision().publish()
    conference.refresh_from_db()

    for slug, title, intro, body in INFO_PAGES:
        page = StandardPage.objects.child_of(conference).filter(slug=slug).first()
        if page is None:
            page = StandardPage(slug=slug, title=title)
            conference.add_child(instance=page)
        page.title = title
        page.intro = intro
        page.body = [("paragraph", body)]
        page.show_in_menus = True
        page.save_revision().publish()
    privacy = StandardPage.objects.child_of(conference).get(slug="privacy")
    if conference.privacy_notice_id != privacy.pk:
        conference.privacy_notice = privacy
        conference.save_revision().publish()
    return ConferencePage.objects.get(pk=conference.pk)
