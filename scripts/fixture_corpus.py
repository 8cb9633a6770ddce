"""The training text: generated Dutch/English news sentences from templates, plus the seed article."""

from __future__ import annotations

import random
import re
import sys
import warnings

from fixture_base import SEED_CANDIDATES, SEED_NAME  # noqa: E402

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")

# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------

NL_SENTENCES = [
    "Het kabinet heeft dinsdag een nieuw pakket maatregelen gepresenteerd om de stijgende energieprijzen te dempen.",
    "De Nederlandsche Bank verwacht dat de economie volgend jaar met 1,8 procent groeit.",
    "Op de A12 bij Utrecht stond vanochtend een file van ruim 14 kilometer na een ongeluk met twee vrachtwagens.",
    "Volgens het KNMI was september de warmste septembermaand sinds het begin van de metingen in 1901.",
    "De gemeenteraad van Amsterdam stemde in met het plan om het centrum autoluw te maken.",
    "Minister De Jong zegt dat er ‘geen sprake is van een crisis’, maar de oppositie denkt daar anders over.",
    "Ajax won zondag met 3-1 van PSV en staat nu vier punten los aan kop van de eredivisie.",
    "Het aantal faillissementen is in het derde kwartaal met 12 procent gedaald ten opzichte van een jaar eerder.",
    "Schiphol verwerkte vorig jaar 52,5 miljoen passagiers, nog altijd minder dan vóór de pandemie.",
    "De brandweer rukte met groot materieel uit naar een loods in Eindhoven; niemand raakte gewond.",
    "“We hebben dit echt niet zien aankomen”, zegt een woordvoerder van het ziekenhuis.",
    "De prijs van een liter benzine steeg deze week naar € 2,15 – een record.",
    "Philips schrapt wereldwijd 6.000 banen om de kosten te verlagen.",
    "Onderzoekers van de Universiteit Leiden hebben een nieuwe methode ontwikkeld om plastic afval te recyclen.",
    "De Tweede Kamer debatteert donderdag over de toekomst van de kinderopvang.",
    "In Groningen zijn opnieuw twee aardbevingen gemeten, met een kracht van 2,3 en 1,9 op de schaal van Richter.",
    "De woningprijzen lagen in mei gemiddeld 4,7% hoger dan een jaar eerder, meldt het CBS.",
    "Na maanden van onderhandelingen hebben de vakbonden en de werkgevers een akkoord bereikt over een nieuwe cao.",
    "De politie zoekt getuigen van een overval op een juwelier in het centrum van Rotterdam.",
    "ASML verwacht dit jaar een omzet van ongeveer 27 miljard euro.",
    "Het festival trok dit weekend meer dan 45.000 bezoekers, ondanks de regen.",
    "De NS laat vanaf december meer treinen rijden tussen Den Haag en Amsterdam.",
    "Wie in 2023 een elektrische auto koopt, kan rekenen op een subsidie van maximaal 2.950 euro.",
    "De rechtbank in Den Bosch veroordeelde de 34-jarige man tot vier jaar cel.",
    "Het is de derde keer dit jaar dat de dijk bij Kampen versterkt moet worden.",
    "De premier noemde de aanslag ‘laf en verwerpelijk’.",
    "Door de droogte geldt in delen van Limburg een verbod op beregening.",
    "De staking bij het openbaar vervoer duurt naar verwachting tot en met vrijdag.",
    "Heineken verhoogt de prijzen van zijn bier met gemiddeld 8 procent.",
    "Het Rijksmuseum krijgt een schilderij van Rembrandt in bruikleen van een particuliere verzamelaar.",
    "Bij de verkiezingen van 2021 was de opkomst 78,7 procent.",
    "Zo’n 1.200 huishoudens in Zwolle zaten gisteravond urenlang zonder stroom.",
    "Het Openbaar Ministerie eist een werkstraf van 120 uur tegen de demonstrant.",
    "De nieuwe brug over de Waal wordt naar verwachting in het voorjaar van 2025 geopend.",
    "Volgens de onderzoekers is het risico op overstromingen de afgelopen decennia flink toegenomen.",
    "De supermarktketen opent de komende twee jaar vijftien nieuwe winkels in België.",
    "Oranje plaatste zich woensdagavond voor het WK na een 2-0 overwinning op Noorwegen.",
    "Het aantal patiënten in de ziekenhuizen daalt voor de vierde week op rij.",
    "De werkloosheid bleef in augustus stabiel op 3,6 procent van de beroepsbevolking.",
    "Een woordvoerder van het ministerie wilde niet reageren op ‘speculaties in de media’.",
    "De bouw van 900.000 nieuwe woningen vóór 2030 is volgens experts niet haalbaar.",
    "Tesla opende in 2019 zijn eerste fabriek buiten de Verenigde Staten, in Shanghai.",
    "Het water in de Maas staat zo hoog dat veel uiterwaarden zijn ondergelopen.",
    "Bewoners klagen al jaren over geluidsoverlast van het vliegveld.",
    "De verdachte – een 19-jarige man uit Almere – is inmiddels weer op vrije voeten.",
    "Het bedrijf boekte in het eerste halfjaar een nettowinst van 412 miljoen euro, tegen 380 miljoen een jaar eerder.",
    "Waarom duurt het zo lang voordat de gedupeerde ouders hun geld terugkrijgen?",
    "De burgemeester riep de inwoners op om binnen te blijven en ramen en deuren te sluiten.",
    "Volgens persbureau Reuters overweegt de Chinese overheid nieuwe regels voor buitenlandse autofabrikanten.",
    "De koers van bitcoin zakte dinsdag onder de 30.000 dollar.",
    "Ook in Duitsland en Frankrijk lopen de prijzen van gas en elektriciteit sterk op.",
    "Het onderzoek wordt uitgevoerd door een onafhankelijke commissie onder leiding van een oud-minister.",
    "Dat blijkt uit cijfers die het Centraal Planbureau maandag publiceerde.",
    "Het Europees Parlement stemde in met een verbod op de verkoop van nieuwe benzineauto’s vanaf 2035.",
    "Er raakten drie mensen gewond, van wie één ernstig.",
    "Het is nog onduidelijk wanneer de weg weer open gaat.",
    "De fabriek in Shanghai lag door het tekort aan chips een week stil!",
    "Boeren protesteerden met honderden trekkers op het Malieveld in Den Haag.",
    "Ruim 60% van de ondervraagden zegt minder te gaan reizen vanwege de hoge prijzen.",
    "De club maakte bekend dat de trainer na dit seizoen vertrekt.",
]

