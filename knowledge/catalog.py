"""Fixed facts of the Meshwright sample business: plans, features, people and accounts.

The prices, allowances and dates here match the product pages in `knowledge/docs/`, so that
a question answered from the docs and a number computed from the data agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STORIES = (
    "healthy_growing",
    "usage_declining",
    "onboarding",
    "champion_left",
    "open_escalation",
    "renewal_30_days",
    "free_power_user",
    "churned",
    "steady",
)

GENERATION_FEATURES = ("text_to_3d", "image_to_3d", "sketch_to_3d")
EXPORT_FEATURES = ("export_obj", "export_glb", "export_fbx", "export_usdz")
FEATURES = GENERATION_FEATURES + ("auto_parts", "retopology") + EXPORT_FEATURES

# Features in beta until the day before these dates (see the auto-parts and sketch docs).
GENERALLY_AVAILABLE_ON = {
    "auto_parts": date(2026, 5, 12),
    "sketch_to_3d": date(2026, 8, 20),
}


@dataclass(frozen=True)
class Plan:
    """One price plan; prices are US dollars per seat per month."""

    name: str
    monthly_price: float
    annual_price: float
    features: tuple[str, ...]
    max_seats: int


PLANS = {
    "Free": Plan(
        "Free",
        0.0,
        0.0,
        GENERATION_FEATURES + ("export_obj", "export_glb"),
        3,
    ),
    "Starter": Plan("Starter", 30.0, 25.0, tuple(f for f in FEATURES if f != "auto_parts"), 10),
    "Studio": Plan("Studio", 80.0, 66.0, FEATURES, 100),
    "Enterprise": Plan("Enterprise", 120.0, 120.0, FEATURES, 10_000),
}
TIER_ORDER = ("Free", "Starter", "Studio", "Enterprise")

# Monthly allowances of a Free workspace; counters reset on the 1st at 00:00 UTC.
FREE_GENERATIONS_PER_MONTH = 40
FREE_EXPORTS_PER_MONTH = 25
TRIAL_DAYS = 14


@dataclass(frozen=True)
class Csm:
    name: str
    email: str
    segment: str


CSMS = (
    Csm("Priya Raman", "priya.raman@meshwright.example", "high-touch"),
    Csm("Marcus Oyelaran", "marcus.oyelaran@meshwright.example", "high-touch"),
    Csm("Elena Sokolova", "elena.sokolova@meshwright.example", "low-touch"),
    Csm("Jonah Whitfield", "jonah.whitfield@meshwright.example", "low-touch"),
    Csm("Sam Adebayo", "sam.adebayo@meshwright.example", "tech-touch"),
)

COUNTRY_TIMEZONES = {
    "United States": (
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
    ),
    "Canada": ("America/Toronto", "America/Vancouver"),
    "United Kingdom": ("Europe/London",),
    "Germany": ("Europe/Berlin",),
    "France": ("Europe/Paris",),
    "Netherlands": ("Europe/Amsterdam",),
    "Spain": ("Europe/Madrid",),
    "Italy": ("Europe/Rome",),
    "Poland": ("Europe/Warsaw",),
    "Sweden": ("Europe/Stockholm",),
    "Finland": ("Europe/Helsinki",),
    "Japan": ("Asia/Tokyo",),
    "South Korea": ("Asia/Seoul",),
    "Singapore": ("Asia/Singapore",),
    "India": ("Asia/Kolkata",),
    "Australia": ("Australia/Sydney", "Australia/Melbourne"),
    "Brazil": ("America/Sao_Paulo",),
}

# fmt: off
FIRST_NAMES = (
    "Jordan", "Aiko", "Mateus", "Freya", "Ravi", "Lena", "Tobias", "Camille", "Kwame", "Ines",
    "Oskar", "Mei", "Dario", "Saoirse", "Hyun-woo", "Amara", "Felix", "Noor", "Emil", "Talia",
    "Rafael", "Ingrid", "Kenji", "Beatriz", "Arjun", "Maja", "Theo", "Lucia", "Wiremu", "Elif",
    "Joon", "Clara", "Nikolai", "Yara", "Anders", "Priscila", "Harriet", "Tomasz", "Zainab",
    "Julien", "Sunita", "Eero", "Marisol", "Callum", "Haruka", "Benedikt", "Adaeze", "Linnea",
    "Viktor", "Rosa", "Dev", "Astrid", "Gabriel", "Keiko", "Ollie", "Paola", "Soren", "Nadia",
)
LAST_NAMES = (
    "Lee", "Tanaka", "Oliveira", "Lindqvist", "Menon", "Hartmann", "Brandt", "Moreau",
    "Mensah", "Duarte", "Nyberg", "Zhou", "Ferraro", "Gallagher", "Park", "Okafor", "Keller",
    "Haddad", "Virtanen", "Cohen", "Alves", "Solberg", "Watanabe", "Santos", "Iyer",
    "Kowalczyk", "Fischer", "Romano", "Parata", "Yilmaz", "Kang", "Schreiber", "Petrov",
    "Nasser", "Holm", "Carvalho", "Pemberton", "Nowak", "Bello", "Laurent", "Rao", "Koskinen",
    "Ortega", "MacLeod", "Sato", "Vogel", "Eze", "Bergstrom", "Ivanova", "Marin", "Kapoor",
    "Dahl", "Costa", "Mori", "Quinn", "Rinaldi", "Lund", "Farouk",
)
# fmt: on

# Job titles by industry and contact role.
TITLES = {
    "Games": {
        "champion": ("Lead 3D Artist", "Art Director", "Technical Art Lead"),
        "sponsor": ("Head of Production", "Studio Director", "CTO"),
        "admin": ("IT Manager", "Pipeline Technical Director"),
        "user": ("3D Artist", "Environment Artist", "Character Artist", "Technical Artist"),
    },
    "AR/VR": {
        "champion": ("XR Content Lead", "Lead XR Developer", "3D Pipeline Lead"),
        "sponsor": ("VP Product", "CEO", "Head of Engineering"),
        "admin": ("IT Administrator", "DevOps Lead"),
        "user": ("XR Developer", "3D Generalist", "Interaction Designer"),
    },
    "E-commerce": {
        "champion": ("3D Content Lead", "Product Content Manager", "Visual Merchandising Lead"),
        "sponsor": ("VP E-commerce", "Director of Digital", "Chief Marketing Officer"),
        "admin": ("Web Operations Manager", "IT Manager"),
        "user": ("Content Producer", "3D Specialist", "Product Photographer"),
    },
    "Product design": {
        "champion": ("Design Lead", "Industrial Design Manager", "Prototyping Lead"),
        "sponsor": ("VP Engineering", "Head of Design", "COO"),
        "admin": ("IT Manager", "Engineering Systems Admin"),
        "user": ("Industrial Designer", "CAD Designer", "Design Engineer"),
    },
    "Film and animation": {
        "champion": ("CG Supervisor", "Asset Lead", "Head of Modeling"),
        "sponsor": ("Executive Producer", "Managing Director"),
        "admin": ("Systems Administrator", "Pipeline Technical Director"),
        "user": ("Modeler", "Layout Artist", "Look Development Artist"),
    },
    "Architecture": {
        "champion": ("Visualization Lead", "Design Technology Manager"),
        "sponsor": ("Managing Partner", "Director of Projects"),
        "admin": ("IT Coordinator",),
        "user": ("Visualization Artist", "Landscape Designer", "Junior Architect"),
    },
}

# fmt: off
# Feature shares by industry: the expected share of active seats that use each feature on a
# working day.
FEATURE_SHARES = {
    "Games": {
        "text_to_3d": 0.6, "image_to_3d": 0.45, "sketch_to_3d": 0.25, "auto_parts": 0.3,
        "retopology": 0.45, "export_obj": 0.08, "export_glb": 0.35, "export_fbx": 0.5,
        "export_usdz": 0.03,
    },
    "AR/VR": {
        "text_to_3d": 0.5, "image_to_3d": 0.5, "sketch_to_3d": 0.15, "auto_parts": 0.25,
        "retopology": 0.4, "export_obj": 0.04, "export_glb": 0.55, "export_fbx": 0.15,
        "export_usdz": 0.45,
    },
    "E-commerce": {
        "text_to_3d": 0.3, "image_to_3d": 0.75, "sketch_to_3d": 0.04, "auto_parts": 0.1,
        "retopology": 0.3, "export_obj": 0.08, "export_glb": 0.6, "export_fbx": 0.04,
        "export_usdz": 0.55,
    },
    "Product design": {
        "text_to_3d": 0.35, "image_to_3d": 0.45, "sketch_to_3d": 0.55, "auto_parts": 0.4,
        "retopology": 0.2, "export_obj": 0.4, "export_glb": 0.3, "export_fbx": 0.25,
        "export_usdz": 0.15,
    },
    "Film and animation": {
        "text_to_3d": 0.5, "image_to_3d": 0.4, "sketch_to_3d": 0.3, "auto_parts": 0.2,
        "retopology": 0.5, "export_obj": 0.2, "export_glb": 0.1, "export_fbx": 0.6,
        "export_usdz": 0.0,
    },
    "Architecture": {
        "text_to_3d": 0.45, "image_to_3d": 0.5, "sketch_to_3d": 0.4, "auto_parts": 0.3,
        "retopology": 0.3, "export_obj": 0.35, "export_glb": 0.35, "export_fbx": 0.3,
        "export_usdz": 0.2,
    },
}
# fmt: on


@dataclass(frozen=True)
class AccountSpec:
    """The hand-chosen shape of one sample account; dates and numbers are drawn per seed.

    `prior` is the plan and seat count before the current subscription, for accounts whose
    history contains an upgrade or a downgrade. `variant` refines the story: the topic of an
    escalation, `healthy` or `shaky` for a renewal, the churn reason for a churned account,
    or `adoption` for an account that signed up four to eight months before the reference date.
    """

    name: str
    domain: str
    industry: str
    country: str
    story: str
    plan: str
    seats: int
    billing: str
    prior: tuple[str, int] | None = None
    variant: str = ""
    referral: str = "organic search"


# fmt: off
ACCOUNT_SPECS = (
    # healthy_growing
    AccountSpec("Northwind Studios", "northwindstudios", "AR/VR", "United States",
                "healthy_growing", "Studio", 20, "annual", ("Studio", 12), "seats",
                "conference"),
    AccountSpec("Quillmere Games", "quillmere", "Games", "Finland", "healthy_growing",
                "Enterprise", 80, "annual", ("Studio", 40), "tier", "outbound"),
    AccountSpec("Velvet Anvil Games", "velvetanvil", "Games", "Poland", "healthy_growing",
                "Studio", 25, "annual", ("Studio", 15), "department", "customer referral"),
    AccountSpec("Marigold Commerce", "marigoldcommerce", "E-commerce", "Germany",
                "healthy_growing", "Studio", 14, "annual", ("Starter", 8), "tier", "partner"),
    AccountSpec("Saltmarsh Robotics", "saltmarshrobotics", "Product design", "Japan",
                "healthy_growing", "Studio", 12, "annual", ("Studio", 6), "department",
                "conference"),
    AccountSpec("Fernhollow Toys", "fernhollow", "Product design", "United States",
                "healthy_growing", "Studio", 8, "monthly", ("Starter", 5), "tier",
                "product-led"),
    # usage_declining
    AccountSpec("Northwind Interactive", "northwindinteractive", "Games", "Canada",
                "usage_declining", "Studio", 15, "annual", referral="outbound"),
    AccountSpec("Okapi Lane", "okapilane", "E-commerce", "United Kingdom", "usage_declining",
                "Starter", 6, "monthly", referral="product-led"),
    AccountSpec("Graniteview Retail", "graniteview", "E-commerce", "United States",
                "usage_declining", "Studio", 12, "annual", referral="partner"),
    AccountSpec("Pebblestack Games", "pebblestack", "Games", "South Korea", "usage_declining",
                "Studio", 18, "annual", referral="conference"),
    AccountSpec("Oriel Furniture Lab", "orielfurniture", "Product design", "Spain",
                "usage_declining", "Studio", 7, "annual", ("Studio", 10),
                referral="organic search"),
    # onboarding
    AccountSpec("Harborlight Design", "harborlight", "Product design", "Netherlands",
                "onboarding", "Studio", 6, "annual", referral="organic search"),
    AccountSpec("Mosswood VR", "mosswoodvr", "AR/VR", "United States", "onboarding", "Studio",
                10, "monthly", variant="trial", referral="product-led"),
    AccountSpec("Cinderpath Games", "cinderpath", "Games", "Brazil", "onboarding", "Starter",
                4, "monthly", referral="product-led"),
    AccountSpec("Juniper & Slate", "juniperslate", "E-commerce", "France", "onboarding",
                "Studio", 8, "annual", referral="partner"),
    AccountSpec("Ironbark Simulations", "ironbarksim", "AR/VR", "Australia", "onboarding",
                "Enterprise", 30, "annual", referral="outbound"),
    # champion_left
    AccountSpec("Tidewater XR", "tidewaterxr", "AR/VR", "Australia", "champion_left", "Studio",
                12, "annual", referral="conference"),
    AccountSpec("Bluefen Outfitters", "bluefen", "E-commerce", "United States",
                "champion_left", "Studio", 9, "annual", referral="organic search"),
    AccountSpec("Stormglass Studios", "stormglass", "Games", "Germany", "champion_left",
                "Enterprise", 40, "annual", referral="outbound"),
    AccountSpec("Wrenfield Product Co.", "wrenfield", "Product design", "United Kingdom",
                "champion_left", "Studio", 6, "annual", referral="customer referral"),
    AccountSpec("Amberline Motion", "amberline", "Film and animation", "Canada",
                "champion_left", "Studio", 16, "annual", referral="partner"),
    # open_escalation; the variant names the ticket topic that escalated
    AccountSpec("Brightforge Games", "brightforgegames", "Games", "United Kingdom",
                "open_escalation", "Enterprise", 60, "annual", variant="fbx_missing_parts",
                referral="outbound"),
    AccountSpec("Cobaltreef Interactive", "cobaltreef", "Games", "Sweden", "open_escalation",
                "Studio", 22, "annual", variant="glb_slow", referral="conference"),
    AccountSpec("Hollowpine Automotive Visuals", "hollowpine", "Product design", "Germany",
                "open_escalation", "Enterprise", 35, "annual", variant="vehicle_width",
                referral="partner"),
    AccountSpec("Meridian Trail Parks", "meridiantrail", "Architecture", "United States",
                "open_escalation", "Studio", 10, "annual", variant="bridge_proportions",
                referral="organic search"),
    AccountSpec("Sablecrest Avatars", "sablecrest", "AR/VR", "Japan", "open_escalation",
                "Studio", 18, "annual", variant="face_detail", referral="customer referral"),
    # renewal_30_days
    AccountSpec("Copperfinch Home", "copperfinch", "E-commerce", "United States",
                "renewal_30_days", "Studio", 10, "annual", variant="healthy", referral="partner"),
    AccountSpec("Driftwood Arcade", "driftwoodarcade", "Games", "United States",
                "renewal_30_days", "Studio", 12, "annual", variant="healthy",
                referral="conference"),
    AccountSpec("Starling Reality", "starlingreality", "AR/VR", "Singapore",
                "renewal_30_days", "Enterprise", 28, "annual", variant="healthy",
                referral="outbound"),
    AccountSpec("Loomstone Furnishings", "loomstone", "E-commerce", "Italy",
                "renewal_30_days", "Studio", 8, "annual", variant="shaky",
                referral="organic search"),
    AccountSpec("Pinecrest Labs", "pinecrestlabs", "Product design", "India",
                "renewal_30_days", "Starter", 5, "annual", variant="shaky",
                referral="product-led"),
    AccountSpec("Thornbury Interactive", "thornbury", "Games", "United Kingdom",
                "renewal_30_days", "Studio", 14, "annual", variant="shaky",
                referral="customer referral"),
    # free_power_user
    AccountSpec("Brightforge Labs", "brightforgelabs", "Product design", "United States",
                "free_power_user", "Free", 3, "monthly", referral="product-led"),
    AccountSpec("Kitefield Prints", "kitefield", "E-commerce", "Canada", "free_power_user",
                "Free", 3, "monthly", referral="product-led"),
    AccountSpec("Nimbleleaf Games", "nimbleleaf", "Games", "Brazil", "free_power_user",
                "Free", 3, "monthly", referral="product-led"),
    AccountSpec("Pixelmoor", "pixelmoor", "Games", "Poland", "free_power_user", "Free", 3,
                "monthly", variant="adoption", referral="product-led"),
    AccountSpec("Glasshouse AR", "glasshousear", "AR/VR", "India", "free_power_user", "Free",
                3, "monthly", variant="adoption", referral="product-led"),
    # churned; the variant is the churn reason code
    AccountSpec("Rookery Games", "rookerygames", "Games", "France", "churned", "Studio", 10,
                "annual", variant="switched_competitor", referral="conference"),
    AccountSpec("Tanglewood Decor", "tanglewooddecor", "E-commerce", "United States",
                "churned", "Starter", 6, "monthly", variant="budget", referral="product-led"),
    AccountSpec("Vantage Bikes Design", "vantagebikes", "Product design", "Netherlands",
                "churned", "Studio", 8, "annual", ("Studio", 14), "low_adoption", "partner"),
    AccountSpec("Emberlight XR", "emberlightxr", "AR/VR", "Canada", "churned", "Studio", 12,
                "annual", ("Starter", 6), "product_gaps", "organic search"),
    AccountSpec("Hushwater Studios", "hushwater", "Film and animation", "United Kingdom",
                "churned", "Studio", 6, "monthly", variant="project_ended",
                referral="customer referral"),
    # steady
    AccountSpec("Lanternfly Interactive", "lanternfly", "Games", "Sweden", "steady", "Studio",
                8, "annual", referral="organic search"),
    AccountSpec("Blue Heron Goods", "blueherongoods", "E-commerce", "United States", "steady",
                "Starter", 4, "monthly", referral="product-led"),
    AccountSpec("Cartwheel Design Studio", "cartwheeldesign", "Product design", "Germany",
                "steady", "Studio", 5, "annual", referral="partner"),
    AccountSpec("Foxglove Immersive", "foxglove", "AR/VR", "France", "steady", "Studio", 10,
                "annual", ("Starter", 6), referral="conference"),
    AccountSpec("Gullwing Games", "gullwing", "Games", "Japan", "steady", "Studio", 20,
                "annual", referral="outbound"),
    AccountSpec("Hedgerow Home", "hedgerowhome", "E-commerce", "United Kingdom", "steady",
                "Starter", 3, "monthly", variant="adoption", referral="product-led"),
    AccountSpec("Inkwell Animation", "inkwellanim", "Film and animation", "United States",
                "steady", "Studio", 6, "annual", referral="customer referral"),
    AccountSpec("Keystone Kitchens Online", "keystonekitchens", "E-commerce", "Australia",
                "steady", "Starter", 5, "annual", referral="organic search"),
    AccountSpec("Lodestar Interactive", "lodestarinteractive", "Games", "United States",
                "steady", "Enterprise", 45, "annual", referral="outbound"),
    AccountSpec("Moonridge Product Lab", "moonridge", "Product design", "South Korea",
                "steady", "Studio", 9, "annual", referral="partner"),
    AccountSpec("Nettlebrook XR", "nettlebrook", "AR/VR", "Netherlands", "steady", "Starter",
                4, "annual", variant="adoption", referral="product-led"),
    AccountSpec("Orchard Lane Toys", "orchardlanetoys", "Product design", "United States",
                "steady", "Studio", 7, "annual", variant="adoption", referral="conference"),
    AccountSpec("Quarry Bay Games", "quarrybay", "Games", "Singapore", "steady", "Studio", 12,
                "annual", referral="organic search"),
    AccountSpec("Riverbend Outdoor Supply", "riverbendoutdoor", "E-commerce", "Australia",
                "steady", "Studio", 7, "annual", referral="partner"),
    AccountSpec("Tallgrass Interactive", "tallgrass", "Games", "Canada", "steady", "Starter", 6,
                "monthly", referral="product-led"),
)
# fmt: on
