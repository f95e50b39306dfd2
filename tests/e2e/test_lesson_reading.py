"""Every lesson of every course reads on a phone: at 390 px the page never scrolls sideways, every image
loads and every link inside the lesson text leads to a page that answers 200.

One signed-in page walks the whole catalogue (the course list comes from the catalogue with ?all=1, the
lessons from each course page). Marking lessons complete is blocked, so the walk changes nothing that
other browser tests rely on."""
import re

from tests.e2e.conftest import PHONE, assert_no_horizontal_scroll, new_page, sign_in

LESSON_CHECK = """() => {
  const body = document.querySelector('.lesson-body');
  return {
    brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    brokenLinks: body ? [...body.querySelectorAll('.broken-link')].map(e => e.textContent.trim()) : ['no .lesson-body'],
    links: body ? [...body.querySelectorAll('a[href]')].map(a => a.getAttribute('href')) : [],
  };
}"""


def test_every_lesson_reads_on_a_phone(browser, live_server):
    page = new_page(browser, PHONE)
    try:
        # Reading to the end would complete the lesson for the demo trainee: keep this walk read-only.
        page.route(re.compile(r"/lessons/[^/]+/(complete|beat)$"), lambda route: route.abort())
        sign_in(page, live_server, "trainee")
        page.goto(f"{live_server}/courses/?all=1")
        courses = sorted({href for href in page.eval_on_selector_all("a[href^='/courses/']", "els => els.map(e => e.getAttribute('href'))")
                          if re.fullmatch(r"/courses/[a-z0-9-]+", href)})
        assert len(courses) >= 13, courses

        problems, lessons, checked_links = [], 0, {}
        for course in courses:
            page.goto(live_server + course)
            hrefs = page.eval_on_selector_all(".lesson-list a[href*='/lessons/']", "els => els.map(e => e.getAttribute('href'))")
            assert hrefs, f"{course} lists no lessons"
            for href in hrefs:
                response = page.goto(live_server + href)
                lessons += 1
                if response.status != 200:
                    problems.append(f"{href}: HTTP {response.status}")
                    continue
                try:
                    assert_no_horizontal_scroll(page)
                except AssertionError as error:
                    problems.append(f"{href}: {error}")
                found = page.evaluate(LESSON_CHECK)
                problems += [f"{href}: image does not load: {src}" for src in found["brokenImages"]]
                problems += [f"{href}: broken lesson link: {text}" for text in found["brokenLinks"]]
                for link in found["links"]:
                    target = link.split("#")[0]
                    if not target.startswith("/"):
                        continue  # footnote anchors and outside addresses
                    if target not in checked_links:
                        checked_links[target] = page.request.get(live_server + target).status
                    if checked_links[target] != 200:
                        problems.append(f"{href}: link {link} answers {checked_links[target]}")
        assert lessons >= 50, f"only {lessons} lessons found"
        assert not problems, "\n".join(problems)
    finally:
        page.context.close()