EN_SENTENCES = [
    "The central bank raised its key interest rate by 0.75 percentage points on Wednesday.",
    "Shares of the carmaker fell 4.3% in early trading after the company cut its sales forecast.",
    "Police said a 27-year-old man had been arrested in connection with the attack.",
    "The government will spend £1.2 billion on new hospitals over the next five years.",
    "“We are not going to give up,” the mayor told reporters outside city hall.",
    "Heavy rain caused flooding in parts of southern England, closing roads and railway lines.",
    "The company employs about 12,000 people worldwide, including 3,400 in the Netherlands.",
    "Scientists say the glacier has lost nearly a third of its volume since 1990.",
    "The trial is expected to last at least six weeks.",
    "Inflation in the eurozone rose to 8.1 percent in May, a new record.",
    "The minister described the report as ‘deeply worrying’ and promised an investigation.",
    "Thousands of people marched through the capital on Saturday to protest against rising prices.",
    "The airline said it would cancel around 2,000 flights this summer because of staff shortages.",
    "Tesla delivered a record number of vehicles in the second quarter, beating analyst expectations.",
    "A spokesperson for the hospital declined to comment on the case.",
    "The match was postponed because of a waterlogged pitch.",
    "Unemployment fell to 3.6% in March, the lowest level in nearly two decades.",
    "Firefighters battled the blaze for more than ten hours before bringing it under control.",
    "The new bridge, which cost $450 million, will open to traffic next spring.",
    "Lawmakers in Washington passed the bill by a vote of 220 to 207.",
    "Chinese regulators have ordered several technology firms to store user data locally.",
    "The museum will reopen on 1 June after a two-year renovation.",
    "Why did it take so long for the authorities to respond?",
    "House prices in London rose by an average of 5.2 percent last year.",
    "The storm is expected to reach the coast early on Thursday morning.",
    "Opposition parties called the decision a ‘betrayal’ of voters.",
    "Researchers at the University of Oxford have developed a faster test for the virus.",
    "The price of oil climbed above $100 a barrel for the first time since 2014.",
    "About 1,500 homes were left without power after the storm.",
    "The company reported a net profit of €2.4 billion for 2021, up from €1.9 billion a year earlier.",
    "Officials say the new rules will take effect in January.",
    "The striker scored twice as Liverpool beat Chelsea 3–1 at Anfield.",
    "Electric cars accounted for almost 20 percent of all new car sales in Europe last year.",
    "The suspect – a 41-year-old man from Manchester – is due to appear in court on Monday.",
    "Musk said the company would build a new data centre in China to store local data.",
    "Negotiations between the unions and the employers broke down late on Friday.",
    "The report found that one in five children in the region lives in poverty.",
    "Water levels in the Rhine have fallen so low that cargo ships can carry only half their usual load.",
    "The festival attracted more than 60,000 visitors despite the heat.",
    "The prime minister said he had “no regrets” about the decision.",
    "The European Commission has proposed a ban on the sale of new petrol cars from 2035.",
    "Investors are worried that higher interest rates could push the economy into recession.",
    "The bank plans to close 80 branches and cut 1,000 jobs by the end of next year.",
    "Three people were injured, one of them seriously.",
    "Chip shortages have forced several carmakers to halt production for weeks.",
    "The court ruled that the dismissal of the employees had been unlawful.",
    "Local residents have complained for years about noise from the airport.",
    "The ministry said the figures were ‘provisional’ and could still change.",
    "Nio, Xpeng and Li Auto are among the start-ups competing with Tesla in China.",
    "The government has promised to build 300,000 new homes a year.",
    "A heatwave is expected to push temperatures above 35 degrees this weekend.",
    "Analysts had expected a smaller decline.",
    "The vaccine is 91.3% effective against severe illness, the company said.",
    "More than half of those surveyed said they were cutting back on energy use.",
    "The rescue operation was called off on Tuesday evening.",
    "Chinese automakers are the most competitive in the world, according to Elon Musk.",
    "Tesla is still the only foreign carmaker that fully owns its local operations in China.",
    "It is not yet clear when the road will reopen.",
    "Farmers drove hundreds of tractors into the centre of The Hague!",
    "The club announced that the coach will leave at the end of the season.",
]

