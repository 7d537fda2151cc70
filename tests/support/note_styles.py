"""Notes as people really write them, for the draft report and the draft-quality tests.

Each :class:`Meeting` is one interview with the notes taken on each person:
fragments, full sentences, empty notes, long notes, notes written about the
person rather than to them, names from many languages, and the shapes a
tester found garbled (verb phrases without a subject, adjective phrases, a
five-person panel). ``benchmarks/draft_report.py``
builds drafts from them and counts what reads badly; the tests hold the
counts at zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from afterword.core.storage.values import ApplicationStatus, InterviewFormat

LONG_NOTE = (
    "We went through the whole architecture: the ingestion service, the three queues, the "
    "nightly reconciliation job, and how on-call works across two time zones. Then a long "
    "tangent about hiring juniors, the budget for conferences, the office move in spring, "
    "and whether the team will keep its current manager after the reorganisation."
)


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    note: str


@dataclass(frozen=True)
class Meeting:
    company: str
    role: str
    why: str
    round_name: str
    days_ago: int  # how long before the drafts are written the interview took place
    people: tuple[Person, ...]
    format: InterviewFormat = InterviewFormat.VIDEO
    status: ApplicationStatus = ApplicationStatus.INTERVIEWING


# Notes and reasons from the walkthrough of issue 13 (QA notes13) that a guessing builder
# garbled ("I was glad you interested in ...", "talking about runs the routing team").
TESTER_MEETINGS: tuple[Meeting, ...] = (
    Meeting(
        "Solo GmbH",
        "Compiler Engineer",
        "Mission-driven company",
        "Technical interview",
        1,
        (
            Person("Ana Ruiz", "Engineer", "Interested in my Rust experience"),
            Person("Ben Ode", "Engineering Manager", "Runs the routing team"),
            Person("Cy Park", "Engineer", "Will send a take-home"),
        ),
    ),
    Meeting(
        "Acme Corp",
        "Data Engineer",
        "I love their mission.",
        "Technical interview",
        1,
        (
            Person("Anna Schmidt", "Engineer", ""),
            Person("Ben Okoye", "Engineer", ""),
            Person("Chen Wei", "Engineer", "Their compiler work."),
            Person("Dara Ní Bhriain", "Engineer", ""),
            Person("Émile Zola", "Engineer", "Coffee chat"),
        ),
    ),
    Meeting(
        "Tessellate",
        "Platform Engineer",
        "Because the team builds tools I use every day",
        "System design",
        2,
        (
            Person("Rosa Díaz", "Staff Engineer", "Told me about the roadmap"),
            Person("Kai Wong", "Data Lead", "Worked at Google before"),
            Person("Lena Voss", "Engineer", "Very nice person"),
            Person("Omar Haddad", "Engineer", "Great team culture"),
        ),
    ),
    Meeting(
        "Hearth Homes",
        "Backend Developer",
        "Close to home",
        "Phone screen",
        0,
        (Person("Mia Laine", "Talent Partner", "Likes cycling"),),
        format=InterviewFormat.PHONE,
    ),
    Meeting(
        "Gridline",
        "SRE",
        "Their open-source work",
        "Final round",
        3,
        (
            Person("Ines Costa", "SRE Lead", "Explained the on-call rotation"),
            Person("Tom Berg", "Engineer", "Remote-first team"),
            Person("Yuki Sato", "Engineer", "Grew up in Lisbon"),
        ),
    ),
)
MEETINGS: tuple[Meeting, ...] = (
    Meeting(
        "Quarry Logistics",
        "Operations Analyst",
        "Route planning problems I find genuinely fun.",
        "Case interview",
        0,
        (
            Person("Olivia Brown", "Operations Director", "Case on depot placement."),
            Person("Ravi Shah", "Senior Analyst", "Asked about SQL window functions."),
        ),
    ),
    Meeting(
        "Northwind Analytics",
        "Data Engineer",
        "They build the open data pipelines I have used for years.",
        "Technical interview",
        1,
        (
            Person("Priya Raman", "Head of Data", "streaming vs batch"),
            Person("Tomás Ortega", "Senior Data Engineer", "We both like DuckDB."),
            Person("Zoë Ångström", "Data Engineer", ""),
        ),
    ),
    Meeting(
        "Lumen Robotics",
        "Embedded Software Engineer",
        "Warehouse robots that work next to people safely: exactly my thesis topic.",
        "On-site loop",
        3,
        (
            Person("Jonas Weber", "Engineering Manager", "Talked about motor control."),
            Person("Aiko Tanaka", "Staff Engineer", "Safety certification stories."),
            Person("Nguyễn Thị Minh", "Firmware Lead", "how they test firmware on real robots"),
        ),
        format=InterviewFormat.ONSITE,
    ),
    Meeting(
        "Kestrel Payments",
        "Backend Engineer",
        "Small team, serious about reliability, and they publish their postmortems.",
        "Screening call",
        2,
        (Person("Marcus Bell", "Recruiter", "Very friendly; salary band shared."),),
        format=InterviewFormat.PHONE,
    ),
    Meeting(
        "Fernwood Books",
        "UX Writer",
        "A publisher that cares about plain language.",
        "Portfolio review",
        6,
        (Person("Hannah Lindqvist", "Content Design Lead", "Liked my error-message rewrite."),),
        status=ApplicationStatus.REJECTED,
    ),
    Meeting(
        "Blue Harbor Health",
        "Product Manager",
        "Their appointment app helped my parents, and I want to make it calmer to use.",
        "First conversation",
        10,
        (
            Person("Grace Okafor", "Director of Product", "Recruiter said she ran clinics."),
            Person("Dr. Ana Gómez", "Clinical Lead", "Idempotency keys discussion."),
        ),
    ),
    Meeting(
        "Orchard Labs",
        "Frontend Developer",
        "I have shipped accessible design systems for five years, which is what you need.",
        "Pairing session",
        4,
        (
            Person("Søren Kierkegaard-Holm", "Staff Engineer", LONG_NOTE),
            Person("Mei-Ling Chen", "Engineering Manager", "Did she like the demo?"),
            Person(
                "Olúwaseun Adébáyọ̀",
                "Designer",
                "Your story about rebuilding the design system in six weeks stayed with me.",
            ),
        ),
    ),
    Meeting(
        "Zephyr Energy",
        "Data Scientist",
        "",
        "Final round",
        30,
        (
            Person("Łukasz Wiśniewski", "Head of Analytics", "- forecasting\n- team of 6"),
            Person("Иван Петров", "Principal Scientist", "about their grid forecasting models"),
        ),
    ),
    Meeting(
        "Atlas Maps",
        "GIS Engineer",
        "Open maps are how I got into programming.",
        "Technical interview",
        400,
        (
            Person("François Lefèvre", "CTO", "Explained the tiling pipeline."),
            Person("Ayşe Yılmaz", "Engineer", "Meeting the whole team over lunch"),
        ),
    ),
    Meeting(
        "Cobalt Security",
        "Security Engineer",
        "I want to work where security is part of design, not an afterthought.",
        "Phone screen",
        1,
        (Person("José María Núñez", "Talent Partner", "the relocation package"),),
        format=InterviewFormat.PHONE,
    ),
    Meeting(
        "Harbour & Finch",
        "Product Designer",
        "Your research wall is the kind of practice I want to grow in.",
        "Final interview",
        5,
        (
            Person("Siobhán Ní Bhriain", "Design Lead", "Thanks for showing me the research wall!"),
            Person(
                "Bartholomew Featherstonehaugh-Smythe",
                "VP Sales",
                "The CRM migration story made me laugh.",
            ),
            Person("Ngozi Okonjo", "Hiring Manager", "discussed remote-first culture and writing"),
        ),
    ),
    *TESTER_MEETINGS,
)


def note_count() -> int:
    """How many notes the set holds (at least 20)."""
    return sum(len(meeting.people) for meeting in MEETINGS)
