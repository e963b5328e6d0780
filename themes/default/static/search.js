/* Briefing search: finds briefings on the home page by words.
   The index comes from search-index.js (window.briefingSearchIndex), a plain script,
   so it works from file:// and under a strict Content-Security-Policy (no inline code).
   Every query word must start a word of a briefing's title, tags, lead, key facts or
   outlets; accents and case are ignored.  The home page may be one page of several:
   a query lists the matches of every briefing, as cards made from the index (the
   page's own cards where it has them), and hides the links to the other pages. */
(function () {
  "use strict";

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function matches(entryWords, queryWords) {
    return queryWords.every(function (query) {
      return entryWords.some(function (word) { return word.indexOf(query) === 0; });
    });
  }

  /* An element with a class and text (text is set as text: never parsed as HTML). */
  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  function link(href, className, text) {
    var made = element("a", className, text);
    made.setAttribute("href", href);
    return made;
  }

  /* The card the home page shows for a briefing (themes/default/_macros.html, card). */
  function card(entry, root) {
    var item = element("li", "card");
    item.setAttribute("data-slug", entry.slug);
    var article = item.appendChild(element("article"));
    var title = article.appendChild(element("h2", "card__title"));
    title.appendChild(link(root + entry.url, "", entry.title));
    var meta = article.appendChild(element("p", "meta"));
    if (entry.date_human || entry.date) {
      var when = meta.appendChild(element("span"));
      var dated = entry.date && entry.date.indexOf("--") !== 0;
      var time = when.appendChild(element(dated ? "time" : "span", "", entry.date_human || entry.date));
      if (dated) { time.setAttribute("datetime", entry.date); }
      meta.appendChild(document.createTextNode(" "));
    }
    meta.appendChild(element("span", "", entry.sources + (entry.sources === 1 ? " source" : " sources")));
    if (entry.lead) { article.appendChild(element("p", "card__lead", entry.lead)); }
    if (entry.tags.length) {
      var tags = article.appendChild(element("ul", "tags"));
      tags.setAttribute("aria-label", "Topics");
      entry.tags.forEach(function (name, number) {
        var url = (entry.tag_urls || [])[number];
        tags.appendChild(element("li")).appendChild(url ? link(root + url, "tag", name) : element("span", "tag", name));
      });
    }
    return item;
  }

  function setup() {
    var index = window.briefingSearchIndex;
    var input = document.querySelector("[data-search-input]");
    var form = document.querySelector("[data-search-form]");
    var list = document.querySelector("[data-search-results]");
    var status = document.querySelector("[data-search-status]");
    var pager = document.querySelector(".pager");
    if (!Array.isArray(index) || !input || !form || !list) {
      return;
    }
    var root = list.getAttribute("data-root") || "";
    var pageCards = Array.prototype.slice.call(list.querySelectorAll("[data-slug]"));
    var ownCard = {};
    pageCards.forEach(function (made) { ownCard[made.getAttribute("data-slug")] = made; });
    var entryWords = index.map(function (entry) {
      return words([entry.title, entry.tags.join(" "), entry.text].join(" "));
    });

    function show(cards) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      cards.forEach(function (made) { list.appendChild(made); });
    }

    function apply() {
      var query = words(input.value);
      if (pager) { pager.hidden = query.length !== 0; }
      if (query.length === 0) {
        show(pageCards);
        if (status) { status.textContent = ""; }
        return;
      }
      var found = [];
      index.forEach(function (entry, number) {
        if (matches(entryWords[number], query)) {
          found.push(ownCard[entry.slug] || card(entry, root));
        }
      });
      show(found);
      if (status) {
        status.textContent = found.length + " of " + index.length +
          " briefings match \u201c" + input.value.trim() + "\u201d";
      }
    }

    var params = new URLSearchParams(window.location.search);
    if (params.get("q")) {
      input.value = params.get("q");
    }
    input.addEventListener("input", apply);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