FIRST_NAMES = ["Jan", "Sanne", "Mohamed", "Fatima", "Pieter", "Lotte", "Emma", "Daan", "Sophie", "Willem",
               "Anouk", "Kees", "Ingrid", "Thomas", "Yara", "Ahmed", "Maria", "Lars", "Noor", "Sven",
               "John", "Sarah", "David", "Laura", "James", "Olivia", "Wei", "Elena", "Marco", "Aisha"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Bos", "Vos",
              "Peters", "Hendriks", "van Dijk", "El Amrani", "Yilmaz", "Smith", "Johnson", "Brown", "Garcia",
              "Müller", "Chen", "Novak", "Kowalski", "Dubois", "Rossi", "O’Brien", "van den Berg", "Zhang"]
NL_CITIES = ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen", "Tilburg", "Almere",
             "Breda", "Nijmegen", "Arnhem", "Zwolle", "Leeuwarden", "Maastricht", "Delft", "Haarlem",
             "Enschede", "’s-Hertogenbosch", "Antwerpen", "Gent"]
EN_CITIES = ["London", "Manchester", "New York", "Berlin", "Paris", "Shanghai", "Beijing", "Chicago",
             "Sydney", "Toronto", "Madrid", "Brussels", "Amsterdam", "Dublin", "Hong Kong", "San Francisco"]
