#!/usr/bin/env python
"""Build the tiny, *trained* Hugging Face models used as test fixtures.

Why these exist
---------------
The product runs real Hugging Face seq2seq models (Marian opus-mt translators
and a distilbart summarizer).  Those weights are hundreds of megabytes and
cannot be downloaded in the offline test environment, and randomly
initialised models produce gibberish, so tests could only check that
"something" came out.  Instead this script trains two very small models on
trivial tasks, so tests can run the genuine ``model.generate()`` path
(tokenizer -> beam search with the saved generation_config -> decode) and
still assert on the *content* of the output:

* ``tests/fixtures/tiny-marian-copy`` -- ``MarianMTModel`` + ``MarianTokenizer``
  trained to COPY its input (an identity "translator", usable as nl->en and
  en->nl).  ``max_position_embeddings`` is 128 so tests can exercise the
  product's long-input splitting cheaply.
* ``tests/fixtures/tiny-bart-lead`` -- ``BartForConditionalGeneration`` + a
  byte-level BPE tokenizer, trained to output the LEAD (first) SENTENCE of its
  input (a trivial extractive summarizer).  ``max_position_embeddings`` is 256.

Everything (corpus, tokenizers, weights) is generated here from fixed seeds;
the only external input is the seed article
``shared/seeds/000_5456f33a95982729.txt`` (looked up next to the repository
and under /work/shared), which is mixed into the training text.

Training trick: the decoder cross-attention projections start as identity
matrices and both sides carry the same sinusoidal positions, so decoder step t
initially attends to source token t.  That is exactly the alignment a copy /
lead-sentence model needs; without it two CPU cores spend most of the budget
discovering it.  It is only an initialisation -- all weights are trained.

Usage::

    python scripts/build_fixtures.py            # builds both (~6-8 min on 2 idle CPU cores)
    python scripts/build_fixtures.py --only marian

At the end it prints the held-out accuracies and (when both models were
built) rewrites ``tests/fixtures/README.md`` with the measured numbers.
"""

from __future__ import annotations

import argparse
import json
import warnings
import math
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
MARIAN_DIR = FIXTURES / "tiny-marian-copy"
BART_DIR = FIXTURES / "tiny-bart-lead"
SEED_NAME = "000_5456f33a95982729.txt"
SEED_CANDIDATES = [
    REPO / "seeds" / SEED_NAME,
    REPO / "shared" / "seeds" / SEED_NAME,
    Path("/work/shared/seeds") / SEED_NAME,
]

MARIAN_MAX_POS = 128
BART_MAX_POS = 256

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


# ---------------------------------------------------------------------------
# Shared training helpers
# ---------------------------------------------------------------------------


def set_seed(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def lr_at(step: int, total: int, peak: float, warmup: int) -> float:
    if step < warmup:
        return peak * (step + 1) / warmup
    frac = (step - warmup) / max(1, total - warmup)
    return peak * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))


def pad_batch(seqs: list[list[int]], pad_id: int, label: bool = False) -> torch.Tensor:
    m = max(len(s) for s in seqs)
    fill = -100 if label else pad_id
    return torch.tensor([s + [fill] * (m - len(s)) for s in seqs], dtype=torch.long)


def train_loop(model, make_batches, steps: int, peak_lr: float, warmup: int, pad_id: int, name: str) -> float:
    """make_batches() yields lists of (src_ids, tgt_ids) -- called again when exhausted."""
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=peak_lr, betas=(0.9, 0.98), eps=1e-9, weight_decay=0.0)
    t0 = time.time()
    it = iter(make_batches())
    running = None
    for step in range(steps):
        try:
            batch = next(it)
        except StopIteration:
            it = iter(make_batches())
            batch = next(it)
        src = pad_batch([b[0] for b in batch], pad_id)
        labels = pad_batch([b[1] for b in batch], pad_id, label=True)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, peak_lr, warmup)
        out = model(input_ids=src, attention_mask=(src != pad_id).long(), labels=labels)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        loss = out.loss.item()
        running = loss if running is None else 0.98 * running + 0.02 * loss
        if step % 100 == 0 or step == steps - 1:
            print(f"  [{name}] step {step:5d}/{steps} loss {running:.4f} lr {opt.param_groups[0]['lr']:.2e} "
                  f"bs {len(batch)}x{src.shape[1]} {time.time() - t0:6.1f}s", flush=True)
    model.eval()
    return time.time() - t0


