/* The header's search box (generator/search/ writes the index; the markup is
   site_templates/overrides/partials/sc-search.html).

   Nothing is loaded until a reader opens the box: then Pagefind's script and the index of the
   page's own language (it follows <html lang>) are fetched from this site. Results show the
   page's title, kind, district and year and an excerpt; filters (kind, district, year, case
   type) load when the reader opens them. Keys: "/" or "s" opens, Esc closes, arrow keys move
   through the results, Enter opens one. */
(() => {
  "use strict";
  const root = document.querySelector("[data-sc-search]");
  if (!root || typeof HTMLDialogElement === "undefined") return;

  const dialog = root.querySelector("dialog");
  const openButton = root.querySelector(".sc-search__open");
  const form = root.querySelector(".sc-search__form");
  const input = root.querySelector(".sc-search__input");
  const status = root.querySelector(".sc-search__status");
  const list = root.querySelector(".sc-search__results");
  const more = root.querySelector(".sc-search__more");
  const filterBox = root.querySelector(".sc-search__filters");
  const selects = [...root.querySelectorAll("select[data-filter]")];
  const labels = JSON.parse(root.querySelector(".sc-search__labels").textContent);
  const bundle = new URL(root.dataset.bundle, location.href).href;
  const siteRoot = new URL(root.dataset.root, location.href);
  const PAGE = 8;
  const KIND_ORDER = ["search_kind_glossary", "search_kind_case", "search_kind_site", "search_kind_milestone", "search_kind_exhibition", "search_kind_page"].map((k) => labels[k]);

  let engine = null; // Promise of the Pagefind module, once opened
  let glossary = null; // Promise of the glossary's names (generator/search: RecordBuilder.glossary_names)
  let seq = 0; // the latest search; older answers are dropped
  let hits = [];
  let shown = 0;
  let filtersLoaded = false;
  // In `showcase serve` only (data-preview): the index is rewritten a moment after the pages; a
  // file "refreshing" in the bundle says it is not there yet, and the status line says so.
  let refreshing = Promise.resolve(false);

  root.hidden = false;

  // --- loading ------------------------------------------------------------------------------
  function load() {
    if (!engine) {
      engine = import(bundle + "pagefind.js").then(async (pagefind) => {
        // no worker: it is one more file to fetch (11.6 KB gzip) and did not make results faster
        await pagefind.options({ excerptLength: 24, noWorker: true });
        // Pagefind picks the index, and whether to cut the query with the browser's word segmenter,
        // by <html lang> when it starts. The Chinese index is kept under "und" (its pairs must not be
        // cut again: generator/search/records.py, INDEX_LANG), so the attribute reads "und" for the
        // moment Pagefind reads it, in one synchronous step: no rendering or task comes between.
        const html = document.documentElement;
        const lang = html.getAttribute("lang");
        if (INDEX_LANG[lang]) html.setAttribute("lang", INDEX_LANG[lang]);
        try {
          pagefind.init();
        } finally {
          html.setAttribute("lang", lang);
        }
        return pagefind;
      });
      engine.catch(() => {
        engine = null;
        status.textContent = labels.search_unavailable;
      });
    }
    return engine;
  }

  /* The glossary's terms, with every name a reader may type for them (both languages): a small
     file of this site's bundle, fetched beside Pagefind. A query that is one of a term's names
     shows the term's definition first, as soon as this file is in, before Pagefind answers. */
  function loadGlossary() {
    if (!glossary) {
      const lang = document.documentElement.getAttribute("lang");
      glossary = fetch(`${bundle}glossary-${lang}.json`)
        .then((response) => (response.ok ? response.json() : { terms: [] }))
        .then((data) => (Array.isArray(data.terms) ? data.terms : []), () => []);
    }
    return glossary;
  }

  // as generator/search/records.py normal_query: no quotation marks, one space, lower case
  const QUOTES = /[\u201c\u201d"\u2018\u2019'\u300c\u300d\u300a\u300b]/g;
  const normal = (text) => text.replace(QUOTES, "").replace(/\s+/g, " ").trim().toLowerCase();

  async function pinFor(query, filters) {
    const kind = filters.kind;
    if (!query || Object.keys(filters).some((key) => key !== "kind") || (kind && kind !== labels.search_kind_glossary)) {
      return null;
    }
    const wanted = normal(query);
    const term = (await loadGlossary()).find((t) => Array.isArray(t.names) && t.names.includes(wanted));
    if (!term) return null;
    const data = { url: String(term.url), meta: { title: String(term.title), kind: String(term.kind) },
                   plainExcerpt: String(term.excerpt || ""), content: `${term.title} ${term.excerpt || ""}` };
    return { pinned: true, url: data.url, data: async () => data };
  }

  // --- opening and closing ------------------------------------------------------------------
  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    loadGlossary();
    load().catch(() => {});
    if (root.dataset.preview !== undefined) {
      refreshing = fetch(bundle + "refreshing", { method: "HEAD", cache: "no-store" }).then((r) => r.ok, () => false);
    }
  }

  openButton.addEventListener("click", open);
  root.querySelector(".sc-search__close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("close", () => openButton.focus());
  document.addEventListener("keydown", (event) => {
    if (dialog.open || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "/" || event.key === "s" || event.key === "S") {
      event.preventDefault();
      open();
    }
  });

  // --- searching ----------------------------------------------------------------------------
  function activeFilters() {
    const filters = {};
    for (const select of selects) {
      if (select.value) filters[select.dataset.filter] = select.value;
    }
    return filters;
  }

  async function run() {
    const id = ++seq;
    const query = input.value.trim();
    const filters = activeFilters();
    const started = performance.now();
    if (!query && !Object.keys(filters).length) {
      hits = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = labels.search_hint;
      return;
    }
    // a glossary term's definition first, as soon as it is known; Pagefind's results follow
    const pin = await pinFor(query, filters);
    if (id !== seq) return;
    if (pin) {
      hits = [pin];
      shown = 0;
      list.replaceChildren(...(await page(id)));
      status.textContent = labels.search_loading;
      if (id !== seq) return;
    }
    let pagefind;
    try {
      pagefind = await load();
    } catch {
      return;
    }
    if (id !== seq) return;
    const found = await find(pagefind, query, filters);
    if (id !== seq || !found) return;
    hits = pin ? [pin, ...found] : found;
    shown = 0;
    const items = await page(id);
    if (id !== seq) return;
    list.replaceChildren(...items);
    status.textContent = hits.length === 0 ? labels.search_none
      : hits.length === 1 ? labels.search_result_one : labels.search_results.replace("{n}", hits.length);
    if ((await refreshing) && id === seq) status.textContent += ` ${labels.search_refreshing}`;
    root.dispatchEvent(new CustomEvent("sc-search-results", {
      bubbles: true, detail: { query, count: hits.length, ms: performance.now() - started },
    }));
  }

  /* Chinese is indexed by pairs of characters (generator/search/records.py: split_han): each
     character is a token of its own position holding it and the next one, 社区生活圈 -> 社区 区生 生活
     活圈 圈. A query's Chinese words are looked up as their pairs (a single character stays itself:
     Pagefind matches it as the prefix of every pair it starts), twice: the pairs that join its
     parts, for Pagefind's ranking (headings and an entry's own facets weigh more), and each word
     as the exact phrase of all its pairs, which keeps only the pages where the pairs follow each
     other (人民坊, not 人民…民坊). If no page has the phrase (a quotation mark inside it, say), the
     ranked pages are shown. */
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  const INDEX_LANG = { zh: "und" }; // records.py INDEX_LANG
  const hasHan = new RegExp(`[${HAN}]`, "u");
  const runs = new RegExp(`[${HAN}]+|[^${HAN}]+`, "gu");
  const PAIR = new RegExp(`^(\\^?)([${HAN}])([${HAN}]?)\\^(\\^?)$`, "u");
  // every pair of a word (its exact phrase); `joins`: the pairs at odd places only, which in a word
  // made of two-character words are the joins between them (便民服务 -> 民服, 社区生活圈 -> 区生 活圈,
  // 党群服务中心 -> 群服 务中), for the ranking. Ranking costs by the pages and places it reads, and
  // a join is mostly found inside the word itself, so it ranks a page by how often it has the word
  // (1,000 cases, Pagefind's search alone: 便民服务 on 973 of 1,087 pages, 便民 服务 45-80 ms, 民服
  // a few ms; 社区生活圈 with every pair 115-150 ms). The exact phrase keeps only the pages that
  // have the whole word. A word of two characters is its one pair.
  const pairs = (word, joins = false) => (word.match(runs) || []).flatMap((run) => {
    const chars = [...run];
    if (!hasHan.test(run) || chars.length < 2) return [run];
    const all = chars.slice(1).map((c, k) => chars[k] + c);
    return joins && all.length > 1 ? all.filter((_, k) => k % 2 === 1) : all;
  }).join(" ");
  // a word whose pairs must follow each other: two Chinese characters or more
  const isPhrase = (word) => [...word].filter((c) => hasHan.test(c)).length > 1;

  async function find(pagefind, query, filters) {
    if (!query || !hasHan.test(query)) {
      const found = await pagefind.search(query || null, { filters });
      return found && found.results;
    }
    const words = query.split(/\s+/).filter(Boolean);
    const ranked = await pagefind.search(words.map((word) => pairs(word, true)).join(" "), { filters });
    if (!ranked || ranked.results.length === 0) return ranked && ranked.results;
    let keep = null;
    let shown = null; // the first word's exact results: their excerpts mark the whole word
    for (const word of words.filter(isPhrase)) {
      const exact = await pagefind.search(`"${pairs(word)}"`, { filters });
      const results = exact ? exact.results : [];
      const ids = new Set(results.map((r) => r.id));
      keep = keep ? new Set([...keep].filter((x) => ids.has(x))) : ids;
      if (!shown) shown = new Map(results.map((r) => [r.id, r]));
    }
    if (!keep) return ranked.results;
    // in the ranking's order; each shown by its exact match (the ranking reads only some pairs)
    const together = ranked.results.filter((r) => keep.has(r.id)).map((r) => shown.get(r.id) || r);
    return together.length ? together : ranked.results;
  }

  /* The words of an indexed text back as the page wrote them: [[word, marked]...] -> [[text, marked]...].
     A pair token shows its first character, with a space where its marks say the text had one; a
     matched pair matched the next character too. Other words are separated by a space, as Pagefind
     keeps them. */
  function readable(words) {
    const out = [];
    let plain = false;
    let carry = false; // the last token was a matched pair: this character is matched as well
    for (const [word, marked] of words) {
      const pair = PAIR.exec(word);
      if (pair) {
        if (pair[1]) out.push([" ", false]);
        out.push([pair[2], marked || carry]);
        if (pair[4]) out.push([" ", false]);
        carry = marked && Boolean(pair[3]);
        plain = false;
      } else if (word) {
        if (plain) out.push([" ", false]);
        out.push([word, marked]);
        plain = true;
        carry = false;
      }
    }
    return out;
  }

  const plainText = (content) => readable((content || "").split(/\s+/).map((w) => [w, false])).map(([t]) => t).join("");

  async function page(id) {
    const slice = hits.slice(shown, shown + PAGE);
    const data = await Promise.all(slice.map((hit) => hit.data()));
    if (id !== seq) return [];
    // the pinned definition is also among Pagefind's results: shown once, first
    const pinned = hits[0] && hits[0].pinned ? hits[0].url : null;
    const kept = [];
    slice.forEach((hit, k) => {
      if (pinned && !hit.pinned && data[k].url === pinned) hits.splice(hits.indexOf(hit), 1);
      else kept.push(data[k]);
    });
    shown += kept.length;
    more.hidden = shown >= hits.length;
    return kept.map(item);
  }

  form.addEventListener("submit", (event) => event.preventDefault());
  input.addEventListener("input", (event) => {
    if (!event.isComposing) run(); // wait for the IME to finish a Chinese word
  });
  input.addEventListener("compositionend", run);
  more.addEventListener("click", async () => {
    const id = seq;
    const first = shown;
    const items = await page(id);
    list.append(...items);
    list.querySelectorAll("a")[first]?.focus();
  });

  // --- results ------------------------------------------------------------------------------
  /* Pagefind escapes only < and > of the page's text when it makes an excerpt (its
     loadFragment: content.replace(/</g, "&lt;").replace(/>/g, "&gt;")), not &: undoing exactly
     that gives the text back. Decoding every entity would show a text that reads "&copy;" or
     "&amp;" as "©" or "&". (A text that itself reads "&lt;" is indistinguishable from "<".) */
  function decode(escaped) {
    return escaped.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  }

  function span(className, text) {
    const element = document.createElement("span");
    element.className = className;
    if (text) element.textContent = text;
    return element;
  }

  /* Pagefind's excerpt is escaped text with <mark> around the matched words, the words joined by
     spaces; rebuild it from text nodes so that nothing in it can ever become markup. */
  function excerpt(html) {
    const element = span("sc-search__excerpt");
    const words = html.split(" ").map((word) => {
      const marked = word.startsWith("<mark>") && word.endsWith("</mark>");
      return [decode(marked ? word.slice(6, -7) : word.replace(/<\/?mark>/g, "")), marked];
    });
    for (const [text, marked] of readable(words)) {
      const last = element.lastChild;
      if (marked && last instanceof HTMLElement && last.tagName === "MARK") {
        last.textContent += text; // Chinese is marked one character at a time
      } else if (marked) {
        element.append(Object.assign(document.createElement("mark"), { textContent: text }));
      } else if (last && last.nodeType === Node.TEXT_NODE) {
        last.textContent += text;
      } else {
        element.append(text);
      }
    }
    return element;
  }

  function item(data) {
    const meta = data.meta || {};
    const link = document.createElement("a");
    link.className = "sc-search__hit";
    link.href = new URL(data.url.replace(/^\//, ""), siteRoot).href;
    const head = span("sc-search__head");
    head.append(span("sc-search__kind", meta.kind), span("sc-search__title", meta.title || data.url));
    link.append(head);
    const where = [meta.district, meta.date || meta.year].filter(Boolean).join(" · ");
    if (where) link.append(span("sc-search__where", where));
    link.append(data.plainExcerpt !== undefined ? span("sc-search__excerpt", data.plainExcerpt) : excerpt(data.excerpt || ""));
    const li = document.createElement("li");
    li.append(link);
    return li;
  }

  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) dialog.close();
  });

  // --- keys ---------------------------------------------------------------------------------
  input.addEventListener("keydown", (event) => {
    const first = list.querySelector("a");
    if (event.key === "Escape") {
      event.preventDefault(); // a search field would only clear itself: Esc closes the box
      dialog.close();
    } else if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    } else if (event.key === "Enter" && first && !event.isComposing) {
      event.preventDefault();
      first.click();
    }
  });
  list.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      (links[at + 1] || (more.hidden ? links[at] : more)).focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (links[at - 1] || input).focus();
    }
  });
  more.addEventListener("keydown", (event) => {
    if (event.key === "ArrowUp") {
      event.preventDefault();
      [...list.querySelectorAll("a")].pop()?.focus();
    }
  });

  // --- filters ------------------------------------------------------------------------------
  function ordered(key, values) {
    const names = Object.keys(values);
    if (key === "year") return names.sort((a, b) => b.localeCompare(a));
    if (key === "kind") return names.sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b));
    return names.sort((a, b) => a.localeCompare(b, document.documentElement.lang));
  }

  filterBox.addEventListener("toggle", async () => {
    if (!filterBox.open || filtersLoaded) return;
    let pagefind;
    try {
      pagefind = await load();
    } catch {
      return;
    }
    const all = await pagefind.filters();
    filtersLoaded = true;
    for (const select of selects) {
      const values = all[select.dataset.filter] || {};
      for (const value of ordered(select.dataset.filter, values)) {
        select.append(new Option(`${value} (${values[value]})`, value));
      }
      select.disabled = Object.keys(values).length === 0;
    }
  });
  for (const select of selects) select.addEventListener("change", run);

  // The same lookup without the box, for the relevance tests and the benchmark.
  window.showcaseSearch = {
    async query(text, filters = {}) {
      const pagefind = await load();
      const pin = await pinFor(text.trim(), filters);
      let found = (await find(pagefind, text.trim(), filters)) || [];
      let top = await Promise.all(found.slice(0, 10).map((hit) => hit.data()));
      if (pin) { // as the box shows them: the definition first, once
        const kept = top.filter((data) => data.url !== pin.url);
        found = [pin, ...found.slice(0, found.length - (top.length - kept.length))];
        top = [await pin.data(), ...kept];
      }
      // the text as the page writes it (Chinese is indexed as pairs of characters)
      return { count: found.length, top: top.map((data) => ({ ...data, content: plainText(data.content) })) };
    },
  };
})();