COMPANIES = ["Philips", "Shell", "ASML", "Heineken", "Ahold Delhaize", "KLM", "Tesla", "Volkswagen", "BYD",
             "Unilever", "ING", "Rabobank", "Siemens", "Apple", "Nio", "Xpeng", "Li Auto", "Booking.com",
             "Adyen", "Toyota"]
TEAMS = ["Ajax", "PSV", "Feyenoord", "AZ", "FC Twente", "FC Utrecht", "Vitesse", "Liverpool", "Chelsea",
         "Arsenal", "Bayern München", "Barcelona"]
ROADS = ["A1", "A2", "A4", "A12", "A13", "A15", "A27", "A28", "A50", "N201"]
NL_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
NL_DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NL_TOPICS = ["de hoge energieprijzen", "het nieuwe klimaatbeleid", "de woningnood", "de bezuinigingen op het onderwijs",
             "de uitbreiding van Schiphol", "het stikstofbeleid", "de sluiting van het ziekenhuis",
             "de komst van een windpark", "de lange wachtlijsten in de zorg", "de nieuwe coronaregels"]
EN_TOPICS = ["rising energy prices", "the new climate policy", "the housing shortage", "cuts to education",
             "the expansion of the airport", "the closure of the hospital", "plans for a wind farm",
             "long waiting lists in healthcare", "the new tax on fuel", "the war in Ukraine"]
NL_THINGS = ["woningen", "faillissementen", "werklozen", "asielaanvragen", "elektrische auto’s", "laadpalen",
             "passagiers", "verkeersdoden", "inbraken", "zonnepanelen"]
EN_THINGS = ["homes", "bankruptcies", "job seekers", "asylum applications", "electric cars", "charging points",
             "passengers", "road deaths", "burglaries", "solar panels"]
NL_ADJ = ["zorgelijk", "onhoudbaar", "uitzonderlijk", "ernstig", "hoopvol", "chaotisch", "onacceptabel"]
EN_ADJ = ["worrying", "unsustainable", "exceptional", "serious", "hopeful", "chaotic", "unacceptable"]
NL_QUOTES = ["Dit is een historische dag", "We moeten nu doorpakken", "Niemand had dit verwacht",
             "Het is vijf voor twaalf", "We zijn er nog lang niet", "Dit raakt iedereen",
             "We gaan gewoon door"]
EN_QUOTES = ["This is a historic day", "We have to act now", "Nobody saw this coming",
             "It is five to midnight", "We are not there yet", "This affects everyone",
             "We will simply carry on"]
NL_ORGS = ["de FNV", "de politie", "het ministerie van Financiën", "de gemeente", "Greenpeace", "de ANWB",
           "het RIVM", "de vakbond", "het UWV"]
EN_ORGS = ["the union", "the police", "the Treasury", "the city council", "Greenpeace", "the World Bank",
           "the health authority", "the IMF", "the United Nations"]