def token_batches(examples: list[tuple[list[int], list[int]]], budget: int, rng: random.Random):
    """Sort by length, cut into batches of ~budget (src+tgt) tokens, shuffle batch order."""
    examples = sorted(examples, key=lambda e: (len(e[0]), len(e[1])))
    batches, cur, cur_max = [], [], 0
    for e in examples:
        L = len(e[0]) + len(e[1])
        if cur and max(cur_max, L) * (len(cur) + 1) > budget:
            batches.append(cur)
            cur, cur_max = [], 0
        cur.append(e)
        cur_max = max(cur_max, L)
    if cur:
        batches.append(cur)
    rng.shuffle(batches)
    return batches


def sinusoid_table(n_pos: int, dim: int) -> torch.Tensor:
    pos = torch.arange(n_pos, dtype=torch.float32)[:, None]
    freq = torch.pow(10000.0, -torch.arange(0, dim, 2, dtype=torch.float32) / dim)[None, :]
    return torch.cat([torch.sin(pos * freq), torch.cos(pos * freq)], dim=1)


def warm_start_cross_attention(decoder_layers, d_model: int) -> None:
    """Initialise cross-attention projections to the identity.

    Encoder and decoder states both carry (sinusoidal) position information, so with identity q/k the
    decoder step t already attends mostly to source position t -- the alignment a copy model needs.
    Without this the 2-core training spends most of its budget discovering that alignment.
    """
    with torch.no_grad():
        for layer in decoder_layers:
            att = layer.encoder_attn
            for proj in (att.q_proj, att.k_proj, att.v_proj, att.out_proj):
                proj.weight.copy_(torch.eye(d_model))
                proj.bias.zero_()


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------
# 1. tiny-marian-copy
# ---------------------------------------------------------------------------

MARIAN_SPM_VOCAB = 1200


