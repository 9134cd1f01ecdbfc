# A tiny guidance root for the extension's own tests.
project = "KlarRet-test"
language = "da"
extensions = ["myst_parser", "sphinx_design", "klarret.sphinxext"]
html_theme = "basic"
klarret_laws = {
    "fvl": {"name": "forvaltningsloven", "genitive": "forvaltningslovens",
            "url": "https://www.retsinformation.dk/eli/lta/2014/433", "aliases": ["fvl"]},
    "offl": {"name": "offentlighedsloven", "genitive": "offentlighedslovens",
             "url": "https://www.retsinformation.dk/eli/lta/2020/145", "aliases": ["offl"]},
    "gdpr": {"name": "databeskyttelsesforordningen", "genitive": "databeskyttelsesforordningens",
             "eu": True, "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj", "aliases": ["gdpr"]},
}