NL_CRIMES = ["witwassen", "fraude", "mishandeling", "drugshandel", "brandstichting", "diefstal"]
EN_CRIMES = ["money laundering", "fraud", "assault", "drug trafficking", "arson", "theft"]


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def _numbers(rng: random.Random, lang: str) -> dict:
    thousands = "." if lang == "nl" else ","
    decimal = "," if lang == "nl" else "."
    big = rng.choice([rng.randint(100, 999), rng.randint(1000, 99999), rng.randint(100000, 9999999)])
    dec = f"{rng.randint(0, 30)}{decimal}{rng.randint(1, 9)}"
    pct = rng.choice([f"{dec}%", f"{dec} procent" if lang == "nl" else f"{dec} percent",
                      f"{rng.randint(2, 80)}%", f"{rng.randint(2, 80)} procent" if lang == "nl" else
                      f"{rng.randint(2, 80)} percent"])
    return {
        "int": _group(big, thousands),
        "small": str(rng.randint(2, 40)),
        "dec": dec,
        "pct": pct,
        "year": str(rng.randint(1995, 2024)),
        "year2": str(rng.randint(2025, 2040)),
        "day": str(rng.randint(1, 28)),
        "age": str(rng.randint(18, 85)),
        "score": f"{rng.randint(0, 5)}-{rng.randint(0, 5)}",
    }


NL_TEMPLATES = [
    "{company} boekte in {year} een omzet van {dec} miljard euro, een stijging van {pct}.",
    "{name} ({age}) uit {city} is {weekday} aangehouden op verdenking van {crime}.",
    "Volgens {name} is de situatie in {city} ‘{adj}’, maar de gemeente ziet dat anders.",
    "“{quote}”, zegt {name} van {org}.",
    "In {city} kwamen {weekday} ruim {int} mensen bijeen om te protesteren tegen {topic}.",
    "De gemeente {city} trekt {int} euro uit voor {topic}.",
    "Het aantal {thing} steeg in {month} met {pct} tot {int}.",
    "{company} schrapt {int} banen – ongeveer {pct} van het personeel.",
    "Bij een ongeluk op de {road} bij {city} zijn {weekday} {small} mensen gewond geraakt.",
    "De inflatie kwam in {month} {year} uit op {dec} procent, meldt het CBS.",
    "Minister {last} wil vóór {year2} in totaal {int} nieuwe {thing} realiseren.",
    "{name} werd op {day} {month} {year} benoemd tot directeur van {company}.",
    "De wedstrijd tussen {team} en {team2} eindigde {weekday} in {score}.",
    "{org_cap} waarschuwt dat {topic} ‘{adj}’ gevolgen kan hebben voor {city}.",
    "Sinds {year} is het aantal {thing} in {city} met {pct} gedaald.",
    "De aandelen van {company} daalden {weekday} met {pct} na tegenvallende cijfers.",
    "Hoeveel {thing} telt {city} eigenlijk?",
    "De rechter in {city} legde {name} een boete op van {int} euro.",
]

EN_TEMPLATES = [
    "{company} reported revenue of {dec} billion euros in {year}, an increase of {pct}.",
    "{name}, {age}, from {city} was arrested on {weekday} on suspicion of {crime}.",
    "According to {name}, the situation in {city} is ‘{adj}’, but officials disagree.",
    "“{quote},” said {name} of {org}.",
    "More than {int} people gathered in {city} on {weekday} to protest against {topic}.",
    "The city of {city} will spend {int} dollars on {topic}.",
    "The number of {thing} rose by {pct} in {month} to {int}.",
    "{company} is cutting {int} jobs – about {pct} of its workforce.",
    "{small} people were injured in a crash on the {road} near {city} on {weekday}.",
    "Inflation reached {dec} percent in {month} {year}, the statistics office said.",
    "Minister {last} wants to deliver {int} new {thing} before {year2}.",
    "{name} was appointed chief executive of {company} on {day} {month} {year}.",
    "The match between {team} and {team2} ended {score} on {weekday}.",
    "{org_cap} warned that {topic} could have ‘{adj}’ consequences for {city}.",
    "Since {year}, the number of {thing} in {city} has fallen by {pct}.",
    "Shares in {company} fell {pct} on {weekday} after disappointing results.",
    "How many {thing} does {city} actually have?",
    "A judge in {city} fined {name} {int} dollars — the highest penalty ever.",
]