def build_marian_tokenizer(corpus: dict, out_dir: Path, vocab_size: int = MARIAN_SPM_VOCAB,
                           model_type: str = "unigram", max_length: int = MARIAN_MAX_POS):
    """Shared nl/en sentencepiece in Marian's layout; bench/run.py reuses it with a real-sized vocabulary."""
    import sentencepiece as spm
    from transformers import MarianTokenizer

    train_text = corpus["nl_train"] + corpus["en_train"] + corpus["seed_lines"]
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "spm")
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(train_text),
            model_prefix=prefix,
            model_type=model_type,
            vocab_size=vocab_size,
            hard_vocab_limit=False,  # a small corpus may not support the asked size: take what it gives
            character_coverage=1.0,
            byte_fallback=True,
            normalization_rule_name="identity",  # no NFKC: exact copies, and ~240 KB smaller per .spm file
            eos_id=0,
            unk_id=1,
            bos_id=-1,
            pad_id=-1,
            num_threads=1,
            seed_sentencepiece_size=100000,
            shuffle_input_sentence=False,
            minloglevel=2,
        )
        sp = spm.SentencePieceProcessor(model_file=prefix + ".model")
        # Marian layout: </s>=0, <unk>=1, pieces..., <pad>=last (pad doubles as decoder start).
        vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
        vocab["<pad>"] = len(vocab)
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(prefix + ".model", out_dir / "source.spm")
        shutil.copy(prefix + ".model", out_dir / "target.spm")
    with open(out_dir / "vocab.json", "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False, indent=2)
    tok = MarianTokenizer(
        source_spm=str(out_dir / "source.spm"),
        target_spm=str(out_dir / "target.spm"),
        vocab=str(out_dir / "vocab.json"),
        source_lang="nl",
        target_lang="en",
        model_max_length=max_length,
    )
    tok.save_pretrained(str(out_dir))
    loaded = MarianTokenizer.from_pretrained(str(out_dir))
    assert loaded.get_vocab() == tok.get_vocab()
    return tok


def marian_examples(rng: random.Random, sent_ids: list[list[int]], n: int, vocab_lo: int, vocab_hi: int,
                    unigram: list[int], max_len: int) -> list[tuple[list[int], list[int]]]:
    """Copy-task examples (src == tgt, both ending in eos=0)."""
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.25:  # one real sentence
            seq = list(rng.choice(sent_ids))[:max_len]
        elif r < 0.55:  # a fragment of a stream of real sentences (crosses sentence borders)
            L = rng.randint(1, max_len)
            stream = []
            while len(stream) < L + 60:
                stream += rng.choice(sent_ids)
            start = rng.randint(0, 50) if rng.random() < 0.5 else 0
            seq = stream[start:start + L]
        elif r < 0.8:  # uniform random tokens over the whole (non-special) vocabulary
            L = rng.randint(1, max_len)
            seq = [rng.randint(vocab_lo, vocab_hi) for _ in range(L)]
        else:  # random tokens with corpus frequencies
            L = rng.randint(1, max_len)
            seq = [rng.choice(unigram) for _ in range(L)]
        seq = seq + [0]
        out.append((seq, seq))
    return out


def build_marian(corpus: dict, steps: int, seed: int = 1234) -> dict:
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    print("== tiny-marian-copy ==", flush=True)
    set_seed(seed)
    if MARIAN_DIR.exists():
        shutil.rmtree(MARIAN_DIR)
    tok = build_marian_tokenizer(corpus, MARIAN_DIR)
    V = len(tok.encoder)
    pad_id, eos_id, unk_id = tok.pad_token_id, tok.eos_token_id, tok.unk_token_id
    assert (eos_id, unk_id, pad_id) == (0, 1, V - 1), (eos_id, unk_id, pad_id, V)
    for s in corpus["nl_test"][:5] + corpus["en_test"][:5] + corpus["seed_sents"][:3]:
        assert tok.decode(tok(s)["input_ids"], skip_special_tokens=True) == s, s

    cfg = MarianConfig(
        vocab_size=V,
        decoder_vocab_size=V,
        d_model=128,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=256,
        decoder_ffn_dim=256,
        max_position_embeddings=MARIAN_MAX_POS,
        activation_function="swish",
        scale_embedding=True,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=eos_id,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
    )
    model = MarianMTModel(cfg)
    warm_start_cross_attention(model.model.decoder.layers, cfg.d_model)
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad_id]],
        bos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        eos_token_id=eos_id,
        forced_eos_token_id=eos_id,
        max_length=MARIAN_MAX_POS,
        num_beams=4,
        pad_token_id=pad_id,
        renormalize_logits=True,
    )
    n_params = sum(p.numel() for p in model.parameters())
    print(f"  vocab {V}, params {n_params}", flush=True)

    sent_ids = [tok(s, add_special_tokens=False)["input_ids"]
                for s in corpus["nl_train"] + corpus["en_train"] + corpus["seed_sents"]]
    unigram = [t for s in sent_ids for t in s]
    max_len = MARIAN_MAX_POS - 2  # leave room for eos (+ decoder start on the target side)
    data_rng = random.Random(seed + 1)

    def make_batches():
        ex = marian_examples(data_rng, sent_ids, 6000, 2, V - 2, unigram, max_len)
        return token_batches(ex, budget=7000, rng=data_rng)

    train_s = train_loop(model, make_batches, steps, peak_lr=2e-3, warmup=300, pad_id=pad_id, name="marian")
    model.save_pretrained(str(MARIAN_DIR))

    # ---- evaluation on the saved artefacts ----
    tok = MarianTokenizer.from_pretrained(str(MARIAN_DIR))
    model = MarianMTModel.from_pretrained(str(MARIAN_DIR)).eval()
    ev_rng = random.Random(777)
    test = corpus["nl_test"] + corpus["en_test"]
    test_ids = [tok(s, add_special_tokens=False)["input_ids"] for s in test]
    buckets = {"1-20": (1, 20), "21-60": (21, 60), "61-120": (61, 120)}
    inputs = {b: [] for b in buckets}
    for s, ids in zip(test, test_ids):
        for b, (lo, hi) in buckets.items():
            if lo <= len(ids) <= hi:
                inputs[b].append(s)
    # longer inputs: several held-out sentences joined by spaces
    while min(len(inputs["21-60"]), len(inputs["61-120"])) < 40:
        k = ev_rng.randint(2, 6)
        s = " ".join(ev_rng.sample(test, k))
        n = len(tok(s, add_special_tokens=False)["input_ids"])
        for b, (lo, hi) in buckets.items():
            if lo <= n <= hi and len(inputs[b]) < 40:
                inputs[b].append(s)
    # short fragments: first few words of held-out sentences
    while len(inputs["1-20"]) < 40:
        words = ev_rng.choice(test).split()
        inputs["1-20"].append(" ".join(words[: ev_rng.randint(1, 6)]))
    results = {}
    t0 = time.time()
    for b, texts in inputs.items():
        texts = texts[:40]
        ok_ids = ok_txt = 0
        for i in range(0, len(texts), 8):
            chunk = texts[i:i + 8]
            enc = tok(chunk, return_tensors="pt", padding=True)
            longest = int(enc["attention_mask"].sum(1).max())
            with torch.no_grad():
                gen = model.generate(**enc, max_length=min(MARIAN_MAX_POS, int(1.5 * longest) + 11))
            for j, t in enumerate(chunk):
                want = tok(t, add_special_tokens=False)["input_ids"]
                got = [x for x in gen[j].tolist()[1:] if x not in (pad_id, eos_id)]
                ok_ids += got == want
                ok_txt += tok.decode(gen[j], skip_special_tokens=True) == t
        results[b] = {"n": len(texts), "exact_ids": ok_ids / len(texts), "exact_text": ok_txt / len(texts)}
        print(f"  held-out copy {b:>7} tokens: n={len(texts)} exact(ids)={ok_ids / len(texts):.3f} "
              f"exact(text)={ok_txt / len(texts):.3f}", flush=True)
    samples = []
    for s in corpus["seed_sents"][:3] or corpus["nl_test"][:3]:
        enc = tok([s], return_tensors="pt")
        with torch.no_grad():
            gen = model.generate(**enc)
        out = tok.decode(gen[0], skip_special_tokens=True)
        samples.append((s, out))
        print(f"  IN : {s}\n  OUT: {out}", flush=True)
    print(f"  eval took {time.time() - t0:.1f}s", flush=True)
    return {
        "dir": MARIAN_DIR, "train_s": train_s, "steps": steps, "params": n_params, "vocab": V,
        "results": results, "samples": samples, "pad": pad_id, "eos": eos_id, "unk": unk_id,
        "generation_config": model.generation_config.to_diff_dict(),
    }


