/* Briefing search: filters the list of briefings on the home page by words.
   The index comes from search-index.js (window.briefingSearchIndex), a plain script,
   so it works from file:// and under a strict Content-Security-Policy (no inline code).
   Every query word must start a word of a briefing's title, tags, lead, key facts or
   outlets; accents and case are ignored. */
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

  function setup() {
    var index = window.briefingSearchIndex;
    var input = document.querySelector("[data-search-input]");
    var form = document.querySelector("[data-search-form]");
    var list = document.querySelector("[data-search-results]");
    var status = document.querySelector("[data-search-status]");
    if (!Array.isArray(index) || !input || !form || !list) {
      return;
    }
    var wordsBySlug = {};
    index.forEach(function (entry) {
      wordsBySlug[entry.slug] = words([entry.title, entry.tags.join(" "), entry.text].join(" "));
    });
    var cards = Array.prototype.slice.call(list.querySelectorAll("[data-slug]"));

    function apply() {
      var query = words(input.value);
      var shown = 0;
      cards.forEach(function (card) {
        var entryWords = wordsBySlug[card.getAttribute("data-slug")] || [];
        var visible = query.length === 0 || matches(entryWords, query);
        card.hidden = !visible;
        shown += visible ? 1 : 0;
      });
      if (status) {
        status.textContent = query.length === 0 ? "" :
          shown + " of " + cards.length + " briefings match \u201c" + input.value.trim() + "\u201d";
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
