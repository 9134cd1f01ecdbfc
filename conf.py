"""Sphinx configuration for the KlarRet guidance (klarret/vejledning/).

Build: sphinx-build -W -c . klarret/vejledning build/html
"""

project = "KlarRet"
author = "Borgerrådgiveren, Københavns Kommune"
copyright = "2026, Borgerrådgiveren, Københavns Kommune"
language = "da"
root_doc = "index"

extensions = ["myst_parser", "sphinx_design", "klarret.sphinxext"]
myst_enable_extensions = ["colon_fence", "deflist"]
# Danish translations of the theme strings Sphinx ships untranslated ("Link to this heading", ...).
locale_dirs = ["klarret/sphinxext/locale"]
exclude_patterns = ["_build", "**/.*"]
suppress_warnings = ["myst.header"]

# KlarRet's own theme (klarret/sphinxext/theme/klarret, registered by the extension): Det Fælles
# Designsystem with the app's header and footer; see the README's "Theme" section.
html_theme = "klarret"
html_title = "KlarRet"
html_short_title = "KlarRet"
html_static_path = []
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None

# Where the search box on every guidance page sends the reader: KlarRet's own search (Flask).
klarret_search_url = "/soeg"

# One row per law that the guidance may cite; each key becomes a citation role: {fvl}`19, stk. 2`.
# url: retsinformation.dk ELI address (Danish laws) or EUR-Lex (EU acts). "verified": False marks an
# address derived from the ELI pattern but not confirmed against retsinformation.dk (see README).
# aliases: the forms case workers type into search, lower case.
klarret_laws = {
    "fvl": {
        "name": "forvaltningsloven", "genitive": "forvaltningslovens", "abbr": "fvl.",
        "url": "https://www.retsinformation.dk/eli/lta/2014/433", "verified": True,
        "aliases": ["fvl", "forvaltningsloven", "forvaltningslov", "forvaltningslovens"],
    },
    "offl": {
        "name": "offentlighedsloven", "genitive": "offentlighedslovens", "abbr": "offl.",
        "url": "https://www.retsinformation.dk/eli/lta/2020/145", "verified": False,
        "aliases": ["offl", "ofl", "offentlighedsloven", "offentlighedslov", "offentlighedslovens"],
    },
    "rsl": {
        "name": "retssikkerhedsloven", "genitive": "retssikkerhedslovens", "abbr": "rsl.",
        # The original act (LOV nr. 453 af 10/06/1997); the current consolidation is unconfirmed.
        "url": "https://www.retsinformation.dk/eli/lta/1997/453", "verified": False,
        "aliases": ["rsl", "retssikkerhedsloven", "retssikkerhedslov", "retssikkerhedslovens"],
    },
    "dbl": {
        "name": "databeskyttelsesloven", "genitive": "databeskyttelseslovens", "abbr": "dbl.",
        "url": "https://www.retsinformation.dk/eli/lta/2018/502", "verified": True,
        "aliases": ["dbl", "databeskyttelsesloven", "databeskyttelseslov", "databeskyttelseslovens"],
    },
    "sel": {
        "name": "serviceloven", "genitive": "servicelovens", "abbr": "sel.",
        # The original act (LOV nr. 454 af 10/06/1997); the current consolidation is unconfirmed.
        "url": "https://www.retsinformation.dk/eli/lta/1997/454", "verified": False,
        "aliases": ["sel", "serviceloven", "servicelov", "servicelovens"],
    },
    "bl": {
        "name": "barnets lov", "genitive": "barnets lovs", "abbr": "bl.",
        "url": "https://www.retsinformation.dk/eli/lta/2023/721", "verified": False,
        "aliases": ["bl", "barnets lov", "barnets lovs"],
    },
    "strfl": {
        "name": "straffeloven", "genitive": "straffelovens", "abbr": "strfl.",
        # The original act (LOV nr. 126 af 15/04/1930); the current consolidation is unconfirmed.
        "url": "https://www.retsinformation.dk/eli/lta/1930/126", "verified": False,
        "aliases": ["strfl", "straffeloven", "straffelov", "straffelovens"],
    },
    "kstyrl": {
        "name": "kommunestyrelsesloven", "genitive": "kommunestyrelseslovens", "abbr": "kstyrl.",
        "url": "https://www.retsinformation.dk/eli/lta/1968/223", "verified": False,
        "aliases": ["kstyrl", "kommunestyrelsesloven", "kommunestyrelseslov", "kommunestyrelseslovens"],
    },
    "ombl": {
        "name": "ombudsmandsloven", "genitive": "ombudsmandslovens", "abbr": "ombl.",
        "url": "https://www.retsinformation.dk/eli/lta/1996/473", "verified": False,
        "aliases": ["ombl", "ombudsmandsloven", "ombudsmandslov", "ombudsmandslovens"],
    },
    "wbl": {
        "name": "whistleblowerloven", "genitive": "whistleblowerlovens", "abbr": "wbl.",
        "url": "https://www.retsinformation.dk/eli/lta/2021/1436", "verified": True,
        "aliases": ["wbl", "whistleblowerloven", "whistleblowerlov", "whistleblowerlovens"],
    },
    "ytfl": {
        "name": "lov om offentligt ansattes ytringsfrihed",
        "genitive": "lov om offentligt ansattes ytringsfrihed", "abbr": "ytringsfrihedsloven",
        "url": "https://www.retsinformation.dk/eli/lta/2025/557", "verified": False,
        "aliases": ["ytfl", "ytringsfrihedsloven", "ytringsfrihedslov", "ytringsfrihedslovens"],
    },
    "dpl": {
        "name": "lov om Digital Post fra offentlige afsendere",
        "genitive": "lov om Digital Post", "abbr": "digitalpostloven",
        "url": "https://www.retsinformation.dk/eli/lta/2021/686", "verified": False,
        "aliases": ["dpl", "digitalpostloven", "digital post loven", "lov om digital post"],
    },
    "hfl": {
        "name": "lov om forbud mod forskelsbehandling på grund af handicap",
        "genitive": "lov om forbud mod forskelsbehandling på grund af handicap",
        "abbr": "handicapdiskriminationsloven",
        "url": "https://www.retsinformation.dk/eli/lta/2018/688", "verified": False,
        "aliases": ["hfl", "handicapdiskriminationsloven", "handicaploven"],
    },
    "elbl": {
        "name": "lov om etnisk ligebehandling", "genitive": "lov om etnisk ligebehandling",
        "abbr": "ligebehandlingsloven",
        "url": "https://www.retsinformation.dk/eli/lta/2003/374", "verified": False,
        "aliases": ["elbl", "lov om etnisk ligebehandling", "etnisk ligebehandling"],
    },
    "gdpr": {
        "name": "databeskyttelsesforordningen", "genitive": "databeskyttelsesforordningens",
        "abbr": "GDPR", "eu": True,
        "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj", "verified": True,
        "aliases": ["gdpr", "dbf", "databeskyttelsesforordningen", "databeskyttelsesforordningens",
                    "persondataforordningen"],
    },
    "aif": {
        "name": "AI-forordningen", "genitive": "AI-forordningens", "abbr": "AI-forordningen",
        "eu": True, "url": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj", "verified": True,
        "aliases": ["aif", "ai-forordningen", "ai forordningen", "ai-forordningens", "ai act"],
    },
}