# ---------------------------------------------------------------------------
# 2. tiny-bart-lead
# ---------------------------------------------------------------------------

BART_BPE_VOCAB = 1000
BART_D_MODEL = 96
BART_FFN = 192
BART_GEN_MAX_LENGTH = 64
BART_MAX_TARGET = BART_GEN_MAX_LENGTH - 2  # lead sentence + <s> + </s> must fit (decoder start adds 1)
BART_MAX_SOURCE = BART_MAX_POS - 6


def build_bart_tokenizer(corpus: dict, out_dir: Path, vocab_size: int = BART_BPE_VOCAB,
                         max_length: int = BART_MAX_POS):
    """Byte-level BPE in BART's layout; bench/run.py reuses it with a real-sized vocabulary."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import AutoTokenizer, RobertaTokenizer

    texts = corpus["en_train"] * 2 + corpus["nl_train"] + corpus["seed_lines"]
    bpe = ByteLevelBPETokenizer(add_prefix_space=False)
    bpe.train_from_iterator(texts, vocab_size=vocab_size, min_frequency=2,
                            special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"], show_progress=False)
    model_json = json.loads(bpe._tokenizer.to_str())["model"]
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model_json["merges"]]
    # In transformers 5.x BartTokenizer/BartTokenizerFast are aliases of this byte-level BPE class.
    tok = RobertaTokenizer(vocab=model_json["vocab"], merges=merges, model_max_length=max_length)
    out_dir.mkdir(parents=True, exist_ok=True)
    tok.save_pretrained(str(out_dir))
    loaded = AutoTokenizer.from_pretrained(str(out_dir))
    assert loaded.get_vocab() == tok.get_vocab()
    return tok


def pseudo_sentence(rng: random.Random, words: list[str]) -> str:
    """A 'sentence' of random corpus words -- teaches copying of arbitrary word sequences."""
    ws = [rng.choice(words) for _ in range(rng.randint(2, 22))]
    for i in range(1, len(ws) - 1):
        if rng.random() < 0.08:
            ws[i] += ","
    s = " ".join(ws)
    return s[0].upper() + s[1:] + rng.choice([".", ".", ".", ".", "!", "?"])


def build_bart(corpus: dict, steps: int, seed: int = 4321) -> dict:
    from transformers import AutoTokenizer, BartConfig, BartForConditionalGeneration, GenerationConfig

    print("== tiny-bart-lead ==", flush=True)
    set_seed(seed)
    if BART_DIR.exists():
        shutil.rmtree(BART_DIR)
    tok = build_bart_tokenizer(corpus, BART_DIR)
    V = len(tok.get_vocab())
    bos_id, pad_id, eos_id = tok.bos_token_id, tok.pad_token_id, tok.eos_token_id
    unk_id, mask_id = tok.unk_token_id, tok.mask_token_id
    assert (bos_id, pad_id, eos_id, unk_id, mask_id) == (0, 1, 2, 3, 4)

    d = BART_D_MODEL
    cfg = BartConfig(
        vocab_size=V,
        d_model=d,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=BART_FFN,
        decoder_ffn_dim=BART_FFN,
        max_position_embeddings=BART_MAX_POS,
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        scale_embedding=False,
        pad_token_id=pad_id,
        bos_token_id=bos_id,
        eos_token_id=eos_id,
        decoder_start_token_id=eos_id,
        forced_eos_token_id=eos_id,
        tie_word_embeddings=True,
        # Legacy keys that the real distilbart-cnn config.json still carries; transformers 5 ignores them,
        # but CTranslate2's converter reads `normalize_before` and fails without it.
        normalize_before=False,
        add_final_layer_norm=False,
        normalize_embedding=True,
    )
    model = BartForConditionalGeneration(cfg)
    # Warm start: encoder and decoder learned positions start from the same (small) sinusoid table so
    # the identity-initialised cross-attention begins aligned (decoder step t <-> source token t).
    table = sinusoid_table(BART_MAX_POS, d) * 0.1
    with torch.no_grad():
        for emb in (model.model.encoder.embed_positions, model.model.decoder.embed_positions):
            emb.weight.zero_()
            emb.weight[2:2 + BART_MAX_POS].copy_(table)  # BART's learned positions are offset by 2
    warm_start_cross_attention(model.model.decoder.layers, d)
    model.generation_config = GenerationConfig(
        bos_token_id=bos_id,
        decoder_start_token_id=eos_id,
        early_stopping=True,
        eos_token_id=eos_id,
        forced_bos_token_id=bos_id,
        forced_eos_token_id=eos_id,
        length_penalty=1.0,
        max_length=BART_GEN_MAX_LENGTH,
        min_length=0,
        no_repeat_ngram_size=0,
        num_beams=4,
        pad_token_id=pad_id,
    )
    n_params = sum(p.numel() for p in model.parameters())
    print(f"  vocab {V}, params {n_params}", flush=True)

    def ids(text: str) -> list[int]:
        return tok(text, add_special_tokens=False)["input_ids"]

    nl_ids = tok("\n", add_special_tokens=False)["input_ids"]
    pool = corpus["en_train"] * 3 + corpus["nl_train"] + corpus["seed_sents"] * 3
    words = sorted({w for s in pool for w in s.split()})
    data_rng = random.Random(seed + 1)
    cache: dict[str, tuple[list[int], list[int]]] = {}

    def encode_sent(s: str) -> tuple[list[int], list[int]]:
        if s not in cache:
            cache[s] = (ids(s), ids(" " + s))
        return cache[s]

    # Token-level random "sentences": uniform over ordinary vocabulary items, so that copying does not
    # depend on having seen a token in context.  Their bodies never contain sentence-final punctuation.
    vocab_items = sorted(tok.get_vocab().items(), key=lambda kv: kv[1])
    body_ids = [i for t, i in vocab_items if i > mask_id and not re.search(r"[.!?\u010a]", t)]
    glued_ids = [i for i in body_ids if not tok.convert_ids_to_tokens(i).startswith("\u0120")]
    dot_id = tok.convert_tokens_to_ids(".")
    space_id = tok.convert_tokens_to_ids("\u0120")  # byte-level BPE's lone space

    def pick(rng: random.Random, sents_src, pseudo: float, rand_tok: float):
        """-> (ids at document start, ids after a space, text or None)"""
        r = rng.random()
        if r < rand_tok:
            body = []
            for _ in range(rng.randint(1, 30)):
                if body and rng.random() < 0.06:  # a '.' glued to the next token ("15.7", "a.m") is no end
                    body += [dot_id, rng.choice(glued_ids)]
                body.append(rng.choice(body_ids))
            body.append(dot_id)
            return body, [space_id] + body, None
        text = pseudo_sentence(rng, words) if r < rand_tok + pseudo else rng.choice(sents_src)
        return (*encode_sent(text), text)

    def make_doc(rng: random.Random, sents_src, n_max: int, pseudo: float, rand_tok: float):
        first = pick(rng, sents_src, pseudo, rand_tok)
        while len(first[0]) > BART_MAX_TARGET - 2:
            first = pick(rng, sents_src, pseudo, rand_tok)
        src, text = list(first[0]), first[2]
        for _ in range(rng.randint(1, n_max) - 1):
            nxt = pick(rng, sents_src, pseudo, rand_tok)
            sep_nl = rng.random() < 0.15
            add = (nl_ids + nxt[0]) if sep_nl else nxt[1]
            if len(src) + len(add) > BART_MAX_SOURCE - 2:
                break
            src += add
            text = None if text is None or nxt[2] is None else text + ("\n" if sep_nl else " ") + nxt[2]
        return text, first[2], [bos_id] + src + [eos_id], [bos_id] + first[0] + [eos_id]

    # sanity: token-level concatenation == tokenizing the joined text
    chk = random.Random(5)
    for _ in range(50):
        text, _, src, _ = make_doc(chk, pool, 10, 0.3, 0.0)
        assert tok(text)["input_ids"] == src, text

    def make_batches():
        ex = []
        for _ in range(4000):
            _, _, src, tgt = make_doc(data_rng, pool, 10, 0.2, 0.2)
            ex.append((src, tgt))
        return token_batches(ex, budget=7000, rng=data_rng)

    train_s = train_loop(model, make_batches, steps, peak_lr=2e-3, warmup=200, pad_id=pad_id, name="bart")
    model.save_pretrained(str(BART_DIR))

    # ---- evaluation on the saved artefacts ----
    tok = AutoTokenizer.from_pretrained(str(BART_DIR))
    model = BartForConditionalGeneration.from_pretrained(str(BART_DIR)).eval()
    ev_rng = random.Random(888)
    test = corpus["en_test"] + corpus["nl_test"][:40]
    docs = [make_doc(ev_rng, test, 10, 0.0, 0.0)[:2] for _ in range(120)]
    docs.append((corpus["seed_text"].strip(), corpus["seed_sents"][0] if corpus["seed_sents"] else ""))
    ok = 0
    by_k: dict[str, list[int]] = {}
    t0 = time.time()
    samples, failures = [], []
    for i in range(0, len(docs), 8):
        chunk = docs[i:i + 8]
        enc = tok([t for t, _ in chunk], return_tensors="pt", padding=True, truncation=True)
        with torch.no_grad():
            gen = model.generate(**enc)
        for j, (text, lead) in enumerate(chunk):
            out = tok.decode(gen[j], skip_special_tokens=True).strip()
            hit = out == lead
            ok += hit
            n_sent = len(split_sentences(text))
            key = "1" if n_sent == 1 else "2-4" if n_sent <= 4 else "5+"
            by_k.setdefault(key, [0, 0])
            by_k[key][0] += 1
            by_k[key][1] += hit
            if i + j in (0, 1, len(docs) - 1):
                samples.append((text, out))
            if not hit and len(failures) < 3:
                failures.append((lead, out))
    acc = ok / len(docs)
    print(f"  held-out lead-sentence exact match: {ok}/{len(docs)} = {acc:.3f} "
          + " ".join(f"[{k} sents: {v[1]}/{v[0]}]" for k, v in sorted(by_k.items())), flush=True)
    for text, out in samples:
        print(f"  IN : {text[:160]!r}...\n  OUT: {out!r}", flush=True)
    for lead, out in failures:
        print(f"  MISS want {lead!r}\n       got  {out!r}", flush=True)
    print(f"  eval took {time.time() - t0:.1f}s", flush=True)
    return {
        "dir": BART_DIR, "train_s": train_s, "steps": steps, "params": n_params, "vocab": V,
        "acc": acc, "n": len(docs), "by_k": by_k, "samples": samples,
        "ids": {"bos": bos_id, "pad": pad_id, "eos": eos_id, "unk": unk_id, "mask": mask_id},
        "generation_config": model.generation_config.to_diff_dict(),
    }


# ---------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["marian", "bart"])
    ap.add_argument("--marian-steps", type=int, default=1000)
    ap.add_argument("--bart-steps", type=int, default=1200)
    ap.add_argument("--threads", type=int, default=2, help="torch threads (the reference build uses 2)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    t0 = time.time()
    corpus = build_corpus()
    print(f"corpus: nl {len(corpus['nl_train'])}/{len(corpus['nl_test'])}, en {len(corpus['en_train'])}/"
          f"{len(corpus['en_test'])}, seed sentences {len(corpus['seed_sents'])}", flush=True)
    reports = {}
    if args.only in (None, "marian"):
        reports["marian"] = build_marian(corpus, args.marian_steps)
    if args.only in (None, "bart"):
        reports["bart"] = build_bart(corpus, args.bart_steps)
    total_s = time.time() - t0
    print(f"total time {total_s:.1f}s")
    summarize(reports, total_s, args.threads)


def _fmt_files(path: Path) -> str:
    return ", ".join(f"{p.name} ({p.stat().st_size / 1024:.0f} KB)" for p in sorted(path.iterdir()) if p.is_file())


def summarize(reports: dict, total_s: float, threads: int) -> None:
    print("\n== summary ==")
    for name, r in reports.items():
        print(f"{r['dir'].relative_to(REPO)}: {dir_size(r['dir']) / 1e6:.2f} MB, {r['params']} params, "
              f"vocab {r['vocab']}, {r['steps']} steps in {r['train_s']:.0f}s")
        print(f"  files: {_fmt_files(r['dir'])}")
        print(f"  generation_config: {json.dumps(r['generation_config'], sort_keys=True)}")
    if set(reports) != {"marian", "bart"}:
        print("(README.md not rewritten: it describes both models, build both to refresh it)")
        return
    m, b = reports["marian"], reports["bart"]
    total_mb = sum(dir_size(r["dir"]) for r in reports.values()) / 1e6
    mres = "\n".join(f"| {k} tokens | {v['n']} | {v['exact_ids']:.0%} | {v['exact_text']:.0%} |"
                     for k, v in m["results"].items())
    bres = ", ".join(f"{k} sentence(s): {v[1]}/{v[0]}" for k, v in sorted(b["by_k"].items()))
    mgc = json.dumps({k: v for k, v in sorted(m["generation_config"].items()) if k != "transformers_version"})
    bgc = json.dumps({k: v for k, v in sorted(b["generation_config"].items()) if k != "transformers_version"})
    readme = f"""# Test fixtures: tiny trained seq2seq models

