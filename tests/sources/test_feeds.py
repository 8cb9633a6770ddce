"""RSS and Atom feeds from the local test site: entries, full text or the linked page, and only news each night."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from tests.httpserver import WEB
from translate_summarize.data import BlockKind
from translate_summarize.errors import ConfigError, InputError
from translate_summarize.sources import FeedState, feed_items, parse_since, read_feed
from translate_summarize.sources.fetch import Fetcher, FetchSettings
from translate_summarize.text.language import decide_language

RSS = "/feeds/rss.xml"
ATOM = "/feeds/atom.xml"


@pytest.fixture
def fetcher(tmp_path):
    with Fetcher(FetchSettings(timeout=2, retries=0, cache_dir=tmp_path / "pages", allow_private_addresses=True)) as fetch:
        yield fetch


@pytest.fixture
def state(tmp_path):
    return FeedState(tmp_path / "out" / ".brief")


def served(web_site, path: str) -> bytes:
    return web_site.body(path, path.rsplit("/", 1)[1])


def brief_all(items, state) -> list:
    """What a run does: brief each item (here: nothing), mark it, save the state."""
    items = list(items)
    for item in items:
        if item.error is None:
            state.mark_item(item)
    state.save()
    return items


def test_rss_entries(web_site):
    feed = read_feed(served(web_site, RSS), web_site.url(RSS))
    assert feed.title == "De Noorderbode - Groningen" and feed.link == "https://www.noorderbode.example/groningen"
    first, second = feed.entries
    assert first.key == first.id == "noorderbode-2026-11-28-fietsenstalling"
    assert first.link == web_site.url("/pages/fietsenstalling.html")
    assert first.published == datetime(2026, 11, 28, 6, 15, tzinfo=UTC)
    assert first.author == "Sanne de Vries" and first.index == 1
    assert first.content and "<h2>Zorgen over de kosten</h2>" in first.content
    assert first.summary == "Onder het hoofdstation komt plaats voor 8.500 fietsen."
    assert second.title == "Nieuwe busbaan langs de Ring Zuid is klaar" and second.content


def test_atom_entries_with_summaries_only(web_site):
    feed = read_feed(served(web_site, ATOM), web_site.url(ATOM))
    assert feed.title == "Het Stadsblad"
    first, second = feed.entries
    assert first.key == "urn:stadsblad:artikel:88213" and first.author == "Ahmed El Amrani"
    assert first.published == datetime(2026, 11, 29, 17, 40, tzinfo=UTC)  # 18:40+01:00
    assert first.content is None and second.content is None  # a summary, and a teaser <content>, are not the article
    assert second.link == web_site.url("/last-modified/fietsenstalling.html")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("geen-artikel.html", "is not an RSS or Atom feed (it is an HTML page)"),
        ("not-a-feed.json", "is not an RSS or Atom feed ("),
    ],
)
def test_not_a_feed(name, reason):
    with pytest.raises(InputError) as caught:
        read_feed((WEB / name).read_bytes(), f"https://x.example/{name}")
    message = str(caught.value)
    assert message.startswith(f"https://x.example/{name}: {reason}") and "\n" not in message


def test_broken_xml_is_not_a_feed():
    with pytest.raises(InputError, match=r"^feed\.xml: is not an RSS or Atom feed \(.+\)$"):
        read_feed(b"<?xml version='1.0'?>\n<rss><channel><title>Kapot", "feed.xml")


def test_full_text_from_the_feed_without_fetching_the_page(web_site, fetcher, state):
    items = list(feed_items(web_site.url(RSS), fetcher, state))
    assert [item.status for item in items] == ["new", "new"] and all(item.error is None for item in items)
    first = items[0]
    assert first.name == web_site.url("/pages/fietsenstalling.html")
    assert first.key == "noorderbode-2026-11-28-fietsenstalling"
    kinds = [block.kind for block in first.text.page.blocks]
    assert kinds[0] is BlockKind.TITLE and kinds.count(BlockKind.SUBHEADING) == 1
    assert first.text.page.title == "Groningen bouwt grootste fietsenstalling van het Noorden onder het station"
    assert "Zorgen over de kosten" in first.text.text and first.text.markup == "feed entry"
    for clutter in ("Lees ook", "fietsendieven", "trackView", "impressie"):
        assert clutter not in first.text.text
    source = first.text.source
    assert (source.outlet, source.author, source.published) == (
        "De Noorderbode - Groningen",
        "Sanne de Vries",
        "2026-11-28T06:15:00+00:00",
    )
    assert source.url == first.name
    assert web_site.hits("/pages/fietsenstalling.html") == 0


def test_each_night_only_new_and_changed_items(web_site, fetcher, state, tmp_path):
    url = web_site.url(RSS)
    assert len(brief_all(feed_items(url, fetcher, state), state)) == 2
    # The next night: nothing new, nothing briefed (a fresh state object reads the saved file).
    state = FeedState(tmp_path / "out" / ".brief")
    assert brief_all(feed_items(url, fetcher, state), state) == []
    assert [item.status for item in feed_items(url, fetcher, state, include_unchanged=True)] == ["unchanged"] * 2
    # A night later the feed has a new item on top, and the bus lane article was corrected.
    web_site.files[RSS] = "rss-next.xml"
    items = brief_all(feed_items(url, fetcher, FeedState(tmp_path / "out" / ".brief")), state)
    assert [(item.key, item.status) for item in items] == [
        ("noorderbode-2026-11-30-schouwburg", "new"),
        ("noorderbode-2026-09-14-busbaan", "changed"),
    ]
    assert "15 miljoen euro" in items[1].text.text


def test_summary_feeds_fetch_the_linked_pages_conditionally(web_site, tmp_path):
    url = web_site.url(ATOM)
    settings = FetchSettings(timeout=2, retries=0, cache_dir=tmp_path / "pages", allow_private_addresses=True)
    state = FeedState(tmp_path / ".brief")
    with Fetcher(settings) as fetcher:
        items = brief_all(feed_items(url, fetcher, state), state)
    assert [item.error for item in items] == [None, None]
    woningbouw, stalling = items
    assert woningbouw.text.markup == "web page" and "Wat verandert er voor gemeenten?" in woningbouw.text.text
    assert "Eerst zien" not in woningbouw.text.text and "Lees ook" not in woningbouw.text.text
    assert woningbouw.text.source.url == "https://stadsblad.example/nieuws/binnenland/kabinet-woningen-starters"
    assert woningbouw.text.source.outlet == "Het Stadsblad"  # the feed's title
    assert woningbouw.text.source.published == "2026-11-29T18:40:00+01:00"  # the entry's time, in its own offset
    assert stalling.text.source.author == "Sanne de Vries"  # the entry has none: the page's
    # The next run: the feed says nothing new of either entry, so neither page is fetched again.
    with Fetcher(settings) as fetcher:
        assert list(feed_items(url, fetcher, FeedState(tmp_path / ".brief"))) == []
    assert web_site.hits("/etag/woningbouw.html") == 1 and web_site.hits("/last-modified/fietsenstalling.html") == 1
    # Asked for all the same (as --force does): conditionally, each answered 304 Not Modified.
    with Fetcher(settings) as fetcher:
        again = list(feed_items(url, fetcher, FeedState(tmp_path / ".brief"), include_unchanged=True))
    assert [item.status for item in again] == ["unchanged", "unchanged"]
    assert web_site.headers_of("/etag/woningbouw.html")[1]["If-None-Match"]
    assert web_site.headers_of("/last-modified/fietsenstalling.html")[1]["If-Modified-Since"]


def test_since_limits_the_first_run_and_is_remembered(web_site, fetcher, tmp_path):
    url = web_site.url(RSS)
    state = FeedState(tmp_path / ".brief")
    since = parse_since("2026-11-01")
    items = brief_all(feed_items(url, fetcher, state, since=since), state)
    assert [item.key for item in items] == ["noorderbode-2026-11-28-fietsenstalling"]
    state = FeedState(tmp_path / ".brief")
    assert state.knows(url, "noorderbode-2026-09-14-busbaan")
    # A later run without --since does not brief the old entry either, nor fetch anything for it.
    requests = len(web_site.requests)
    assert list(feed_items(url, fetcher, state)) == []
    assert list(feed_items(url, fetcher, state, since=since)) == []
    assert [path for path, _ in web_site.requests[requests:]] == [RSS, RSS]  # the feed, twice; no page


def test_bad_entries_are_one_line_each_and_the_others_still_come(web_site, fetcher, state):
    url = web_site.url("/feeds/feed-problems.xml")
    items = list(feed_items(url, fetcher, state))
    errors = [str(item.error) if item.error else None for item in items]
    assert errors[:3] == [
        f'{url}: entry 1 ("Item zonder link") has no link and no full text',
        f"{web_site.url('/missing')}: HTTP 404 Not Found",
        f"{web_site.url('/pages/geen-artikel.html')}: has no article text that could be extracted",
    ]
    assert errors[3:] == [None, None, f"{web_site.url('/broken')}: HTTP 500 Internal Server Error"]
    assert [item.error.transient for item in items if item.error] == [False, False, False, True]
    pages = ("/missing", "/pages/geen-artikel.html", "/pages/duits.html", "/pages/woningbouw.html", "/broken")
    assert [item.name for item in items][1:] == [web_site.url(path) for path in pages]
    german = items[3]
    with pytest.raises(InputError, match=r"looks like German"):
        decide_language(german.text.text, german.name)
    assert items[4].text.source.outlet == "Probleemfeed"


def test_a_feed_that_cannot_be_had_fails_at_once(web_site, fetcher, state):
    cases = [("/missing", "HTTP 404 Not Found"), ("/pages/geen-artikel.html", "is not an RSS or Atom feed")]
    for path, reason in cases:
        with pytest.raises(InputError) as caught:
            feed_items(web_site.url(path), fetcher, state)
        assert str(caught.value).startswith(f"{web_site.url(path)}: {reason}")


def test_a_feed_file(tmp_path, state):
    path = tmp_path / "rss.xml"
    path.write_bytes((WEB / "rss.xml").read_bytes())
    items = list(feed_items(str(path), None, state))  # full text in the feed: no fetcher needed
    assert len(items) == 2 and items[0].feed == str(path)
    with pytest.raises(InputError, match=r"rss-missing\.xml: no such file$"):
        feed_items(str(tmp_path / "rss-missing.xml"), None, state)


def test_parse_since_is_local_time_unless_an_offset_is_given(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    try:
        assert parse_since("2026-11-28") == datetime(2026, 11, 27, 23, tzinfo=UTC)  # midnight in Amsterdam
        assert parse_since("2026-11-28T06:00") == datetime(2026, 11, 28, 5, tzinfo=UTC)
        assert parse_since("2026-11-28T06:00+00:00") == datetime(2026, 11, 28, 6, tzinfo=UTC)
    finally:
        monkeypatch.undo()
        time.tzset()
    with pytest.raises(ConfigError, match=r"^--since gisteren: expected a date"):
        parse_since("gisteren")


def test_an_entry_keeps_its_own_offset_so_it_stays_on_its_day(tmp_path):
    item = "<item><title>Nachtelijk nieuws</title><link>https://x.example/a</link><pubDate>Sat, 28 Nov 2026 00:30:00 +0100</pubDate></item>"
    feed = read_feed(f'<rss version="2.0"><channel><title>T</title>{item}</channel></rss>'.encode(), "feed.xml")
    assert feed.entries[0].published.isoformat() == "2026-11-28T00:30:00+01:00"


def test_titles_and_names_are_text_not_html():
    item = (
        "<item><title>AT&amp;amp;T &amp;quot;koopt&amp;quot; &lt;b&gt;KPN&lt;/b&gt;</title>"
        "<link>https://x.example/a</link><author>jan@x.example (Jan Jansen)</author></item>"
    )
    feed = read_feed(f'<rss version="2.0"><channel><title>A &amp;amp; B</title>{item}</channel></rss>'.encode(), "feed.xml")
    assert feed.title == "A & B"
    assert (feed.entries[0].title, feed.entries[0].author) == ('AT&T "koopt" KPN', "Jan Jansen")


def test_entries_that_share_an_id_are_told_apart_by_their_link():
    items = "".join(
        f"<item><guid isPermaLink='false'>dup</guid><title>{n}</title><link>https://x.example/{n}</link></item>" for n in "aab"
    )
    feed = read_feed(f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode(), "feed.xml")
    assert [entry.key for entry in feed.entries] == ["dup", "dup https://x.example/b"]  # the second /a is the same entry


def test_an_empty_feed_is_a_feed_whatever_the_server_says(web_site, fetcher, state, tmp_path):
    empty = '<?xml version="1.0"?><rss version="2.0"><channel><title>Stil</title></channel></rss>'
    assert read_feed(empty.encode(), "https://x.example/rss", charset="utf-8").entries == ()
    assert list(feed_items(web_site.url("/feeds/empty.xml"), fetcher, state)) == []  # over HTTP too


def test_entries_left_out_by_since_are_never_fetched_on_later_nights(web_site, fetcher, tmp_path):
    url, since = web_site.url(ATOM), parse_since("2026-11-29T00:00+01:00")
    for night in range(3):  # the same --since every night, as a cron line has it
        state = FeedState(tmp_path / ".brief")
        brief_all(feed_items(url, fetcher, state, since=since), state)
    assert web_site.hits("/last-modified/fietsenstalling.html") == 0  # published on the 28th: left out
    assert web_site.hits("/etag/woningbouw.html") == 1  # briefed the first night, unchanged since


def test_a_long_description_is_the_text_of_an_entry_without_a_link():
    article = "De gemeenteraad heeft dinsdagavond ingestemd met het plan voor nieuwe woningen in de wijk. " * 8
    items = (
        f"<item><guid isPermaLink='false'>a</guid><title>Zonder link</title><description>{article}</description></item>"
        f"<item><title>Met link</title><link>https://x.example/b</link><description>{article}</description></item>"
        "<item><guid isPermaLink='false'>c</guid><title>Kort</title><description>Alleen een teaser.</description></item>"
    )
    feed = read_feed(f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode(), "feed.xml")
    assert [bool(entry.content) for entry in feed.entries] == [True, False, False]  # a linked entry's page is the article


def test_an_atom_entry_without_a_link_has_no_link_not_its_id():
    entry = "<entry><id>urn:regio:2</id><title>Zonder link</title><updated>2026-11-30T10:00:00Z</updated><summary>Kort.</summary></entry>"
    atom = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:regio</id>{entry}</feed>'
    [only] = read_feed(atom.encode(), "feed.xml").entries
    assert only.link is None and only.key == "urn:regio:2"
