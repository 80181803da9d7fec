"""Names for the demo org's people and accounts (invented; any likeness is chance)."""

FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jamal",
    "Keiko", "Liam", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara",
    "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Arjun", "Bea", "Carlos", "Dana",
    "Emil", "Fatima", "Gus", "Hana", "Ivan", "Jia", "Kofi", "Lena", "Mateo", "Nora",
    "Oscar", "Priya", "Rafael", "Sofia", "Theo", "Uma", "Viktor", "Wanjiru", "Yara", "Zeke",
)

LAST_NAMES = (
    "Abara", "Becker", "Castillo", "Dubois", "Eriksen", "Fontaine", "Garcia", "Haddad",
    "Ito", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
    "Quispe", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Wang", "Xu", "Yilmaz",
    "Zhang", "Almeida", "Brennan", "Chen", "Delgado", "Evans", "Fischer", "Gupta", "Horvat",
    "Ivanova", "Jovanovic", "Kim", "Li", "Mensah", "Novak",
)

ACCOUNT_WORDS = (
    "Acorn", "Beacon", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris",
    "Juniper", "Keystone", "Lumen", "Meridian", "Nimbus", "Orchid", "Pioneer", "Quartz",
    "Redwood", "Summit", "Tundra", "Umber", "Vertex", "Willow", "Yonder", "Zenith",
)

ACCOUNT_SUFFIXES = (
    "Logistics", "Foods", "Health", "Labs", "Energy", "Retail", "Textiles", "Motors",
    "Pharma", "Media", "Bank", "Insurance", "Studios", "Farms", "Systems", "Hotels",
)