Real opus-mt / distilbart weights are not reachable offline, and random weights
produce gibberish, so `scripts/build_fixtures.py` trains two tiny models on
trivial tasks.  Tests can then run the real tokenizer -> `model.generate()` ->
decode path and assert on the output text.  Rebuild (fixed seeds; the last
build took {total_s / 60:.1f} min with {threads} CPU threads, on a machine shared with other jobs) with:

    python scripts/build_fixtures.py

Total size: {total_mb:.1f} MB.  Load with `from_pretrained(folder)`; works with `HF_HUB_OFFLINE=1`.

## tiny-marian-copy ({dir_size(m['dir']) / 1e6:.1f} MB)

`MarianMTModel` + `MarianTokenizer` that **copies its input** (identity
"translator"; use it as nl->en and en->nl).  d_model 128, 2+2 layers, 4 heads,
ffn 256, tied embeddings, **max_position_embeddings = 128** (tokenizer
`model_max_length` 128).  Inputs longer than 128 tokens raise `IndexError`
in `generate()`, so callers must split/truncate.  Shared sentencepiece unigram
model (source.spm == target.spm, {m['vocab'] - 1} pieces, byte fallback, identity
normalisation) trained on generated Dutch/English news sentences + the seed
article.  Ids: `</s>`={m['eos']} (eos), `<unk>`={m['unk']}, `<pad>`={m['pad']}
(pad and decoder start).