def template_sentences(lang: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    nl = lang == "nl"
    templates = NL_TEMPLATES if nl else EN_TEMPLATES
    out, seen = [], set()
    tries = 0
    while len(out) < n and tries < 50 * n:
        tries += 1
        tpl = rng.choice(templates)
        last = rng.choice(LAST_NAMES)
        team, team2 = rng.sample(TEAMS, 2)
        org = rng.choice(NL_ORGS if nl else EN_ORGS)
        fields = dict(
            _numbers(rng, lang),
            name=f"{rng.choice(FIRST_NAMES)} {last}",
            last=last[0].upper() + last[1:],
            city=rng.choice(NL_CITIES if nl else EN_CITIES),
            company=rng.choice(COMPANIES),
            team=team,
            team2=team2,
            road=rng.choice(ROADS),
            month=rng.choice(NL_MONTHS if nl else EN_MONTHS),
            weekday=rng.choice(NL_DAYS if nl else EN_DAYS),
            topic=rng.choice(NL_TOPICS if nl else EN_TOPICS),
            thing=rng.choice(NL_THINGS if nl else EN_THINGS),
            adj=rng.choice(NL_ADJ if nl else EN_ADJ),
            quote=rng.choice(NL_QUOTES if nl else EN_QUOTES),
            org=org,
            org_cap=org[0].upper() + org[1:],
            crime=rng.choice(NL_CRIMES if nl else EN_CRIMES),
        )
        s = tpl.format(**fields)
        s = s[0].upper() + s[1:]
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def split_sentences(text: str) -> list[str]:
    """Naive sentence splitter (good enough for the corpus / lead targets)."""
    out = []
    for m in re.finditer(r"\S.*?(?:[.!?][’”]?(?=\s|$)|$)", text.replace("\n", " ")):
        s = m.group(0).strip()
        if s:
            out.append(s)
    return out


def load_seed_text() -> str:
    for p in SEED_CANDIDATES:
        if p.is_file():
            return p.read_text(encoding="utf-8")
    print(f"WARNING: seed article {SEED_NAME} not found in {[str(p) for p in SEED_CANDIDATES]}; "
          "building without it (fixtures will differ).", file=sys.stderr)
    return ""


def seed_units(seed_text: str) -> tuple[list[str], list[str]]:
    """Return (paragraph lines, sentences) of the seed article."""
    lines = [ln.strip() for ln in seed_text.splitlines() if ln.strip()]
    sents = []
    for ln in lines:
        if re.search(r"[.!?][’”]?$", ln):
            sents.extend(split_sentences(ln))
    return lines, sents


def build_corpus() -> dict:
    """Deterministic train / held-out sentence lists."""
    hand_nl_train = [s for i, s in enumerate(NL_SENTENCES) if i % 5 != 4]
    hand_nl_test = [s for i, s in enumerate(NL_SENTENCES) if i % 5 == 4]
    hand_en_train = [s for i, s in enumerate(EN_SENTENCES) if i % 5 != 4]
    hand_en_test = [s for i, s in enumerate(EN_SENTENCES) if i % 5 == 4]
    tpl_nl = template_sentences("nl", 900, seed=11)
    tpl_en = template_sentences("en", 900, seed=12)
    tpl_nl_test = [s for s in template_sentences("nl", 120, seed=21) if s not in set(tpl_nl)]
    tpl_en_test = [s for s in template_sentences("en", 120, seed=22) if s not in set(tpl_en)]
    seed_text = load_seed_text()
    seed_lines, seed_sents = seed_units(seed_text)
    return {
        "nl_train": hand_nl_train + tpl_nl,
        "en_train": hand_en_train + tpl_en,
        "nl_test": hand_nl_test + tpl_nl_test,
        "en_test": hand_en_test + tpl_en_test,
        "seed_text": seed_text,
        "seed_lines": seed_lines,
        "seed_sents": seed_sents,
    }