generation_config: `{mgc}`

Held-out exact-copy accuracy (beam search with this generation_config):

| input length | n | exact ids | exact text |
|---|---|---|---|
{mres}

## tiny-bart-lead ({dir_size(b['dir']) / 1e6:.1f} MB)

`BartForConditionalGeneration` + byte-level BPE tokenizer (`AutoTokenizer`
gives `RobertaTokenizer`, which is what `BartTokenizer(Fast)` aliases in
transformers 5) that outputs the **lead (first) sentence** of its input
(English or Dutch).  d_model 96, 2+2 layers, 4 heads, ffn 192,
**max_position_embeddings = 256** (tokenizer `model_max_length` 256), vocab
{b['vocab']}.  Ids: `<s>`={b['ids']['bos']}, `<pad>`={b['ids']['pad']}, `</s>`={b['ids']['eos']},
`<unk>`={b['ids']['unk']}, `<mask>`={b['ids']['mask']}.  Lead sentences longer than ~60 tokens are cut
by `max_length` 64.  `no_repeat_ngram_size` is 0 because the model is a copier:
blocking repeated 3-grams would corrupt faithful copies (e.g. "1.000.000").
config.json also carries distilbart's legacy `normalize_before`,
`add_final_layer_norm` and `normalize_embedding` keys: transformers 5 ignores
them, but CTranslate2's converter needs `normalize_before`.

generation_config: `{bgc}`

Held-out lead-sentence exact match: {b['acc']:.1%} of {b['n']} documents ({bres}).
"""
    (FIXTURES / "README.md").write_text(readme, encoding="utf-8")
    print(f"wrote {(FIXTURES / 'README.md').relative_to(REPO)}")


if __name__ == "__main__":
    main()
